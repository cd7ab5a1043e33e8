import type { ResolvedConfig } from "../config/options";
import { decodePartialSuccess } from "./otlp/trace-response-protobuf";
import { redactSecrets } from "./redact-secrets";
import type { FinalAnswer } from "./retrying-transport";

const BODY_EXCERPT_CHARS = 200;

/** The answer's `partialSuccess`, when it rejected spans or carries a message. */
export function partialSuccessOf(
  answer: FinalAnswer,
  protocol: ResolvedConfig["protocol"],
): { rejectedSpans: number; errorMessage: string } | undefined {
  if (answer.body.length === 0) return undefined;
  const json =
    answer.contentType.includes("json") || (protocol === "http/json" && !answer.contentType.includes("protobuf"));
  try {
    const partial: { rejectedSpans?: unknown; errorMessage?: unknown } | undefined = json
      ? JSON.parse(new TextDecoder().decode(answer.body))?.partialSuccess
      : decodePartialSuccess(answer.body);
    const rejectedSpans = Number(partial?.rejectedSpans ?? 0) || 0;
    const errorMessage = typeof partial?.errorMessage === "string" ? partial.errorMessage : "";
    return rejectedSpans > 0 || errorMessage ? { rejectedSpans, errorMessage } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The start of the answer's body on one line, as the endpoint's own words on why it refused. Secrets are replaced
 * before the cut, so that no part of a key echoed back survives.
 */
export function bodyExcerpt(body: Uint8Array, config: ResolvedConfig): string {
  const text = redactSecrets(new TextDecoder().decode(body), config).replace(/\s+/g, " ").trim();
  return text.length > BODY_EXCERPT_CHARS ? `${text.slice(0, BODY_EXCERPT_CHARS)}…` : text;
}
