import type { Attributes } from "@opentelemetry/api";
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_SERVER_ADDRESS,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from "../semconv-core";

/** The request span's name and HTTP attributes. The query string is left out: it often carries secrets. */
export function describeRequest(request: Request): { name: string; attributes: Attributes } {
  const url = safeUrl(request.url);
  const attributes: Attributes = { [ATTR_HTTP_REQUEST_METHOD]: request.method };
  if (url) {
    attributes[ATTR_URL_PATH] = url.pathname;
    attributes[ATTR_URL_SCHEME] = url.protocol.replace(":", "");
    attributes[ATTR_SERVER_ADDRESS] = url.hostname;
  }
  const userAgent = request.headers.get("user-agent");
  if (userAgent) attributes[ATTR_USER_AGENT_ORIGINAL] = userAgent;
  return { name: url ? `${request.method} ${url.pathname}` : request.method, attributes };
}

function safeUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}
