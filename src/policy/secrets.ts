/**
 * Credentials never leave: every exported string is scrubbed of what looks like one, since a provider's error
 * echoes the key it was sent, URLs carry `key=` parameters and signatures, and a tool's result or an error body
 * can be JSON holding request headers (JSON text inside JSON text, its quotes escaped). One regular expression,
 * one pass over the text, linear in its length.
 */

export const REDACTED = "[REDACTED]";

/**
 * The end of a parameter's or JSON field's name that says it holds a credential: token, secret, signature, sig,
 * password, credential or key, as a word of its own (`X-Amz-Security-Token`, `api_key`, `apiKey`, `key`; not
 * `monkey`). Under the `i` flag camelCase has no boundary, so the usual camelCase heads are listed. Read
 * backwards from the `=` or `:` after the name, so that only those characters start a try.
 */
const CREDENTIAL_NAME_END =
  "(?:^|[^a-z0-9]|%3F|%26|api|access|auth|session|refresh|id|client|app|private|secret|security|signing|account|master)(?:token|secret|signature|sig|passw(?:or)?d|credential|key)";

/** A quote, after the backslashes of JSON text escaped once or more (`\"token\":\"…\"`). */
const QUOTE = String.raw`\\*["']`;

/**
 * Each alternative is either a credential on its own, or a prefix (captured, kept) and the credential after it.
 * Each starts with a literal or a word boundary, never a lookbehind (which would make every position a start,
 * several times slower), and each repetition stops at a character what follows cannot start with: linear.
 * Values stop at quotes and backslashes, so that JSON text stays JSON.
 */
const CREDENTIAL = new RegExp(
  [
    // Keys by shape, also after `_` (`prefix_sk-…`): OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), Groq (gsk_),
    // xAI (xai-), Google (AIza), Stripe (sk_/rk_ live/test), GitHub (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_),
    // Hugging Face (hf_), Slack (xoxa-, xoxb-, xoxp-, xoxr-), JWTs.
    String.raw`(?:\b|(_))(?:sk-[A-Za-z0-9_-]{16,}|gsk_[A-Za-z0-9]{16,}|xai-[A-Za-z0-9]{16,}|AIza[0-9A-Za-z_-]{30,}|[sr]k_(?:live|test)_[A-Za-z0-9]{10,}|gh[opusr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|hf_[A-Za-z0-9]{20,}|xox[abpr]-[A-Za-z0-9-]{10,}|eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*)`,
    // AWS access key ids.
    String.raw`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`,
    // Authorization, API key and token headers, as text (`Authorization: Bearer …`) or JSON, escaped or not.
    String.raw`(\b(?:(?:proxy-)?authorization|(?:x-)?(?:goog-)?api-key|anthropic-api-key|x-(?:auth|amz-security)-token)(?:${QUOTE})?\s*[:=]\s*(?:${QUOTE})?)[^"'\r\n,&}\\]+`,
    // Cookie and Set-Cookie lines: every cookie on the line.
    String.raw`(\b(?:set-)?cookie(?:${QUOTE})?\s*:\s*(?:${QUOTE})?)[^"'\r\n}\\]+`,
    // Bearer tokens.
    String.raw`(\bbearer\s+)[A-Za-z0-9._~+/=-]{8,}`,
    // Query parameters and form fields named like credentials, plain or URL-encoded (`%3Fkey%3D…`).
    String.raw`(=|%3D)(?<=${CREDENTIAL_NAME_END}(?:=|%3D))(?:[^%&#\s"'<>\\]|%(?!26)[0-9A-F]{2})+`,
    // JSON fields named like credentials (`"api_key":"…"`, `\"token\":\"…\"`), string values; a field named
    // just `key` is data (a key-value pair) more often than a credential.
    String.raw`(:\s*${QUOTE})(?<=${CREDENTIAL_NAME_END}${QUOTE}\s*:\s*${QUOTE})(?<!["']key${QUOTE}\s*:\s*${QUOTE})[^"'\r\n\\]+`,
    // The password of a URL's user info (`https://user:password@host`).
    String.raw`(:\/\/[^/\s:@"'\\]+:)[^/\s@"'\\]+(?=@)`,
  ].join("|"),
  "gi",
);

/** The credential replaced, the prefix its alternative captured (the one group that matched) kept. */
function keepPrefix(_match: string, ...groups: unknown[]): string {
  for (const group of groups) {
    // After the groups come the match's offset (a number) and the whole text.
    if (typeof group !== "string" && group !== undefined) break;
    if (group !== undefined) return group + REDACTED;
  }
  return REDACTED;
}

/** `text` with every credential it carries replaced by `[REDACTED]`; the same string when it carries none. */
export function scrubSecrets(text: string): string {
  return text.replace(CREDENTIAL, keepPrefix);
}

/** Attribute names whose value is a credential whatever it looks like (`ai.request.headers.authorization`, …). */
const CREDENTIAL_NAME =
  /(?:^|[._-])(?:authorization|api[_-]?key|cookie|set-cookie|password|passwd|secret|client[_-]?secret|access[_-]?token|refresh[_-]?token|security[_-]?token|session[_-]?token)$/i;

export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}
