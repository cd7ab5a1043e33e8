/**
 * Observing a Stainless `APIPromise` (openai, @anthropic-ai/sdk, and the other Stainless SDKs) without
 * `.then()`-ing it or putting a Proxy around it: the caller keeps the SDK's own promise, sent eagerly, with
 * `withResponse()`, `asResponse()` and `_request_id` as the SDK makes them.
 *
 * An APIPromise keeps two plain properties that everything else derives from: `responsePromise` (the HTTP
 * response, before its body is read) and `parseResponse` (turns it into the value or the Stream). Both are
 * replaced by observed equivalents:
 * - `responsePromise` by a promise derived from it that settles the same way with the same value or error.
 *   The SDK's original is then handled by us, and the derived one is handled exactly when the caller consumes
 *   the APIPromise — so an unhandled rejection stays one unhandled rejection, of the same error object.
 * - `parseResponse` by a function returning the SDK's own result, seen on its way to the caller.
 */
import { safely } from "../safe";

/** The parts of a Stainless APIPromise the tracer touches. */
interface StainlessApiPromise {
  responsePromise: PromiseLike<unknown>;
  parseResponse: (...args: unknown[]) => unknown;
}

export interface ApiPromiseObserver {
  /** The HTTP response arrived (status 2xx); its body is unread. */
  responded(response: unknown): void;
  /** The request failed (HTTP error, connection, timeout, abort), or its body could not be parsed. */
  failed(error: unknown): void;
  /** The caller consumed the promise and the SDK parsed the body into `value` (a Stream, for streamed calls). */
  parsed(value: unknown): void;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

function isWritable(object: object, key: string): boolean {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  return descriptor?.writable === true;
}

/** Whether `value` is an APIPromise this module can observe. */
export function isObservableApiPromise(value: unknown): value is StainlessApiPromise {
  if (!(value instanceof Promise)) return false;
  const candidate = value as unknown as Partial<StainlessApiPromise>;
  return (
    isThenable(candidate.responsePromise) &&
    typeof candidate.parseResponse === "function" &&
    isWritable(value, "responsePromise") &&
    isWritable(value, "parseResponse")
  );
}

/** Starts observing `promise`; an observer that throws is reported by `safely`, never to the caller. */
export function observeApiPromise(promise: StainlessApiPromise, observer: ApiPromiseObserver): void {
  const failed = (error: unknown) => safely("APIPromise observer", () => observer.failed(error), undefined);
  const parsed = (value: unknown) => safely("APIPromise observer", () => observer.parsed(value), undefined);
  const sent = promise.responsePromise;
  promise.responsePromise = sent.then(
    (props) => {
      safely(
        "APIPromise observer",
        () => observer.responded((props as { response?: unknown } | null)?.response),
        undefined,
      );
      return props;
    },
    (error: unknown) => {
      failed(error);
      throw error;
    },
  );
  const parse = promise.parseResponse;
  promise.parseResponse = function parseObserved(this: unknown, ...args: unknown[]): unknown {
    let result: unknown;
    try {
      result = Reflect.apply(parse, this, args);
    } catch (error) {
      failed(error);
      throw error;
    }
    if (!isThenable(result)) {
      parsed(result);
      return result;
    }
    return result.then(
      (value) => {
        parsed(value);
        return value;
      },
      (error: unknown) => {
        failed(error);
        throw error;
      },
    );
  };
}
