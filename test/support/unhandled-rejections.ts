/** Watching unhandled rejections where the runtime reports them as Node's process events (Node, edge-runtime). */

interface ProcessEvents {
  listeners(event: string): ((...args: unknown[]) => void)[];
  removeAllListeners(event: string): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
  off(event: string, listener: (...args: unknown[]) => void): void;
}

const processEvents = (globalThis as { process?: Partial<ProcessEvents> }).process;

/** False in workerd, which has no process events. */
export const canWatchRejections =
  typeof processEvents?.listeners === "function" && typeof processEvents.on === "function";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The unhandled rejections reported while `work` runs and for `settleMs` after; vitest's own listeners are set
 * aside meanwhile (they would fail the run on a rejection the test means to provoke).
 */
export async function unhandledRejectionsDuring(work: () => Promise<void>, settleMs = 150): Promise<unknown[]> {
  const events = processEvents as ProcessEvents;
  const saved = events.listeners("unhandledRejection");
  events.removeAllListeners("unhandledRejection");
  const reasons: unknown[] = [];
  const listener = (reason: unknown) => reasons.push(reason);
  events.on("unhandledRejection", listener);
  try {
    await work();
    await sleep(settleMs);
  } finally {
    events.off("unhandledRejection", listener);
    for (const restored of saved) events.on("unhandledRejection", restored);
  }
  return reasons;
}
