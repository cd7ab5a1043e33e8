import type { Attributes } from "@opentelemetry/api";
import { SpanKind } from "../../core/otel";
import { parseTraceparent } from "../../core/propagation";
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_SERVER_ADDRESS,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from "../../semconv/core-attributes";
import type { Invocation } from "../invocation";

/** The parts of Node's `IncomingMessage` (Express's `req`, Next's `NextApiRequest`) the tracer reads. */
export interface IncomingMessageLike {
  readonly method?: string;
  readonly url?: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly socket?: { readonly encrypted?: boolean } | null;
}

function header(message: IncomingMessageLike, name: string): string | undefined {
  const value = message.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The request span of a Node `(req, res)` call, described as `describeRequest` describes a `Request`. */
export function describeIncomingMessage(
  message: IncomingMessageLike,
): Pick<Invocation, "name" | "kind" | "attributes" | "remoteParent"> {
  const method = message.method ?? "GET";
  // The query string is left out: it often carries secrets.
  const path = (message.url ?? "/").split("?")[0] || "/";
  const attributes: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_PATH]: path,
    [ATTR_URL_SCHEME]: header(message, "x-forwarded-proto") ?? (message.socket?.encrypted ? "https" : "http"),
  };
  const host = header(message, "host");
  if (host) attributes[ATTR_SERVER_ADDRESS] = host.replace(/:\d+$/, "");
  const userAgent = header(message, "user-agent");
  if (userAgent) attributes[ATTR_USER_AGENT_ORIGINAL] = userAgent;
  return {
    name: `${method} ${path}`,
    kind: SpanKind.SERVER,
    attributes,
    remoteParent: parseTraceparent(header(message, "traceparent") ?? null, header(message, "tracestate")),
  };
}
