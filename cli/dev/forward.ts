/** Sends an export request's body on to Moda as it came (same encoding), with the user's key. */
import type { ForwardTarget } from "./options";

export interface ForwardOutcome {
  ok: boolean;
  /** What to tell the user: the status and Moda's complaint, or why nothing was answered. Never the key. */
  summary: string;
}

const FORWARD_TIMEOUT_MS = 20_000;
const MAX_COMPLAINT_CHARS = 300;

export async function forwardExport(
  target: ForwardTarget,
  body: Uint8Array,
  headers: { contentType: string; contentEncoding: string },
): Promise<ForwardOutcome> {
  const sent: Record<string, string> = {
    "content-type": headers.contentType,
    authorization: `Bearer ${target.apiKey}`,
  };
  if (headers.contentEncoding) sent["content-encoding"] = headers.contentEncoding;
  try {
    const response = await fetch(target.url, {
      method: "POST",
      headers: sent,
      body: body as Uint8Array<ArrayBuffer>,
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
    const text = response.ok ? "" : (await response.text()).slice(0, MAX_COMPLAINT_CHARS);
    const summary = `${response.status}${text ? `: ${text}` : ""}`;
    return { ok: response.ok, summary: withoutKey(summary, target.apiKey) };
  } catch (error) {
    return { ok: false, summary: withoutKey(`not sent: ${errorText(error)}`, target.apiKey) };
  }
}

function errorText(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${String(error)} (${cause.message})` : String(error);
}

/** Whatever an answer or an error echoes, the key is not printed. */
function withoutKey(text: string, apiKey: string): string {
  return text.split(apiKey).join("<your key>");
}
