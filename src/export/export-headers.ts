import type { ResolvedConfig } from "../config/options";

/** Headers that describe the body we build; a user header must not contradict them. */
const BODY_HEADERS = new Set(["content-type", "content-encoding", "content-length"]);

/** The headers every body of an export carries: the user's, then the API key as a bearer token. */
export function credentialHeaders(config: ResolvedConfig): Headers {
  const headers = new Headers();
  // Checked when the config was resolved (config/http-checks.ts).
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    if (!BODY_HEADERS.has(name.toLowerCase())) headers.set(name, value);
  }
  // A user's own Authorization header wins: it is how a non-Moda OTLP endpoint is reached.
  if (config.apiKey && !headers.has("authorization")) setAuthorization(headers, config.apiKey);
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

/** One body's headers: the credentials, its content type and, when gzipped, its encoding. */
export function bodyHeaders(credentials: Headers, contentType: string, gzipped: boolean): Headers {
  const headers = new Headers(credentials);
  headers.set("content-type", contentType);
  if (gzipped) headers.set("content-encoding", "gzip");
  return headers;
}

/**
 * Who the exports go to, as the shared backoff tells endpoints apart: the URL and the credentials, so that a key
 * the ingest throttles does not hold back another key's exports to the same URL.
 */
export function endpointIdentity(url: string, credentials: Headers): string {
  let identity = url;
  for (const [name, value] of credentials) identity += `\n${name}: ${value}`;
  return identity;
}
