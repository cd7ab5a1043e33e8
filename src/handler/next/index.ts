import { HandlerConfig } from "../../config/handler-config";
import type { ModaOptions } from "../../config/options";
import { SpanKind } from "../../core/otel";
import { ATTR_CODE_FUNCTION_NAME } from "../../semconv/core-attributes";
import { type Invocation, traceEvent } from "../invocation";
import { platformWaitUntil } from "../platform-wait-until";

/** A Next.js server action: any async function the client calls. */
export type ServerAction = (...args: never[]) => Promise<unknown>;

/**
 * Traces each call of a Next.js server action as a root span of its own, named `name` (a production build
 * minifies the function's own name), exported through the `waitUntil` `after()` uses. The action's arguments,
 * result and errors are its own.
 *
 * ```ts
 * "use server";
 * export const ask = withModaAction("ask", async (question: string) => …);
 * ```
 */
export function withModaAction<A extends ServerAction>(name: string, action: A, options: ModaOptions = {}): A {
  const config = new HandlerConfig(options);
  if (typeof action !== "function") throw new TypeError("moda-edge: withModaAction(name, action) expects a function");
  const traced = function tracedAction(this: unknown, ...args: never[]) {
    const invocation: Invocation = {
      config,
      env: undefined,
      waitUntil: platformWaitUntil(),
      name,
      kind: SpanKind.SERVER,
      attributes: { [ATTR_CODE_FUNCTION_NAME]: name },
    };
    return traceEvent(invocation, () => action.apply(this, args));
  };
  return traced as A;
}
