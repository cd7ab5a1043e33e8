/**
 * A Workers `ExecutionContext` as the bench's handlers get it: what is handed to `waitUntil` is kept, and
 * `settled()` awaits it, as the platform lets the exports run after the response.
 */
export function executionContext() {
  const pending = [];
  return {
    ctx: { waitUntil: (promise) => pending.push(promise), passThroughOnException() {}, props: {} },
    settled: () => Promise.all(pending),
  };
}
