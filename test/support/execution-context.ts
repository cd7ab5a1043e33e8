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

type Env = Record<string, string>;

/** The Worker shape tests call: `withModa<TestWorker>({ fetch: () => … })` keeps the runtime's three arguments. */
export interface TestWorker {
  fetch(request: Request, env: Env, ctx: RecordingContext): Response | Promise<Response>;
}

export interface TestEventWorker extends TestWorker {
  scheduled(controller: { cron: string; scheduledTime: number }, env: Env, ctx: RecordingContext): Promise<void>;
  queue(batch: { queue: string; messages: unknown[] }, env: Env, ctx: RecordingContext): Promise<void>;
  tail(): void;
  custom: number;
}
