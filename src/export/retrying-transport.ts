import type { ResolvedConfig } from "../config/options";
import { debug } from "../core/debug";
import { type BackoffTuning, recordAnswer, recordFailure, turnOf } from "./endpoint-backoff";
import { type AttemptResult, type ExportRequest, type NetworkFailure, sendOnce } from "./fetch-transport";
import { redactSecrets } from "./redact-secrets";

/** Retry timing. Tests shrink it; not part of the public API. */
export interface RetryTuning extends BackoffTuning {
  attemptTimeoutMs: number;
}

export const DEFAULT_TUNING: RetryTuning = {
  baseDelayMs: 250,
  maxDelayMs: 5_000,
  attemptTimeoutMs: 10_000,
  maxRetryAfterMs: 60_000,
  pollMs: 250,
};

/** The statuses the OTLP/HTTP specification calls transient. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

export type FinalAnswer = Extract<AttemptResult, { kind: "answer" }>;

/** Why an export was given up without a final answer. */
export type GiveUpCause = NetworkFailure | "retries-exhausted" | "backoff";

export type Delivery =
  | { answered: true; attempts: number; answer: FinalAnswer }
  | { answered: false; attempts: number; cause: GiveUpCause; reason: string; status?: number };

/**
 * Sends the request until the endpoint gives a final answer (a success, or a status that retrying would not
 * change), retrying transient failures on the endpoint's shared backoff until `deadline` (epoch ms). Never rejects.
 */
export async function sendWithRetries(
  request: ExportRequest,
  endpoint: string,
  deadline: number,
  tuning: RetryTuning,
  config: ResolvedConfig,
): Promise<Delivery> {
  let attempts = 0;
  let last: { cause: GiveUpCause; failure: string; status?: number } | undefined;
  for (;;) {
    const turn = turnOf(endpoint, attempts === 0, deadline, tuning);
    if (turn.kind === "give-up") {
      const cause = turn.askedToWait || !last ? "backoff" : last.cause;
      const reason = last ? `${last.failure}; ${turn.reason}` : turn.reason;
      return { answered: false, attempts, cause, reason, ...(last?.status ? { status: last.status } : {}) };
    }
    if (turn.kind === "wait") {
      await sleep(turn.atMs - Date.now());
      continue;
    }
    attempts++;
    const timeoutMs = Math.min(tuning.attemptTimeoutMs, deadline - Date.now());
    const result = await sendOnce(request, timeoutMs, isFinal);
    if (result.kind === "answer" && isFinal(result.status)) {
      recordAnswer(endpoint);
      return { answered: true, attempts, answer: result };
    }
    // An attempt cut short by the export's own deadline says nothing new of the endpoint.
    const cutShort = result.kind === "network" && result.failure === "timed-out" && timeoutMs < tuning.attemptTimeoutMs;
    if (!(cutShort && last)) {
      last =
        result.kind === "answer"
          ? { cause: "retries-exhausted", failure: `HTTP ${result.status}`, status: result.status }
          : { cause: result.failure, failure: result.error, ...(last?.status ? { status: last.status } : {}) };
    }
    const asked = result.kind === "answer" ? retryAfterMs(result.retryAfter) : undefined;
    recordFailure(endpoint, turn.kind === "probe", asked, tuning);
    const failure = redactSecrets(last.failure, config);
    debug(config, `export attempt ${attempts} failed (${failure}); retrying on the endpoint's backoff`);
  }
}

function isFinal(status: number): boolean {
  return !RETRYABLE_STATUSES.has(status);
}

/** A timer of this export's own: nothing another request settles. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** `Retry-After` as delta-seconds or an HTTP date, in ms from now. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
