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
 * openai v7 also gives each APIPromise its own `_thenUnwrap`, which derives the next promise (`parse()`, the
 * Responses stream helper) from the request and parse it closed over, not from these two properties: it is
 * replaced too, so that derived promises share the observed response and their parse is seen.
 */
import { reportInternalError } from "../core/safe";

/** The parts of a Stainless APIPromise the tracer touches. */
interface StainlessApiPromise {
  responsePromise: PromiseLike<unknown>;
  parseResponse: (...args: unknown[]) => unknown;
  /** Set by the SDK once something asks for the parsed value (`await`, `then`, `withResponse()`). */
  readonly parsedPromise?: unknown;
  /** Derives a promise of `transform(value)`: an own property from openai v7 on, else the prototype's. */
  _thenUnwrap: (transform: Transform) => unknown;
}

type Transform = (value: unknown, props: unknown) => unknown;

/** Whether the SDK has started parsing the response body: by the observed promise's parse or a derived one's. */
interface ParseState {
  started: boolean;
}

export interface ApiPromiseObserver {
  /** The HTTP response arrived (status 2xx); its body is unread. */
  responded(response: unknown): void;
  /**
   * The HTTP response arrived and nothing asked the SDK to parse it: the caller took it with `asResponse()` (and
   * reads its body later, or never), or has not consumed the promise yet. The body is still unread.
   */
  unparsed?(response: unknown): void;
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

/** Tells `observer` some news; an observer that throws is reported, never passed on (and allocates no closure). */
function tell(observer: ApiPromiseObserver, news: keyof ApiPromiseObserver, detail: unknown): void {
  try {
    observer[news]?.(detail);
  } catch (error) {
    reportInternalError("APIPromise observer", error);
  }
}

/**
 * Starts observing `promise`. Its functions, and those of its derivations, are anonymous: no named function per call
 * (runtime-tests/node/keep-names.test.ts).
 */
export function observeApiPromise(promise: StainlessApiPromise, observer: ApiPromiseObserver): void {
  const parsing: ParseState = { started: false };
  const sent = promise.responsePromise;
  promise.responsePromise = sent.then(
    (props) => {
      const response = (props as { response?: unknown } | null)?.response;
      tell(observer, "responded", response);
      // The common case, an awaited promise, asked for the parse before the response came: nothing to check.
      // Else the check waits for the reactions already queued on this promise: a parse asked for by a promise the
      // SDK derived from this one (`_thenUnwrap`, as `chat.completions.parse()` does) starts in one of them, and
      // a caller's `asResponse()` hands the body over only after them.
      if (observer.unparsed && promise.parsedPromise === undefined) {
        queueMicrotask(() =>
          queueMicrotask(() => {
            if (!parsing.started) tell(observer, "unparsed", response);
          }),
        );
      }
      return props;
    },
    (error: unknown) => {
      tell(observer, "failed", error);
      throw error;
    },
  );
  promise.parseResponse = observedParse(promise.parseResponse, observer, parsing, true);
  if (Object.hasOwn(promise, "_thenUnwrap")) observeDerivations(promise, observer, parsing);
}

/**
 * `parse`, telling `observer` of its failure, thrown or rejected, and with `tellsValue` of the value it parsed (seen
 * on the side: the SDK's chain goes on from its own promise, as fast as untraced). A call marks `parsing` started.
 */
function observedParse(
  parse: StainlessApiPromise["parseResponse"],
  observer: ApiPromiseObserver,
  parsing: ParseState,
  tellsValue: boolean,
): StainlessApiPromise["parseResponse"] {
  return function (this: unknown, ...args: unknown[]): unknown {
    parsing.started = true;
    let result: unknown;
    try {
      result = Reflect.apply(parse, this, args);
    } catch (error) {
      tell(observer, "failed", error);
      throw error;
    }
    if (!isThenable(result)) {
      if (tellsValue) tell(observer, "parsed", result);
      return result;
    }
    result.then(tellsValue ? (value) => tell(observer, "parsed", value) : undefined, (error) =>
      tell(observer, "failed", error),
    );
    return result;
  };
}

/**
 * Replaces the SDK's own `_thenUnwrap` of `promise` (openai v7). The derived promise consumes the observed response,
 * so an unhandled rejection stays the one the caller's promise would give, and its parse counts as the observed
 * one's. Its transform sees the value the observed promise parsed, before the SDK's transform runs: a failure of
 * that transform (`parse()` refusing a truncated answer) then finds the span ended with the answer. The SDK derives
 * once from a traced call's promise (`parse()`, the Responses stream helper), so a derived promise is not watched
 * in turn.
 */
function observeDerivations(promise: StainlessApiPromise, observer: ApiPromiseObserver, parsing: ParseState): void {
  const derive = promise._thenUnwrap;
  const response = promise.responsePromise;
  promise._thenUnwrap = function (this: unknown, transform: Transform): unknown {
    const derived: unknown = Reflect.apply(derive, this, [
      (value: unknown, props: unknown) => {
        tell(observer, "parsed", value);
        return transform(value, props);
      },
    ]);
    if (!isObservableApiPromise(derived)) return derived;
    derived.responsePromise = response;
    // Its value is the SDK's transform of the parsed one, which the transform above has already told.
    derived.parseResponse = observedParse(derived.parseResponse, observer, parsing, false);
    return derived;
  };
}
