import type { ResolvedConfig } from "../config/options";
import { debug, warnOnce } from "../core/debug";
import { type BackoffTuning, recordAnswer, recordFailure, waitForTurn } from "./endpoint-backoff";
import type { ExportableSpan } from "./otlp/exportable-span";
import { encodeTraceRequestJson } from "./otlp/trace-json";
import { encodeTraceRequestProtobuf } from "./otlp/trace-protobuf";
import { decodePartialSuccess } from "./otlp/trace-response-protobuf";

export interface ExportOutcome {
  ok: boolean;
  attempts: number;
  status?: number;
  rejectedSpans?: number;
  error?: string;
}

/** Retry timing. Tests shrink it; not part of the public API. */
export interface RetryTuning extends BackoffTuning {
  attemptTimeoutMs: number;
}

const DEFAULT_TUNING: RetryTuning = {
  baseDelayMs: 250,
  maxDelayMs: 5_000,
  attemptTimeoutMs: 10_000,
};
/** The statuses the OTLP/HTTP specification calls transient. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** Headers that describe the body we build; a user header must not contradict them. */
const BODY_HEADERS = new Set(["content-type", "content-encoding", "content-length"]);
const BODY_EXCERPT_CHARS = 200;
/**
 * A smaller body goes plain: a request's own span alone (about 400 bytes) gzips to a few dozen bytes less, for
 * about 0.1 ms of CPU in workerd and 0.3 ms in Node, and a Worker is billed for CPU, not for bytes sent.
 */
const GZIP_MIN_BYTES = 1024;

interface PreparedRequest {
  readonly url: string;
  readonly host: string;
  readonly headers: Headers;
  readonly body: Uint8Array<ArrayBuffer>;
}

type AttemptResult =
  | {
      kind: "answer";
      status: number;
      retryAfter: string | null;
      contentType: string;
      body: Uint8Array<ArrayBuffer>;
    }
  | { kind: "network"; error: string };

/**
 * Sends spans to `config.baseUrl` as one OTLP/HTTP request, retrying transient failures until `deadline`
 * (absolute epoch ms; default now + `config.exportTimeoutMs`). Never throws, never rejects.
 */
export async function exportSpans(
  spans: readonly ExportableSpan[],
  config: ResolvedConfig,
  deadline?: number,
  tuning?: Partial<RetryTuning>,
): Promise<ExportOutcome> {
  const progress = { attempts: 0 };
  try {
    if (spans.length === 0) return { ok: true, attempts: 0 };
    const request = await prepareRequest(spans, config);
    const until = deadline ?? Date.now() + config.exportTimeoutMs;
    return await sendWithRetries(request, config, until, { ...DEFAULT_TUNING, ...tuning }, progress);
  } catch (error) {
    const outcome = {
      ok: false,
      attempts: progress.attempts,
      error: `export failed: ${describeError(error)}`,
    };
    debug({ debug: config?.debug === true }, `${outcome.error}; the spans of this export are dropped`);
    return outcome;
  }
}

async function prepareRequest(spans: readonly ExportableSpan[], config: ResolvedConfig): Promise<PreparedRequest> {
  const url = new URL(config.baseUrl);
  const json = config.protocol === "http/json";
  const plain = json ? encodeTraceRequestJson(spans) : encodeTraceRequestProtobuf(spans);
  const gzipped = config.compression === "gzip" && plain.byteLength >= GZIP_MIN_BYTES ? await gzip(plain) : undefined;
  const headers = buildHeaders(config, json ? "application/json" : "application/x-protobuf", gzipped !== undefined);
  return { url: url.href, host: url.host, headers, body: gzipped ?? plain };
}

/**
 * Gzips through `CompressionStream`; undefined where the runtime has none (the body then goes plain).
 * Read from `globalThis` so that Next.js's edge check does not flag a global it cannot see is guarded.
 */
async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const Compression = globalThis.CompressionStream;
  if (typeof Compression !== "function") return undefined;
  try {
    // Written into the stream directly: piping a Blob's stream through it took up to 1.8 times the CPU.
    const compression = new Compression("gzip");
    const writer = compression.writable.getWriter();
    const [, , compressed] = await Promise.all([
      writer.write(bytes),
      writer.close(),
      new Response(compression.readable).arrayBuffer(),
    ]);
    return new Uint8Array(compressed);
  } catch {
    return undefined;
  }
}

function buildHeaders(config: ResolvedConfig, contentType: string, gzipped: boolean): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    if (BODY_HEADERS.has(name.toLowerCase())) continue;
    try {
      headers.set(name, value);
    } catch {
      warnOnce(`export-header:${name}`, `ignoring the export header ${JSON.stringify(name)}: not a valid HTTP header`);
    }
  }
  // A user's own Authorization header wins: it is how a non-Moda OTLP endpoint is reached.
  if (config.apiKey && !headers.has("authorization")) setAuthorization(headers, config.apiKey);
  headers.set("content-type", contentType);
  if (gzipped) headers.set("content-encoding", "gzip");
  return headers;
}

function setAuthorization(headers: Headers, apiKey: string): void {
  try {
    headers.set("authorization", `Bearer ${apiKey}`);
  } catch {
    // The runtime's message would quote the key.
    throw new Error("the API key cannot be sent in an HTTP header (it contains invalid characters)");
  }
}

