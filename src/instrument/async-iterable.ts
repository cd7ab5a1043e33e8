/**
 * Shared mechanics for SDKs that are not Stainless (created by the Google/Bedrock helper): observing a stream an
 * SDK hands back as an async iterable of its own (an `AsyncGenerator` from @google/genai, the event stream of an
 * AWS SDK command output, …) without replacing it. The caller keeps the SDK's object, its prototype and every
 * event unchanged; only the instance's iteration methods are replaced, by observed ones over the SDK's own:
 * - an async iterator (a generator): its `next`, `return` and `throw`, so `for await` and direct `next()` calls
 *   are both seen (its `[Symbol.asyncIterator]` still returns the object itself);
 * - any other async iterable: its `[Symbol.asyncIterator]`, whose first iteration is the one observed (an SDK's
 *   event stream reads its response body once).
 * A replacement takes the place of the SDK's own property when there is one (tslib's `__asyncGenerator` puts
 * `next`, `return` and `throw` on the object itself), with its enumerability, else it is an own non-enumerable
 * property: the object's keys stay the SDK's.
 * Every exit is reported once: end, error, `break` / `return()`, `throw()`.
 */
import { observeIterator, type StreamObserver, StreamOutcome } from "./stream";

type AsyncIteratorMethod = (...args: unknown[]) => Promise<IteratorResult<unknown>>;

const ITERATOR_METHODS: readonly PropertyKey[] = ["next", "return", "throw"];

/** `value` when it is an AbortSignal (of any realm). */
export function asAbortSignal(value: unknown): AbortSignal | undefined {
  const candidate = value as Partial<AbortSignal> | null | undefined;
  return typeof candidate?.addEventListener === "function" && typeof candidate.aborted === "boolean"
    ? (candidate as AbortSignal)
    : undefined;
}

/** An async iterable whose iteration methods this module can replace. */
export function isObservableAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  if (typeof value !== "object" || value === null) return false;
  if (typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== "function") return false;
  return canReplace(value, isAsyncIterator(value) ? ITERATOR_METHODS : [Symbol.asyncIterator]);
}

function isAsyncIterator(value: object): value is AsyncIterable<unknown> & AsyncIterator<unknown> {
  return typeof (value as { next?: unknown }).next === "function";
}

/**
 * Observes `iterable`. `abortSignal` is the caller's signal for the call, if any: its abort ends the span at once (an
 * SDK may end an aborted stream quietly, or not at all), as the caller's cancel.
 * Its functions are anonymous or methods: no named function per call (runtime-tests/node/keep-names.test.ts).
 */
export function observeAsyncIterable(
  iterable: AsyncIterable<unknown>,
  streamObserver: StreamObserver,
  abortSignal?: AbortSignal,
): void {
  const outcome = new StreamOutcome();
  const abort = new AbortWatch(abortSignal, outcome, streamObserver);
  const observer = detachingOnEnd(streamObserver, abort);
  if (isAsyncIterator(iterable)) {
    observeIteratorMethods(iterable, observer, outcome, abort);
    return;
  }
  const iterate = iterable[Symbol.asyncIterator];
  let observed = false;
  replaceMethod(iterable, Symbol.asyncIterator, function (this: unknown, ...args: unknown[]) {
    const inner = Reflect.apply(iterate, this, args) as AsyncIterator<unknown>;
    if (observed) return inner;
    observed = true;
    return observeIterator(inner, observer, outcome, () => abort.aborted);
  });
}

/** The caller's signal: its abort ends the stream's span, as a cancel. */
class AbortWatch {
  private readonly onAbort: () => void;

  constructor(
    private readonly signal: AbortSignal | undefined,
    outcome: StreamOutcome,
    observer: StreamObserver,
  ) {
    this.onAbort = () => outcome.settle(() => observer.cancelled());
    signal?.addEventListener?.("abort", this.onAbort, { once: true });
  }

  get aborted(): boolean {
    return this.signal?.aborted === true;
  }

  /** Lets go of the signal, once the stream has ended. */
  detach(): void {
    this.signal?.removeEventListener?.("abort", this.onAbort);
  }
}

function observeIteratorMethods(
  iterator: AsyncIterable<unknown> & AsyncIterator<unknown>,
  observer: StreamObserver,
  outcome: StreamOutcome,
  abort: AbortWatch,
): void {
  const inner: AsyncIterator<unknown> = {
    next: ownMethod(iterator, iterator.next) as AsyncIteratorMethod,
    return: ownMethod(iterator, iterator.return),
    throw: ownMethod(iterator, iterator.throw),
  };
  const observed = observeIterator(inner, observer, outcome, () => abort.aborted);
  replaceMethod(iterator, "next", observed.next.bind(observed));
  if (inner.return) replaceMethod(iterator, "return", (observed.return as AsyncIteratorMethod).bind(observed));
  if (inner.throw) replaceMethod(iterator, "throw", (observed.throw as AsyncIteratorMethod).bind(observed));
}

/** The iterator's own `method`, called on it: what the observed iterator steps through. */
function ownMethod(iterator: object, method: unknown): AsyncIteratorMethod | undefined {
  return typeof method === "function" ? (...args) => Reflect.apply(method, iterator, args) : undefined;
}

/** The observer, letting go of the caller's signal once the stream has ended, however it did. */
function detachingOnEnd(observer: StreamObserver, abort: AbortWatch): StreamObserver {
  return {
    event(value) {
      return observer.event(value);
    },
    ended() {
      abort.detach();
      observer.ended();
    },
    cancelled() {
      abort.detach();
      observer.cancelled();
    },
    failed(error) {
      abort.detach();
      observer.failed(error);
    },
  };
}

function replaceMethod(object: object, key: PropertyKey, value: unknown): void {
  const enumerable = Object.getOwnPropertyDescriptor(object, key)?.enumerable ?? false;
  Object.defineProperty(object, key, { value, writable: true, configurable: true, enumerable });
}

/** Every method to replace can be: the object takes new properties, and none it has is fixed. */
function canReplace(object: object, keys: readonly PropertyKey[]): boolean {
  return (
    Object.isExtensible(object) &&
    keys.every((key) => Object.getOwnPropertyDescriptor(object, key)?.configurable !== false)
  );
}
