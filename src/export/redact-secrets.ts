import type { ResolvedConfig } from "../config/options";

/** Shorter header values are left alone: they are not secrets, and replacing them would garble the text. */
const MIN_SECRET_LENGTH = 4;
/** The scheme before an Authorization header's credentials: `Bearer `, `Basic `, `Api-Token `. */
const AUTH_SCHEME = /^[A-Za-z][\w-]*\s+/;

/**
 * `text` (an ingest's answer, an error) with the config's secrets replaced: the API key and every export header's
 * value, as an ingest may echo them back. Replaced before any cut, so that no part of a secret survives.
 */
export function redactSecrets(text: string, config: Pick<ResolvedConfig, "apiKey" | "headers"> | undefined): string {
  let redacted = text;
  if (config?.apiKey) redacted = redacted.split(config.apiKey).join("[api key]");
  for (const value of Object.values(config?.headers ?? {})) {
    // The whole value, then its credentials alone ("Bearer abc" is echoed back as "abc" too).
    for (const secret of [value, value.replace(AUTH_SCHEME, "")]) {
      if (secret.length >= MIN_SECRET_LENGTH) redacted = redacted.split(secret).join("[header value]");
    }
  }
  return redacted;
}
