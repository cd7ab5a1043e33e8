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

/** An SDK's own iterator ends an aborted request with an error, so there is no quiet abort to look for. */
const notAborted = () => undefined;

type AsyncIteratorMethod = (...args: unknown[]) => Promise<IteratorResult<unknown>>;

const ITERATOR_METHODS: readonly PropertyKey[] = ["next", "return", "throw"];

/** An async iterable whose iteration methods this module can replace. */
export function isObservableAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  if (typeof value !== "object" || value === null) return false;
  if (typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== "function") return false;
  return canReplace(value, isAsyncIterator(value) ? ITERATOR_METHODS : [Symbol.asyncIterator]);
}

function isAsyncIterator(value: object): value is AsyncIterable<unknown> & AsyncIterator<unknown> {
  return typeof (value as { next?: unknown }).next === "function";
}

export function observeAsyncIterable(iterable: AsyncIterable<unknown>, observer: StreamObserver): void {
  const outcome = new StreamOutcome();
  if (isAsyncIterator(iterable)) {
    observeIteratorMethods(iterable, observer, outcome);
    return;
  }
  const iterate = iterable[Symbol.asyncIterator];
  let observed = false;
  replaceMethod(iterable, Symbol.asyncIterator, function observedIterator(this: unknown, ...args: unknown[]) {
    const inner = Reflect.apply(iterate, this, args) as AsyncIterator<unknown>;
    if (observed) return inner;
    observed = true;
    return observeIterator(inner, observer, outcome, notAborted);
  });
}

function observeIteratorMethods(
  iterator: AsyncIterable<unknown> & AsyncIterator<unknown>,
  observer: StreamObserver,
  outcome: StreamOutcome,
): void {
  const own = (method: unknown): AsyncIteratorMethod | undefined =>
    typeof method === "function" ? (...args) => Reflect.apply(method, iterator, args) : undefined;
  const inner: AsyncIterator<unknown> = {
    next: own(iterator.next) as AsyncIteratorMethod,
    return: own(iterator.return),
    throw: own(iterator.throw),
  };
  const observed = observeIterator(inner, observer, outcome, notAborted);
  replaceMethod(iterator, "next", observed.next.bind(observed));
  if (inner.return) replaceMethod(iterator, "return", (observed.return as AsyncIteratorMethod).bind(observed));
  if (inner.throw) replaceMethod(iterator, "throw", (observed.throw as AsyncIteratorMethod).bind(observed));
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
