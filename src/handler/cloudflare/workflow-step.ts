import { SpanKind, SpanStatusCode } from "../../core/otel";
import { startSpan, withActiveSpan } from "../../core/tracer";
import type { Started } from "../invocation";

type StepCallback = (...args: unknown[]) => unknown;

const ATTR_STEP_NAME = "cloudflare.workflow.step.name";
const ATTR_STEP_ATTEMPT = "cloudflare.workflow.step.attempt";

/** A step's callback, run inside a span of its own; its result and errors go on unchanged. */
function tracedCallback(started: Started, name: string, callback: StepCallback): StepCallback {
  return (...args) => {
    const attempt = (args[0] as { attempt?: unknown } | undefined)?.attempt;
    const span = startSpan({
      name: `step ${name}`,
      kind: SpanKind.INTERNAL,
      attributes: { [ATTR_STEP_NAME]: name, ...(typeof attempt === "number" ? { [ATTR_STEP_ATTEMPT]: attempt } : {}) },
      parent: started.root,
      scope: started.scope,
      adapterSpan: true,
    });
    const fail = (error: unknown) => {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      span.end();
      throw error;
    };
    try {
      return Promise.resolve(withActiveSpan(span, () => callback(...args))).then((value) => {
        span.end();
        return value;
      }, fail);
    } catch (error) {
      return fail(error);
    }
  };
}

/**
 * The `step` a Workflow's `run` is given, with each `step.do` callback that runs traced as a span under the run's
 * root. A step the engine replays from its cache runs no callback, so it adds no span.
 */
export function traceWorkflowStep<S extends object>(step: S, started: Started): S {
  return new Proxy(step, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      // `Reflect.apply`, not `value.call`: on an RPC stub, `call` and `bind` are remote methods.
      if (key !== "do") return (...args: unknown[]) => Reflect.apply(value, target, args);
      return (name: string, ...rest: unknown[]) => {
        const last = rest.length - 1;
        if (typeof rest[last] === "function") rest[last] = tracedCallback(started, name, rest[last] as StepCallback);
        return Reflect.apply(value, target, [name, ...rest]);
      };
    },
  });
}