async function sendWithRetries(
  request: PreparedRequest,
  config: ResolvedConfig,
  deadline: number,
  tuning: RetryTuning,
  progress: { attempts: number },
): Promise<ExportOutcome> {
  // The last status the endpoint answered, reported when a later attempt gets no answer at all.
  let lastStatus: number | undefined;
  for (;;) {
    const turn = await waitForTurn(request.url, deadline, tuning.attemptTimeoutMs);
    if (typeof turn === "object") return giveUp(config, progress.attempts, lastStatus, turn.giveUp);
    progress.attempts++;
    const result = await attemptOnce(request, Math.min(tuning.attemptTimeoutMs, deadline - Date.now()));
    if (result.kind === "answer" && !RETRYABLE_STATUSES.has(result.status)) {
      recordAnswer(request.url);
      return settle(result, request, config, progress.attempts);
    }
    const failure = result.kind === "answer" ? `HTTP ${result.status}` : result.error;
    if (result.kind === "answer") lastStatus = result.status;
    const asked = result.kind === "answer" ? retryAfterMs(result.retryAfter) : undefined;
    const wait = recordFailure(request.url, turn === "probe", asked, tuning);
    if (Date.now() + wait >= deadline) {
      return giveUp(
        config,
        progress.attempts,
        lastStatus,
        `${failure}, and a retry in ${wait} ms would pass the deadline`,
      );
    }
    debug(config, `export attempt ${progress.attempts} failed (${failure}); retrying in ${wait} ms`);
  }
}

async function attemptOnce(request: PreparedRequest, timeoutMs: number): Promise<AttemptResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(request.url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
    });
    const retryable = RETRYABLE_STATUSES.has(response.status);
    const body = retryable ? await discardBody(response) : await readBody(response);
    return {
      kind: "answer",
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      contentType: response.headers.get("content-type") ?? "",
      body,
    };
  } catch (error) {
    return {
      kind: "network",
      error: controller.signal.aborted ? `no answer within ${timeoutMs} ms` : describeError(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** A body that fails mid-read still leaves the status standing: a 2xx must not be retried into duplicates. */
async function readBody(response: Response): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return new Uint8Array(await response.arrayBuffer());
  } catch {
    return new Uint8Array(0);
  }
}

async function discardBody(response: Response): Promise<Uint8Array<ArrayBuffer>> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to release.
  }
  return new Uint8Array(0);
}

/** `Retry-After` as delta-seconds or an HTTP date, in ms from now. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function settle(
  result: Extract<AttemptResult, { kind: "answer" }>,
  request: PreparedRequest,
  config: ResolvedConfig,
  attempts: number,
): ExportOutcome {
  const { status } = result;
  if (status >= 200 && status < 300) return accepted(result, config, attempts);
  const excerpt = bodyExcerpt(result.body, config.apiKey);
  warnOnce(
    `export-status:${status}`,
    `moda-edge could not export spans: ${request.host} answered HTTP ${status}${excerpt ? `: ${excerpt}` : ""}. ` +
      "This status is not retried; the spans of this export are dropped.",
  );
  return { ok: false, attempts, status, error: `HTTP ${status}` };
}

function accepted(
  result: Extract<AttemptResult, { kind: "answer" }>,
  config: ResolvedConfig,
  attempts: number,
): ExportOutcome {
  const outcome: ExportOutcome = { ok: true, attempts, status: result.status };
  const partial = partialSuccessOf(result, config.protocol);
  if (!partial) return outcome;
  if (partial.rejectedSpans > 0) outcome.rejectedSpans = partial.rejectedSpans;
  if (partial.errorMessage) outcome.error = partial.errorMessage;
  debug(config, `the endpoint rejected ${partial.rejectedSpans} span(s) of the export`, partial.errorMessage);
  return outcome;
}

/** The response's `partialSuccess`, when it rejected spans or carries a message. */
function partialSuccessOf(
  result: Extract<AttemptResult, { kind: "answer" }>,
  protocol: ResolvedConfig["protocol"],
): { rejectedSpans: number; errorMessage: string } | undefined {
  if (result.body.length === 0) return undefined;
  const json =
    result.contentType.includes("json") || (protocol === "http/json" && !result.contentType.includes("protobuf"));
  try {
    const partial: { rejectedSpans?: unknown; errorMessage?: unknown } | undefined = json
      ? JSON.parse(new TextDecoder().decode(result.body))?.partialSuccess
      : decodePartialSuccess(result.body);
    const rejectedSpans = Number(partial?.rejectedSpans ?? 0) || 0;
    const errorMessage = typeof partial?.errorMessage === "string" ? partial.errorMessage : "";
    return rejectedSpans > 0 || errorMessage ? { rejectedSpans, errorMessage } : undefined;
  } catch {
    return undefined;
  }
}

function bodyExcerpt(body: Uint8Array, apiKey: string | undefined): string {
  const decoded = new TextDecoder().decode(body);
  // Redact before cutting, so that no part of a key echoed back survives.
  const text = (apiKey ? decoded.split(apiKey).join("[api key]") : decoded).replace(/\s+/g, " ").trim();
  return text.length > BODY_EXCERPT_CHARS ? `${text.slice(0, BODY_EXCERPT_CHARS)}…` : text;
}

function giveUp(config: ResolvedConfig, attempts: number, status: number | undefined, reason: string): ExportOutcome {
  debug(config, `giving up the export after ${attempts} attempt(s): ${reason}; the spans of this export are dropped`);
  const outcome: ExportOutcome = { ok: false, attempts, error: reason };
  if (status !== undefined) outcome.status = status;
  return outcome;
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return "unknown error";
  }
}
