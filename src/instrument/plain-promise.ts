/**
 * Shared mechanics for SDKs that are not Stainless (created by the Google/Bedrock helper; used by any provider
 * whose methods return a plain native `Promise`, the product of an `async` function: @google/genai,
 * @aws-sdk/client-bedrock-runtime, …).
 *
 * Observing a plain Promise with a second `.then()` chain cannot keep the unhandled-rejection behaviour: a handler
 * on the SDK's promise marks it handled, so a failed call nobody awaits would no longer be reported (and a chain
 * that rethrows would report a rejection the caller did handle). So the caller gets the promise derived from the
 * SDK's: it settles the same way, with the same value or the same error object, and it is unhandled exactly when
 * the caller leaves it unhandled. It is a plain Promise too: a plain Promise has no method, field or identity
 * anything relies on (wrapping rule 1 in docs/architecture.md keeps the SDK's own object for APIPromise's
 * `withResponse()` and private fields; a plain Promise has neither). A promise of any other class is not handled here.
 */
import { safely } from "../core/safe";

export interface PromiseObserver {
  fulfilled(value: unknown): void;
  rejected(error: unknown): void;
}

/**
 * An instance of the platform's own `Promise`, with nothing of its own: not a subclass, no own named properties.
 * Symbols do not count: Node gives every promise its async ids as own symbols once AsyncLocalStorage is in use.
 */
export function isPlainPromise(value: unknown): value is Promise<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.getPrototypeOf(value) === Promise.prototype &&
    Object.getOwnPropertyNames(value).length === 0
  );
}

/** The promise to hand the caller in place of `promise`; an observer that throws is reported, never passed on. */
export function observePlainPromise<T>(promise: Promise<T>, observer: PromiseObserver): Promise<T> {
  return promise.then(
    (value) => {
      safely("promise observer", () => observer.fulfilled(value), undefined);
      return value;
    },
    (error: unknown) => {
      safely("promise observer", () => observer.rejected(error), undefined);
      throw error;
    },
  );
}
