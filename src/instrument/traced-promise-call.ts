/**
 * Shared mechanics for SDKs that are not Stainless (created by the Google/Bedrock helper): one traced call of a
 * method returning a plain native Promise of the answer, or of a value holding an async iterable of stream events.
 * The span, its one end on every exit and the tracer's safety are traced-call.ts's; the promise and the stream
 * are observed by plain-promise.ts and async-iterable.ts.
 */
import { safely } from "../core/safe";
import { isObservableAsyncIterable, observeAsyncIterable } from "./async-iterable";
import { isFernResponsePromise, observeFernResponsePromise } from "./fern-promise";
import { isPlainPromise, observePlainPromise, type PromiseObserver } from "./plain-promise";
import type { MethodHandler } from "./provider";
import { type ApiCallTracer, type CallInFlight, streamObserver, type TracedCall, tracingHandler } from "./traced-call";

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

function observePromise(result: unknown, inFlight: CallInFlight<PromiseTracedCall>): unknown {
  const { traced } = inFlight;
  const observer: PromiseObserver = {
    fulfilled(value) {
      if (!traced.streamed) {
        inFlight.answered(value);
        return;
      }
      safely("read stream head", () => traced.readBody(value), undefined);
      const events = safely("find stream events", () => (traced.eventsOf ? traced.eventsOf(value) : value), value);
      observeEvents(events, inFlight);
    },
    rejected(error) {
      inFlight.failed(error);
    },
  };
  // A Fern HttpResponsePromise is observed in place (fern-promise.ts), a plain Promise through a derived one.
  if (isFernResponsePromise(result)) return observeFernResponsePromise(result, observer);
  if (isPlainPromise(result)) return observePlainPromise(result, observer);
  // Not a shape this module knows: the request is recorded, the answer is not.
  inFlight.ended();
  return result;
}

function observeEvents(events: unknown, inFlight: CallInFlight<PromiseTracedCall>): void {
  if (!isObservableAsyncIterable(events)) {
    inFlight.ended();
    return;
  }
  observeAsyncIterable(events, streamObserver(inFlight), inFlight.traced.abortSignal);
}
