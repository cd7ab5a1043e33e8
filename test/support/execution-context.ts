/** A Workers-style ExecutionContext that keeps what was handed to waitUntil, so a test can await it. */
export interface RecordingContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  /** Resolves when everything handed to waitUntil so far has settled. */
  settled(): Promise<void>;
  readonly pending: number;
}

export function recordingContext(): RecordingContext {
  const promises: Promise<unknown>[] = [];
  let pending = 0;
  return {
    waitUntil(promise) {
      pending++;
      promises.push(promise.finally(() => pending--));
    },
    passThroughOnException() {},
    async settled() {
      await Promise.allSettled(promises);
    },
    get pending() {
      return pending;
    },
  };
}
