import { DEFAULT_BASE_URL, type ResolvedConfig } from "../config/options";
import { debug, warnOnce } from "../core/debug";
import { redactSecrets } from "./redact-secrets";

/**
 * Data loss is never silent: the first loss of each kind (per endpoint) is a `console.warn`, whatever `debug` says,
 * with what Moda's setup guide tells a user to check; every loss is counted, and each is a debug line with the count
 * so far. No secret is ever written: foreign text (an answer, an error) has the config's secrets replaced.
 */

export type LossKind =
  /** No connection (refused, DNS, reset), until the deadline. */
  | "unreachable"
  /** Connected, but no answer within the attempt's time, until the deadline. */
  | "timed-out"
  /** The TLS handshake failed (`https://` to a plain-HTTP server, a bad certificate). */
  | "tls"
  /** A transient status (429, 502, 503, 504) until the deadline. */
  | "retries-exhausted"
  /** Held back by the endpoint's backoff or its `Retry-After` past the deadline. */
  | "backoff"
  /** A final status other than 2xx. */
  | "rejected"
  /** A span larger than `maxExportBytes`, or a body the endpoint refused as too large even once halved. */
  | "too-large"
  /** Accepted with a `partialSuccess` that rejected spans. */
  | "partially-rejected"
  /** The export could not be built: a tracer bug. */
  | "internal";

const CHECK_URL = `Check the endpoint URL (MODA_BASE_URL; Moda's is ${DEFAULT_BASE_URL}) and that outbound HTTPS is allowed.`;
/** workerd reports a failed TLS handshake as an "internal error": an unreachable https:// endpoint gets this too. */
const CHECK_TLS = "An https:// URL needs a server that speaks HTTPS.";

/** What each kind says, after "lost N span(s): ", and what to do. */
const SAYS: Record<LossKind, (where: string, detail: string, status?: number) => string> = {
  unreachable: (where, detail) =>
    `could not connect to ${where} (${detail}). ${CHECK_URL}${where.startsWith("https:") ? ` ${CHECK_TLS}` : ""}`,
  "timed-out": (where, detail) => `${where} did not answer in time (${detail}). ${CHECK_URL}`,
  tls: (where, detail) => `TLS to ${where} failed (${detail}). ${CHECK_TLS} ${CHECK_URL}`,
  "retries-exhausted": (where, detail, status) =>
    `${where} kept answering HTTP ${status} until the export's deadline (${detail}): it is overloaded or down.`,
  backoff: (where, detail) =>
    `the backoff for ${where} held them past the export's deadline (${detail}); it failed, or asked to wait (Retry-After, honoured up to 60 s).`,
  rejected: (where, detail, status) =>
    `${where} answered HTTP ${status}${detail ? `: ${detail}` : ""}. Not retried.${
      status === 401 || status === 403 ? " Check the API key (MODA_API_KEY)." : status === 404 ? ` ${CHECK_URL}` : ""
    }`,
  "too-large": (_, detail) => `${detail}. Lower maxExportBytes (MODA_MAX_EXPORT_BYTES) or the size limits.`,
  "partially-rejected": (where, detail) => `${where} rejected them${detail ? `: ${detail}` : ""}.`,
  internal: (_, detail) => `the export failed (${detail}), a moda-edge bug.`,
};

const lost = new Map<LossKind, number>();

export interface Loss {
  kind: LossKind;
  spans: number;
  /** What happened, in our words or the endpoint's; secrets are replaced before it is written. */
  detail: string;
  status?: number | undefined;
}

/** Counts the loss and says so: once as a warning, always under `debug`. */
export function reportLoss(config: ResolvedConfig | undefined, { kind, spans, detail, status }: Loss): void {
  const total = (lost.get(kind) ?? 0) + spans;
  lost.set(kind, total);
  const where = endpointOf(config?.baseUrl);
  const said = redactSecrets(detail, config);
  // Each refusing status is a mistake of its own (a key, a URL); other kinds are one problem whatever the status.
  warnOnce(
    `loss:${kind}:${where}:${kind === "rejected" ? status : ""}`,
    `lost ${spans} span(s): ${SAYS[kind](where, said, status)} (Said once; debug logs each loss.)`,
  );
  debug({ debug: config?.debug === true }, `dropped ${spans} span(s) (${kind}, ${total} so far): ${said}`);
}

/** Spans lost this way since the isolate started. */
export function lostSpans(kind: LossKind): number {
  return lost.get(kind) ?? 0;
}

/** The endpoint as it may be shown: origin and path, never a query (which can carry a token). */
function endpointOf(baseUrl: string | undefined): string {
  try {
    const url = new URL(baseUrl ?? "");
    return url.origin + url.pathname;
  } catch {
    return "the endpoint";
  }
}
