/**
 * Observing a web `ReadableStream` an SDK hands back (the Workers AI binding's server-sent events). A stream has no
 * method the tracer could replace that every consumer goes through (`new Response(stream)`, `pipeTo` and
 * `pipeThrough` read it natively), so the caller gets a stream of its own over the SDK's: the same chunks, the same
 * objects, each pulled from the SDK's stream only when the caller asks for one (no buffering ahead), its errors
 * passed on as they are, and a cancel passed back to the SDK's stream with its reason.
 */
import { reportInternalError } from "../core/safe";
import { type StreamObserver, StreamOutcome } from "./stream";

/** Whether `value` is a ReadableStream nobody has started reading. */
export function isObservableReadableStream(value: unknown): value is ReadableStream<unknown> {
  return typeof ReadableStream === "function" && value instanceof ReadableStream && !value.locked;
}

/** The stream to hand the caller in place of `source`. Its functions are methods: no named function per call. */
export function observeReadableStream(source: ReadableStream<unknown>, observer: StreamObserver): ReadableStream {
  const reader = source.getReader();
  const outcome = new StreamOutcome();
  return new ReadableStream(
    {
      async pull(controller) {
        let step: ReadableStreamReadResult<unknown>;
        try {
          step = await reader.read();
        } catch (error) {
          outcome.settle(() => observer.failed(error));
          throw error;
        }
        if (step.done) {
          controller.close();
          outcome.settle(() => observer.ended());
          return;
        }
        if (!outcome.done) see(observer, step.value);
        controller.enqueue(step.value);
      },
      cancel(reason) {
        outcome.settle(() => observer.cancelled());
        return reader.cancel(reason);
      },
    },
    // Pulled only on demand: the SDK's stream keeps its own backpressure.
    { highWaterMark: 0 },
  );
}

function see(observer: StreamObserver, chunk: unknown): void {
  try {
    observer.event(chunk);
  } catch (error) {
    reportInternalError("stream observer", error);
  }
}
