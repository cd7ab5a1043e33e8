import type { Attributes } from "@opentelemetry/api";
import { SpanKind } from "../core/otel";
import { parseTraceparent } from "../core/propagation";
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_SERVER_ADDRESS,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from "../semconv/core-attributes";
import type { Invocation } from "./invocation";

/**
 * The request span of an HTTP request: name, HTTP attributes, and the trace it continues. The query string is
 * left out: it often carries secrets.
 */
export function describeRequest(request: Request): Pick<Invocation, "name" | "kind" | "attributes" | "remoteParent"> {
  const url = safeUrl(request.url);
  const attributes: Attributes = { [ATTR_HTTP_REQUEST_METHOD]: request.method };
  if (url) {
    attributes[ATTR_URL_PATH] = url.pathname;
    attributes[ATTR_URL_SCHEME] = url.protocol.replace(":", "");
    attributes[ATTR_SERVER_ADDRESS] = url.hostname;
  }
  const userAgent = request.headers.get("user-agent");
  if (userAgent) attributes[ATTR_USER_AGENT_ORIGINAL] = userAgent;
  return {
    name: url ? `${request.method} ${url.pathname}` : request.method,
    kind: SpanKind.SERVER,
    attributes,
    remoteParent: parseTraceparent(request.headers.get("traceparent"), request.headers.get("tracestate")),
  };
}

function safeUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}
