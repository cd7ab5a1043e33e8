/**
 * One backoff per export endpoint (per URL, per isolate), shared by every export to it. While the endpoint is
 * failing, one export at a time probes it on the shared schedule and the others wait for that probe's outcome,
 * instead of each retrying on its own: a Worker serving N requests then makes one attempt per backoff step,
 * not N. Nothing here owns a timer: a waiting export owns its own, so an export that gave up leaves nothing
 * running behind it.
 */

export interface BackoffTuning {
  baseDelayMs: number;
  maxDelayMs: number;
}

/** "send" while the endpoint is healthy, "probe" when this export tests a failing one, else why it gives up. */
export type Turn = "send" | "probe" | { giveUp: string };

class FailingEndpoint {
  /** Failed probes in a row: the exponent of the backoff. */
  failures = 0;
  /** Epoch ms before which nobody probes. */
  nextProbeAt = 0;
  /** Epoch ms until which a probe is in flight; past it the probe is presumed lost (its request cancelled). */
  probeUntil = 0;
  /** Wake the exports waiting for the next outcome. */
  readonly waiters = new Set<() => void>();

  /** This export's turn, or the epoch ms at which to look again (unless woken first). */
  turn(now: number, deadline: number, attemptTimeoutMs: number): Turn | number {
    if (this.probeUntil > now) return this.probeUntil;
    if (this.nextProbeAt <= now) {
      this.probeUntil = now + attemptTimeoutMs;
      return "probe";
    }
    if (this.nextProbeAt < deadline) return this.nextProbeAt;
    return { giveUp: `the endpoint is failing, and a retry in ${this.nextProbeAt - now} ms would pass the deadline` };
  }

  /**
   * Sleeps `ms` or until woken. The waker may run in another request's context (workerd delivers the
   * continuation back to this one), so the timer is cleared here, by its owner, never by the waker.
   */
  async nap(ms: number): Promise<void> {
    let wake!: () => void;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });
    this.waiters.add(wake);
    await woken;
    clearTimeout(timer);
    this.waiters.delete(wake);
  }

  wakeAll(): void {
    for (const wake of this.waiters) wake();
  }
}

/** Failing endpoints remembered; more are rare (one or two configs per Worker), the oldest is forgotten. */
export const MAX_FAILING_ENDPOINTS = 16;
const failing = new Map<string, FailingEndpoint>();

/**
 * Resolves when this export may send: at once while the endpoint is healthy; while it is failing, when this
 * export's turn to probe comes or the endpoint is healthy again; with `giveUp`, saying why, when that cannot
 * happen before `deadline`. Never rejects.
 */
export async function waitForTurn(url: string, deadline: number, attemptTimeoutMs: number): Promise<Turn> {
  for (;;) {
    const endpoint = failing.get(url);
    const now = Date.now();
    // Written so that a NaN deadline gives up too.
    if (!(now < deadline)) return { giveUp: "the export deadline passed" };
    if (!endpoint) return "send";
    const turn = endpoint.turn(now, deadline, attemptTimeoutMs);
    if (typeof turn !== "number") return turn;
    await endpoint.nap(Math.min(turn, deadline) - now);
  }
}

/** The endpoint answered, with a success or an answer that retrying would not change: it is healthy. */
export function recordAnswer(url: string): void {
  failing.get(url)?.wakeAll();
  failing.delete(url);
}

/**
 * A retryable failure (`retryAfterMs`: what the endpoint asked for). Returns the ms until the endpoint's next
 * probe. Attempts that were in flight together (before anyone knew of the failure) count as one step of the
 * backoff: only a probe's failure makes the next wait longer. Full jitter over an exponential ceiling.
 */
export function recordFailure(
  url: string,
  probed: boolean,
  retryAfterMs: number | undefined,
  tuning: BackoffTuning,
): number {
  const now = Date.now();
  let endpoint = failing.get(url);
  if (!endpoint) {
    if (failing.size >= MAX_FAILING_ENDPOINTS) recordAnswer(failing.keys().next().value ?? "");
    endpoint = new FailingEndpoint();
    failing.set(url, endpoint);
  }
  if (probed) {
    endpoint.failures++;
    endpoint.probeUntil = 0;
  }
  const ceiling = Math.min(tuning.maxDelayMs, tuning.baseDelayMs * 2 ** endpoint.failures);
  const wait = retryAfterMs ?? Math.round(Math.random() * ceiling);
  endpoint.nextProbeAt = Math.max(endpoint.nextProbeAt, now + wait);
  endpoint.wakeAll();
  return endpoint.nextProbeAt - now;
}
