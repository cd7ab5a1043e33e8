import type { HandlerConfig } from "../config/handler-config";
import { actAsWorkerEntrypoint } from "./cloudflare/default-export";
import { isFetchCall, traceFetchCall } from "./fetch-call";
import { isLambdaCall, traceLambdaCall } from "./lambda";
import { isNodeCall, traceNodeCall } from "./node";

type Callable = (this: unknown, ...args: unknown[]) => unknown;

/** Properties a function has of its own that say nothing about what it does. */
const FUNCTION_OWN = new Set<PropertyKey>(["length", "name", "prototype", "arguments", "caller"]);

/**
 * Copies what a runtime may have marked the handler with (Lambda's `streamifyResponse` symbols, a framework's
 * config) onto the traced function.
 */
function copyMarks(from: Callable, to: Callable): void {
  for (const key of Reflect.ownKeys(from)) {
    if (FUNCTION_OWN.has(key)) continue;
    Object.defineProperty(to, key, Object.getOwnPropertyDescriptor(from, key) as PropertyDescriptor);
  }
}

/**
 * Wraps a handler function. Each call is traced by the shape of its arguments: a `Request` (Vercel, Next, Netlify,
 * Deno, Bun, a Worker's `(request, env, ctx)`), a Lambda invocation, Node's `(req, res)`. Any other call runs
 * untouched: a function's caller decides what it is given.
 */
export function instrumentFunction<F extends Callable>(handler: F, config: HandlerConfig): F {
  let construct: ((ctx: unknown, env: unknown) => object) | undefined;
  const traced = function tracedHandler(this: unknown, ...args: unknown[]): unknown {
    if (new.target && construct) return construct(args[0], args[1]);
    if (isFetchCall(args)) return traceFetchCall(args, config, () => handler.apply(this, args) as Response);
    if (isLambdaCall(args)) return traceLambdaCall(args, config, () => handler.apply(this, args));
    if (isNodeCall(args)) return traceNodeCall(args, config, () => handler.apply(this, args));
    return handler.apply(this, args);
  };
  copyMarks(handler, traced);
  // Runtimes read a handler's arity: Deno.serve makes no Request for a handler that declares no parameter, and
  // Lambda takes one of three or more for the callback style. At least one, so that a `() => …` is still traced.
  Object.defineProperty(traced, "length", { value: Math.max(1, handler.length) });
  construct = actAsWorkerEntrypoint(traced);
  return traced as F;
}
