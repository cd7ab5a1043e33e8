/**
 * `server.address` and `server.port` from a base URL (created by the Google/Bedrock helper for any provider whose
 * client keeps its endpoint as a URL string).
 */
export interface Server {
  serverAddress?: string;
  serverPort?: number;
}

/** The host (IPv6 without brackets) and port (the scheme's default when none) of `url`; nothing for a non-URL. */
export function serverOfUrl(url: unknown): Server {
  const parsed = parseUrl(url);
  if (!parsed) return {};
  return {
    serverAddress: parsed.hostname.replace(/^\[(.*)\]$/, "$1"),
    serverPort: Number(parsed.port) || (parsed.protocol === "http:" ? 80 : 443),
  };
}

/** `value` (a URL or its string) as a URL; undefined for anything else. */
export function parseUrl(value: unknown): URL | undefined {
  if (typeof value !== "string" && !(value instanceof URL)) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
