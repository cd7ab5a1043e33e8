import type { ResolvedConfig } from "../config/options";
import { bodyExcerpt, partialSuccessOf } from "./export-answer";
import { type Encode, type EncodedBody, halve, splitIntoBodies } from "./export-bodies";
import { bodyHeaders, credentialHeaders, endpointIdentity } from "./export-headers";
import { describeError } from "./fetch-transport";
import { GZIP_MIN_BYTES, gzip } from "./gzip";
import { type Loss, reportLoss } from "./loss-report";
import type { ExportableSpan } from "./otlp/exportable-span";
import { encodeTraceRequestJson } from "./otlp/trace-json";
import { encodeTraceRequestProtobuf } from "./otlp/trace-protobuf";
import { redactSecrets } from "./redact-secrets";
import { DEFAULT_TUNING, type RetryTuning, sendWithRetries } from "./retrying-transport";

/**
 * The OTLP/HTTP trace exporter: a request's spans, encoded into as many bodies as `maxExportBytes` takes, each
 * sent over the retrying transport; a body refused as too large (413) is halved and its halves sent once. Every
 * span that does not arrive is counted and reported (loss-report.ts).
 */

export interface ExportOutcome {
  /** Every span reached the endpoint (spans its `partialSuccess` rejected are counted in `rejectedSpans`). */
  ok: boolean;
  /** HTTP attempts, every body's. */
  attempts: number;
  /** Spans that did not reach the endpoint. */
  dropped: number;
  /** The last status the endpoint answered. */
  status?: number;
  rejectedSpans?: number;
  /** Why the first spans were lost, or the endpoint's message on a partial success. */
  error?: string;
}

interface ExportTarget {
  readonly config: ResolvedConfig;
  readonly encode: Encode;
  readonly contentType: string;
  readonly credentials: Headers;
  /** Who the endpoint's shared backoff is kept for: URL and credentials. */
  readonly endpoint: string;
  readonly deadline: number;
  readonly tuning: RetryTuning;
}

/** What an export came to, filled in as its bodies settle. */
class Tally {
  readonly outcome: ExportOutcome = { ok: true, attempts: 0, dropped: 0 };
  settled = 0;

  constructor(private readonly config: ResolvedConfig | undefined) {}

  delivered(spans: number, status: number): void {
    this.settled += spans;
    this.outcome.status = status;
  }

  lost(loss: Loss): void {
    this.settled += loss.spans;
    this.outcome.ok = false;
    this.outcome.dropped += loss.spans;
    this.outcome.error ??= redactSecrets(loss.detail, this.config);
    if (loss.status !== undefined) this.outcome.status = loss.status;
    reportLoss(this.config, loss);
  }

  rejected(partial: { rejectedSpans: number; errorMessage: string }): void {
    this.outcome.rejectedSpans = (this.outcome.rejectedSpans ?? 0) + partial.rejectedSpans;
    if (partial.errorMessage) this.outcome.error ??= redactSecrets(partial.errorMessage, this.config);
    if (partial.rejectedSpans > 0) {
      reportLoss(this.config, {
        kind: "partially-rejected",
        spans: partial.rejectedSpans,
        detail: partial.errorMessage,
      });
    }
  }
}

/**
 * Sends spans to `config.baseUrl`, retrying transient failures until `deadline` (absolute epoch ms; default now +
 * `config.exportTimeoutMs`). Never throws, never rejects.
 */
