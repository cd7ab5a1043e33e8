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

/** Leave to go: a probe when the endpoint is failing (its outcome is reported with `recordFailure`). */
export type Turn = { go: true; probe?: Probe } | { go: false; reason: string };

interface Probe {
  /** Past this epoch ms the probe is presumed lost (its request was cancelled) and another export probes. */
  until: number;
}

interface FailingEndpoint {
  /** Failed probes in a row: the exponent of the backoff. */
  failures: number;
  lastFailure: string;
  /** Epoch ms before which nobody probes. */
  nextProbeAt: number;
  probe?: Probe;
  /** Wakes the exports waiting for the next outcome. */
  waiters: Set<() => void>;
}

/** Failing endpoints remembered; more are rare (one or two configs per Worker), the oldest is forgotten. */
export const MAX_FAILING_ENDPOINTS = 16;
const failing = new Map<string, FailingEndpoint>();
const HEALTHY: Turn = { go: true };

/**
 * Resolves when this export may send: at once while the endpoint is healthy; while it is failing, when this
 * export's turn to probe comes or the endpoint is healthy again; `go: false` when that cannot happen before
 * `deadline`. Never rejects.
 */
export async function waitForTurn(url: string, deadline: number, attemptTimeoutMs: number): Promise<Turn> {
  for (;;) {
    const endpoint = failing.get(url);
    const now = Date.now();
    if (now >= deadline) return { go: false, reason: "the export deadline passed" };
    if (!endpoint) return HEALTHY;
    const probeUntil = endpoint.probe && endpoint.probe.until > now ? endpoint.probe.until : undefined;
    if (probeUntil === undefined) {
      if (endpoint.nextProbeAt <= now) return startProbe(endpoint, Math.min(deadline, now + attemptTimeoutMs));
      if (endpoint.nextProbeAt >= deadline) return tooLate(endpoint, now);
    }
    await nap(endpoint, Math.min(probeUntil ?? endpoint.nextProbeAt, deadline) - now);
  }
}

/** The endpoint answered, with a success or an answer that retrying would not change: it is healthy. */
export function recordAnswer(url: string): void {
  const endpoint = failing.get(url);
  if (!endpoint) return;
  failing.delete(url);
  wakeAll(endpoint);
}

/**
 * A retryable failure (`retryAfterMs`: what the endpoint asked for). Returns the ms until the endpoint's next
 * probe. Attempts that were in flight together count as one step of the backoff: only a probe's failure (or
 * the first one) makes the next wait longer.
 */
export function recordFailure(
  url: string,
  turn: Turn,
  failure: string,
  retryAfterMs: number | undefined,
  tuning: BackoffTuning,
): number {
  const now = Date.now();
  const endpoint = failing.get(url) ?? track(url);
  const probe = turn.go ? turn.probe : undefined;
  if (probe !== undefined || endpoint.failures === 0) endpoint.failures++;
  if (probe !== undefined && endpoint.probe === probe) endpoint.probe = undefined;
  endpoint.lastFailure = failure;
  const wait = retryAfterMs ?? jitteredDelay(endpoint.failures, tuning);
  endpoint.nextProbeAt = Math.max(endpoint.nextProbeAt, now + wait);
  wakeAll(endpoint);
  return endpoint.nextProbeAt - now;
}

function startProbe(endpoint: FailingEndpoint, until: number): Turn {
  const probe = { until };
  endpoint.probe = probe;
  return { go: true, probe };
}

function tooLate(endpoint: FailingEndpoint, now: number): Turn {
  const wait = endpoint.nextProbeAt - now;
  return { go: false, reason: `${endpoint.lastFailure}, and the next try in ${wait} ms would pass the deadline` };
}

function track(url: string): FailingEndpoint {
  const oldest = failing.keys().next();
  if (failing.size >= MAX_FAILING_ENDPOINTS && !oldest.done) recordAnswer(oldest.value);
  const endpoint: FailingEndpoint = { failures: 0, lastFailure: "", nextProbeAt: 0, waiters: new Set() };
  failing.set(url, endpoint);
  return endpoint;
}

/** Full jitter over an exponential ceiling. */
function jitteredDelay(failures: number, tuning: BackoffTuning): number {
  const ceiling = Math.min(tuning.maxDelayMs, tuning.baseDelayMs * 2 ** (failures - 1));
  return Math.round(Math.random() * ceiling);
}

/**
 * Sleeps `ms` or until woken. The waker may run in another request's context (workerd delivers the
 * continuation back to this one), so the timer is cleared here, by its owner, never by the waker.
 */
async function nap(endpoint: FailingEndpoint, ms: number): Promise<void> {
  let wake!: () => void;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const woken = new Promise<void>((resolve) => {
    wake = resolve;
    timer = setTimeout(resolve, ms);
  });
  endpoint.waiters.add(wake);
  await woken;
  clearTimeout(timer);
  endpoint.waiters.delete(wake);
}

function wakeAll(endpoint: FailingEndpoint): void {
  for (const wake of endpoint.waiters) wake();
}
