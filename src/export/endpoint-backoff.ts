/**
 * The backoff shared by every export from this isolate to one ingest endpoint with one set of credentials.
 *
 * Plain state that each export reads, never a promise or a timer that one export settles for another: in workerd a
 * request whose `waitUntil` is woken by another request's I/O is cancelled as hung. So an export asks `turnOf()`
 * what to do now and, when told to wait, sleeps on a timer of its own and asks again.
 *
 * While the endpoint fails, retries go through one probe at a time on an exponential, jittered schedule, so that
 * N waiting exports make one attempt per step, not N. An export's first attempt is not held back (the isolate
 * sends no more than it would to a healthy ingest, and a recovered ingest is noticed at once), unless the endpoint
 * asked to be left alone with `Retry-After`: then every export waits, up to a cap, for a probe to succeed.
 */

export interface BackoffTuning {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest `Retry-After` honoured; when it has passed, one probe goes through. */
  maxRetryAfterMs: number;
  /** How often a waiting export looks again, to notice soon that another export found the endpoint healthy. */
  pollMs: number;
}

/** What an export does now. */
export type Turn =
  | { kind: "send" }
  /** It tests the failing endpoint for every export waiting on it. */
  | { kind: "probe" }
  /** Sleep until `atMs` (epoch ms), then ask again. */
  | { kind: "wait"; atMs: number }
  | { kind: "give-up"; reason: string; askedToWait: boolean };

class EndpointHealth {
  /** Failed probes in a row: the exponent of the backoff. */
  failures = 0;
  /** Epoch ms before which nobody probes. */
  nextProbeAt = 0;
  /** Epoch ms until which a probe is in flight; past it the probe is presumed lost (its request cancelled). */
  probeUntil = 0;
  /** The endpoint sent `Retry-After`: until it answers, first attempts wait too. */
  askedToWait = false;
}

/** Failing endpoints remembered; more are rare (one or two configs per Worker), the oldest is forgotten. */
export const MAX_FAILING_ENDPOINTS = 16;
const failing = new Map<string, EndpointHealth>();

/**
 * What the export to `endpoint` (its URL and credentials) does now. `firstAttempt`: it has not sent yet.
 * Claims the probe when it is this export's turn to take it.
 */
export function turnOf(
  endpoint: string,
  firstAttempt: boolean,
  deadline: number,
  tuning: BackoffTuning & { attemptTimeoutMs: number },
): Turn {
  const now = Date.now();
  // Written so that a NaN deadline gives up too.
  if (!(now < deadline)) return { kind: "give-up", reason: "the export deadline passed", askedToWait: false };
  const health = failing.get(endpoint);
  if (!health || (firstAttempt && !health.askedToWait)) return { kind: "send" };
  if (health.probeUntil > now) return { kind: "wait", atMs: Math.min(health.probeUntil, now + tuning.pollMs) };
  if (health.nextProbeAt <= now) {
    health.probeUntil = now + tuning.attemptTimeoutMs;
    return { kind: "probe" };
  }
  if (health.nextProbeAt >= deadline) {
    const why = health.askedToWait ? "the endpoint asked to wait (Retry-After)" : "the endpoint is failing";
    return {
      kind: "give-up",
      reason: `${why}, and its next try in ${health.nextProbeAt - now} ms would pass the export deadline`,
      askedToWait: health.askedToWait,
    };
  }
  return { kind: "wait", atMs: Math.min(health.nextProbeAt, now + tuning.pollMs) };
}

/** The endpoint answered, with a success or an answer that retrying would not change: it is healthy. */
export function recordAnswer(endpoint: string): void {
  failing.delete(endpoint);
}

/**
 * A retryable failure of an attempt (`retryAfterMs`: what the endpoint asked for). Attempts sent while the endpoint
 * was thought healthy count as one step of the backoff: only a probe's failure makes the next wait longer. Full
 * jitter over an exponential ceiling; a `Retry-After` is honoured up to `maxRetryAfterMs`.
 */
export function recordFailure(
  endpoint: string,
  probed: boolean,
  retryAfterMs: number | undefined,
  tuning: BackoffTuning,
): void {
  const now = Date.now();
  let health = failing.get(endpoint);
  const known = health !== undefined;
  if (!health) {
    if (failing.size >= MAX_FAILING_ENDPOINTS) failing.delete(failing.keys().next().value ?? "");
    health = new EndpointHealth();
    failing.set(endpoint, health);
  }
  if (probed) {
    health.failures++;
    health.probeUntil = 0;
  }
  if (retryAfterMs !== undefined) {
    health.askedToWait = true;
    health.nextProbeAt = Math.max(health.nextProbeAt, now + Math.min(retryAfterMs, tuning.maxRetryAfterMs));
  } else if (probed || !known) {
    const ceiling = Math.min(tuning.maxDelayMs, tuning.baseDelayMs * 2 ** health.failures);
    health.nextProbeAt = Math.max(health.nextProbeAt, now + Math.round(Math.random() * ceiling));
  }
}
