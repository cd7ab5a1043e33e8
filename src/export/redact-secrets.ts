import type { ResolvedConfig } from "../config/options";
import { scrubSecrets } from "../policy/secrets";

/** Shorter header values are left alone: they are not secrets, and replacing them would garble the text. */
const MIN_SECRET_LENGTH = 4;
/** The scheme before an Authorization header's credentials: `Bearer `, `Basic `, `Api-Token `. */
const AUTH_SCHEME = /^[A-Za-z][\w-]*\s+/;
/** A secret is replaced only where it stands alone: a short key inside a longer word is that word, not the key. */
const WORD = "[A-Za-z0-9_-]";

/**
 * `text` (an ingest's answer, an error) fit for a log line: the config's own secrets replaced (the API key and
 * every export header's value, which an ingest may echo back), then whatever else looks like a credential. One
 * pass, longest secret first, so that no replacement is itself replaced; before any cut, so no part survives.
 */
export function redactSecrets(text: string, config: Pick<ResolvedConfig, "apiKey" | "headers"> | undefined): string {
  const marks = secretMarks(config);
  if (marks.size === 0) return scrubSecrets(text);
  const secrets = [...marks.keys()].sort((a, b) => b.length - a.length).map(escapeForRegExp);
  const pattern = new RegExp(`(?<!${WORD})(?:${secrets.join("|")})(?!${WORD})`, "g");
  return scrubSecrets(text.replace(pattern, (secret) => marks.get(secret) ?? ""));
}

/** Each secret of the config and the mark that replaces it. */
function secretMarks(config: Pick<ResolvedConfig, "apiKey" | "headers"> | undefined): Map<string, string> {
  const marks = new Map<string, string>();
  for (const value of Object.values(config?.headers ?? {})) {
    // The whole value, then its credentials alone ("Bearer abc" is echoed back as "abc" too).
    for (const secret of [value, value.replace(AUTH_SCHEME, "")]) {
      if (secret.length >= MIN_SECRET_LENGTH) marks.set(secret, "[header value]");
    }
  }
  if (config?.apiKey) marks.set(config.apiKey, "[api key]");
  return marks;
}

function escapeForRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
