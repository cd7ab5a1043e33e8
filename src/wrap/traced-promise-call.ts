/**
 * Shared mechanics for SDKs that are not Stainless (created by the Google/Bedrock helper): one traced call of a
 * method returning a plain native Promise of the answer, or of a value holding an async iterable of stream events.
 * The span, its one end on every exit and the tracer's safety are traced-call.ts's; the promise and the stream
 * are observed by plain-promise.ts and async-iterable.ts.
 */
import type { LlmSpan } from "../llm-span";
import { safely } from "../safe";
import { isObservableAsyncIterable, observeAsyncIterable } from "./async-iterable";
import { isFernResponsePromise, observeFernResponsePromise } from "./fern-promise";
import { isPlainPromise, observePlainPromise, type PromiseObserver } from "./plain-promise";
import type { MethodHandler } from "./provider";
import { type ApiCallTracer, type CallOutcome, streamObserver, type TracedCall, tracingHandler } from "./traced-call";

export interface PromiseTracedCall extends TracedCall {
  /**
   * For a streamed call: the SDK's async iterable of events, found in what the promise resolved to (that value
   * itself when absent). `readBody` sees the resolved value first, for what it tells besides its events.
   */
  eventsOf?(value: unknown): unknown;
  /** The caller's abort signal for the call, if it gave one: an abort ends a stream's span at once. */
  readonly abortSignal?: AbortSignal;
}

export type PromiseCallTracer = ApiCallTracer<PromiseTracedCall>;

/** The handler tracing a method that returns a plain Promise (see plain-promise.ts for why the caller gets a derived one). */
/* @__NO_SIDE_EFFECTS__ */
export function tracePromiseCall(tracer: PromiseCallTracer): MethodHandler {
  return tracingHandler(tracer, observePromise);
}

function observePromise(result: unknown, traced: PromiseTracedCall, span: LlmSpan, outcome: CallOutcome): unknown {
  const observer: PromiseObserver = {
    fulfilled(value) {
      if (!traced.streamed) {
        outcome.ended(() => traced.readBody(value));
        return;
      }
      safely("read stream head", () => traced.readBody(value), undefined);
      const events = safely("find stream events", () => (traced.eventsOf ? traced.eventsOf(value) : value), value);
      observeEvents(events, traced, span, outcome);
    },
    rejected: (error) => outcome.failed(error),
  };
  // A Fern HttpResponsePromise is observed in place (fern-promise.ts), a plain Promise through a derived one.
  if (isFernResponsePromise(result)) return observeFernResponsePromise(result, observer);
  if (isPlainPromise(result)) return observePlainPromise(result, observer);
  // Not a shape this module knows: the request is recorded, the answer is not.
  outcome.ended();
  return result;
}

function observeEvents(events: unknown, traced: PromiseTracedCall, span: LlmSpan, outcome: CallOutcome): void {
  if (!isObservableAsyncIterable(events)) {
    outcome.ended();
    return;
  }
  observeAsyncIterable(events, streamObserver(traced, span, outcome), traced.abortSignal);
}
