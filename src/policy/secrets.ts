/**
 * Credentials never leave: every exported string is scrubbed of what looks like one, since a provider's error
 * echoes the key it was sent and URLs carry `key=` parameters. One regular expression, one pass over the text.
 */

export const REDACTED = "[REDACTED]";

/**
 * Each alternative is either a credential on its own, or a prefix (captured, kept) and the credential after it.
 * The value classes stop at quotes and backslashes, so that JSON text stays JSON.
 */
const CREDENTIAL = new RegExp(
  [
    // Provider API keys: OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), Groq (gsk_), xAI (xai-), Google (AIza).
    String.raw`\b(?:sk-[A-Za-z0-9_-]{16,}|gsk_[A-Za-z0-9]{16,}|xai-[A-Za-z0-9]{16,}|AIza[0-9A-Za-z_-]{30,})`,
    // AWS access key ids.
    String.raw`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`,
    // Authorization and API key headers, as text (`Authorization: Bearer …`) or JSON (`"x-api-key":"…"`).
    String.raw`(\b(?:proxy-)?authorization|\b(?:x-)?(?:goog-)?api-key|\banthropic-api-key)(["']?\s*[:=]\s*["']?)[^"'\r\n,}\\]+`,
    // Bearer tokens.
    String.raw`(\bbearer\s+)[A-Za-z0-9._~+/=-]{8,}`,
    // key=… query parameters and form fields.
    String.raw`((?:^|[?&;\s"'])(?:api[_-]?key|key|access[_-]?token|token|client[_-]?secret|secret|password|sig|signature)=)[^&#\s"'<>\\]+`,
  ].join("|"),
  "gi",
);

function keepPrefix(_match: string, header?: string, separator?: string, bearer?: string, parameter?: string): string {
  if (header !== undefined) return `${header}${separator}${REDACTED}`;
  return `${bearer ?? parameter ?? ""}${REDACTED}`;
}

/** `text` with every credential it carries replaced by `[REDACTED]`; the same string when it carries none. */
export function scrubSecrets(text: string): string {
  return text.replace(CREDENTIAL, keepPrefix);
}

/** Attribute names whose value is a credential whatever it looks like (`ai.request.headers.authorization`, …). */
const CREDENTIAL_NAME =
  /(?:^|[._-])(?:authorization|api[_-]?key|cookie|password|passwd|secret|client[_-]?secret|access[_-]?token|refresh[_-]?token)$/i;

export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}
