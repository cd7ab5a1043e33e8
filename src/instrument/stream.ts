/**
 * Observing a Stainless `Stream` without replacing it: the caller keeps the SDK's own object, with
 * `controller`, `tee()`, `toReadableStream()` and every chunk unchanged. A Stream makes all its iteration
 * (`for await`, `tee()`, `toReadableStream()`, the SDK's helpers) through its `iterator` property, so only
 * that function is replaced, by one returning an observed iterator over the SDK's own.
 * The first iteration is the one observed: the SDK refuses a second, and a `tee()` shares the first.
 */
import { reportInternalError, safely } from "../core/safe";

/** The part of a Stainless Stream the tracer touches. */
interface StainlessStream {
  iterator: (...args: unknown[]) => AsyncIterator<unknown>;
  [Symbol.asyncIterator]: (...args: unknown[]) => unknown;
  controller?: { signal?: AbortSignal };
}

export interface StreamObserver {
  /** Sees one event, unchanged; returns false to hide it from the caller. */
  event(value: unknown): boolean;
  /** The stream ended normally. */
  ended(): void;
  /** The caller stopped it before the end (`break`, `return()`, an abort, a cancelled ReadableStream). */
  cancelled(): void;
  /** The stream failed mid-way. */
  failed(error: unknown): void;
}

export function isObservableStream(value: unknown): value is StainlessStream {
  if (typeof value !== "object" || value === null) return false;
  const descriptor = Object.getOwnPropertyDescriptor(value, "iterator");
  return typeof descriptor?.value === "function" && descriptor.writable === true && Symbol.asyncIterator in value;
}

export function observeStream(stream: StainlessStream, observer: StreamObserver): void {
  const outcome = new StreamOutcome();
  // An abort is the caller's cancel, and ends the span even when nobody reads the stream. While a read is pending,
  // the read reports instead: the SDK aborts its own request on a mid-stream error, and that error is the one to
  // record. The check waits a microtask: openai v7 cancels a stream (a cancelled `toReadableStream()`) by aborting
  // its request and then, in the same turn, returning the iterator.
  stream.controller?.signal?.addEventListener?.(
    "abort",
    () =>
      queueMicrotask(() => {
        if (outcome.reading === 0) outcome.settle(() => observer.cancelled());
      }),
    { once: true },
  );
  const iterate = stream.iterator;
  let observed = false;
  // Anonymous: no named function per call (runtime-tests/node/keep-names.test.ts).
  stream.iterator = function (this: unknown, ...args: unknown[]): AsyncIterator<unknown> {
    const inner = Reflect.apply(iterate, this, args) as AsyncIterator<unknown>;
    if (observed) return inner;
    observed = true;
    return observeIterator(inner, observer, outcome, () => stream.controller?.signal?.aborted === true);
  };
  watchOwnIterationCancel(stream, observer, outcome);
}

/**
 * openai v7 puts an async generator of its own over a chat stream's iteration (an own `Symbol.asyncIterator`). A
 * `return()` of that generator waits for its pending read, which the SDK's cancel fails first by aborting the
 * request: the cancel is seen when it is asked for. Its functions are anonymous: no named function per call
 * (runtime-tests/node/keep-names.test.ts).
 */
function watchOwnIterationCancel(stream: StainlessStream, observer: StreamObserver, outcome: StreamOutcome): void {
  if (!Object.hasOwn(stream, Symbol.asyncIterator)) return;
  const iterate = stream[Symbol.asyncIterator];
  stream[Symbol.asyncIterator] = function (this: unknown, ...args: unknown[]): unknown {
    const iteration: unknown = Reflect.apply(iterate, this, args);
    const close = (iteration as { return?: unknown } | null)?.return;
    if (typeof close === "function") {
      (iteration as { return: unknown }).return = function (this: unknown, ...closeArgs: unknown[]): unknown {
        outcome.settle(() => observer.cancelled());
        return Reflect.apply(close, this, closeArgs);
      };
    }
    return iteration;
  };
}

/** How an observed stream ended: the first report wins. */
export class StreamOutcome {
  /** Reads of the SDK's iterator in flight. */
  reading = 0;
  private settled = false;

  get done(): boolean {
    return this.settled;
  }

  settle(report: () => void): void {
    if (this.settled) return;
    this.settled = true;
    safely("stream observer", report, undefined);
  }
}

/**
 * The observed iterator over `inner`; `aborted` tells whether the caller aborted the stream's request: an SDK may
 * end an aborted stream quietly, and that end is a cancel, as is an abort error (the caller's signal may be one
 * the tracer does not see: Ollama's `abort()`, a Fern SDK's request options). Each `next()` is the SDK's own plus one reaction: no `async` wrappers, and
 * nothing allocated per event but that reaction's promise. Its functions are methods: no named function per call
 * (runtime-tests/node/keep-names.test.ts).
 */
export function observeIterator(
  inner: AsyncIterator<unknown>,
  observer: StreamObserver,
  outcome: StreamOutcome,
  aborted: () => boolean,
): AsyncIterator<unknown> {
  const reactions = {
    stepped(step: IteratorResult<unknown>): IteratorResult<unknown> | Promise<IteratorResult<unknown>> {
      outcome.reading -= 1;
      if (step.done) {
        outcome.settle(() => (aborted() ? observer.cancelled() : observer.ended()));
        return step;
      }
      // An event hidden from the caller: the caller gets the next one instead.
      return outcome.done || isShown(observer, step.value) ? step : observedIterator.next();
    },
    threw(error: unknown): never {
      outcome.reading -= 1;
      outcome.settle(() => (isAbortError(error) ? observer.cancelled() : observer.failed(error)));
      throw error;
    },
  };
  const observedIterator: AsyncIterator<unknown> & AsyncIterable<unknown> = {
    next(...args: [] | [unknown]): Promise<IteratorResult<unknown>> {
      outcome.reading += 1;
      let step: Promise<IteratorResult<unknown>>;
      try {
        step = args.length === 0 ? inner.next() : inner.next(args[0]);
      } catch (error) {
        return Promise.reject(error).catch(reactions.threw);
      }
      return Promise.resolve(step).then(reactions.stepped, reactions.threw);
    },
    async return(value?: unknown) {
      outcome.settle(() => observer.cancelled());
      return inner.return ? inner.return(value) : { done: true, value };
    },
    async throw(error?: unknown) {
      outcome.settle(() => observer.failed(error));
      if (inner.throw) return inner.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return observedIterator;
    },
  };
  return observedIterator;
}

/** An error an abort makes (`AbortError`, the SDKs' `APIUserAbortError`; a timeout is a `TimeoutError`). */
function isAbortError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === "AbortError" || name === "APIUserAbortError";
}

/** Whether the caller sees `value`; an observer that throws is reported, and the event shown. */
function isShown(observer: StreamObserver, value: unknown): boolean {
  try {
    return observer.event(value);
  } catch (error) {
    reportInternalError("stream observer", error);
    return true;
  }
}
