/** One HTTP attempt of an export: a POST over `fetch`, its answer read up to a bound, or why there was none. */

export interface ExportRequest {
  readonly url: string;
  readonly headers: Headers;
  readonly body: Uint8Array<ArrayBuffer>;
}

/** Why an attempt got no answer. */
export type NetworkFailure = "unreachable" | "timed-out" | "tls";

export type AttemptResult =
  | {
      kind: "answer";
      status: number;
      retryAfter: string | null;
      contentType: string;
      /** At most `MAX_ANSWER_BYTES`; empty for an answer that is retried. */
      body: Uint8Array<ArrayBuffer>;
    }
  | { kind: "network"; failure: NetworkFailure; error: string };

/**
 * The most of an answer's body that is read: an OTLP answer is a `partialSuccess` of a few dozen bytes, or an error
 * text; a larger body (a misconfigured endpoint serving a file) is cut there, not held in memory whole.
 */
export const MAX_ANSWER_BYTES = 64 * 1024;
/** Node reports a TLS failure in its cause (ERR_SSL_…, certificate codes); workerd's message says nothing of it. */
const TLS_ERROR = /\b(ssl|tls)\b|ERR_SSL|ERR_TLS|CERT|certificate|handshake/i;

/** POSTs the request, aborted after `timeoutMs`. Never rejects. */
export async function sendOnce(
  request: ExportRequest,
  timeoutMs: number,
  readsBody: (status: number) => boolean,
): Promise<AttemptResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(request.url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
    });
    const body = readsBody(response.status) ? await readBounded(response) : await discard(response);
    return {
      kind: "answer",
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      contentType: response.headers.get("content-type") ?? "",
      body,
    };
  } catch (error) {
    if (controller.signal.aborted)
      return { kind: "network", failure: "timed-out", error: `no answer within ${timeoutMs} ms` };
    const described = describeError(error);
    return { kind: "network", failure: TLS_ERROR.test(described) ? "tls" : "unreachable", error: described };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Up to `MAX_ANSWER_BYTES` of the body; the rest is cancelled unread. A body that fails mid-read still leaves the
 * status standing: a 2xx must not be retried into duplicates.
 */
async function readBounded(response: Response): Promise<Uint8Array<ArrayBuffer>> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(0);
  const kept = new Uint8Array(MAX_ANSWER_BYTES);
  let length = 0;
  try {
    while (length < MAX_ANSWER_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = Math.min(value.byteLength, MAX_ANSWER_BYTES - length);
      kept.set(value.subarray(0, take), length);
      length += take;
    }
    if (length >= MAX_ANSWER_BYTES) await reader.cancel();
  } catch {
    // What arrived is kept.
  }
  return kept.slice(0, length);
}

async function discard(response: Response): Promise<Uint8Array<ArrayBuffer>> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to release.
  }
  return new Uint8Array(0);
}

/** The error and, as Node's fetch puts the reason there, its cause. */
export function describeError(error: unknown): string {
  try {
    if (!(error instanceof Error)) return String(error);
    const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
    const code = typeof cause?.code === "string" ? `${cause.code} ` : "";
    const because = typeof cause?.message === "string" ? ` (${code}${cause.message.trim()})` : "";
    return `${error.name}: ${error.message}${because}`;
  } catch {
    return "unknown error";
  }
}