export async function exportSpans(
  spans: readonly ExportableSpan[],
  config: ResolvedConfig,
  deadline?: number,
  tuning?: Partial<RetryTuning>,
): Promise<ExportOutcome> {
  const tally = new Tally(config ?? undefined);
  if (spans.length === 0) return tally.outcome;
  try {
    const target = exportTarget(config, deadline ?? Date.now() + config.exportTimeoutMs, {
      ...DEFAULT_TUNING,
      ...tuning,
    });
    const { bodies, oversized } = splitIntoBodies(spans, target.encode, config.maxExportBytes);
    if (oversized.length > 0) {
      const largest = Math.max(...oversized.map((span) => span.bytes));
      tally.lost({
        kind: "too-large",
        spans: oversized.length,
        detail:
          `${oversized.length} span(s) of up to ${largest} bytes exceed maxExportBytes (${config.maxExportBytes}) ` +
          "even alone; they were dropped, and the request's other spans sent",
      });
    }
    await Promise.all(bodies.map((body) => deliver(body, target, tally, true)));
  } catch (error) {
    tally.lost({ kind: "internal", spans: spans.length - tally.settled, detail: describeError(error) });
  }
  return tally.outcome;
}

function exportTarget(config: ResolvedConfig, deadline: number, tuning: RetryTuning): ExportTarget {
  const url = new URL(config.baseUrl).href;
  const json = config.protocol === "http/json";
  const credentials = credentialHeaders(config);
  return {
    config,
    encode: json ? encodeTraceRequestJson : encodeTraceRequestProtobuf,
    contentType: json ? "application/json" : "application/x-protobuf",
    credentials,
    endpoint: endpointIdentity(url, credentials),
    deadline,
    tuning,
  };
}

/** Sends one body; halves it once when the endpoint refuses it as too large. Never rejects. */
async function deliver(body: EncodedBody, target: ExportTarget, tally: Tally, mayHalve: boolean): Promise<void> {
  const { config } = target;
  const spans = body.spans.length;
  const gzipped =
    config.compression === "gzip" && body.bytes.byteLength >= GZIP_MIN_BYTES ? await gzip(body.bytes) : undefined;
  const request = {
    url: config.baseUrl,
    headers: bodyHeaders(target.credentials, target.contentType, gzipped !== undefined),
    body: gzipped ?? body.bytes,
  };
  const delivery = await sendWithRetries(request, target.endpoint, target.deadline, target.tuning, config);
  tally.outcome.attempts += delivery.attempts;
  if (!delivery.answered) {
    tally.lost({ kind: delivery.cause, spans, detail: delivery.reason, status: delivery.status });
    return;
  }
  const { answer } = delivery;
  if (answer.status >= 200 && answer.status < 300) {
    tally.delivered(spans, answer.status);
    const partial = partialSuccessOf(answer, config.protocol);
    if (partial) tally.rejected(partial);
    return;
  }
  if (answer.status === 413 && mayHalve && spans > 1) {
    await Promise.all(halve(body, target.encode).map((half) => deliver(half, target, tally, false)));
    return;
  }
  tally.lost(
    answer.status === 413
      ? {
          kind: "too-large",
          spans,
          status: 413,
          detail:
            `the endpoint refused a body of ${body.bytes.byteLength} bytes (${spans} span(s)) as too large ` +
            `(HTTP 413${mayHalve ? "" : ", even halved"})${withExcerpt(answer.body, config)}`,
        }
      : { kind: "rejected", spans, status: answer.status, detail: bodyExcerpt(answer.body, config) },
  );
}

function withExcerpt(body: Uint8Array, config: ResolvedConfig): string {
  const excerpt = bodyExcerpt(body, config);
  return excerpt ? `: ${excerpt}` : "";
}

/** One line on what an export of `count` spans came to, for `debug`. */
export function describeOutcome(count: number, outcome: ExportOutcome): string {
  const rejected = outcome.rejectedSpans ? `; the endpoint rejected ${outcome.rejectedSpans} of them` : "";
  if (outcome.ok) return `exported ${count} span(s) in ${outcome.attempts} attempt(s)${rejected}`;
  return (
    `exported ${count - outcome.dropped} of ${count} span(s), dropped ${outcome.dropped} ` +
    `after ${outcome.attempts} attempt(s): ${outcome.error ?? "unknown"}${rejected}`
  );
}
