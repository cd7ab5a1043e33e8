import type { Attributes } from "@opentelemetry/api";
import { SpanKind } from "../../core/otel";
import { parseTraceparent } from "../../core/propagation";
import {
  ATTR_CLOUD_PROVIDER,
  ATTR_FAAS_INVOCATION_ID,
  ATTR_FAAS_NAME,
  ATTR_FAAS_TRIGGER,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_URL_PATH,
  ATTR_USER_AGENT_ORIGINAL,
} from "../../semconv/core-attributes";
import type { Invocation } from "../invocation";

/** The parts of a Lambda `context` the tracer reads. */
export interface LambdaContextLike {
  readonly awsRequestId?: string;
  readonly functionName?: string;
  getRemainingTimeInMillis(): number;
}

type Headers = Readonly<Record<string, string | undefined>> | null | undefined;

/** API Gateway HTTP API (payload 2.0) and function URL events. */
interface HttpEventV2 {
  readonly version: "2.0";
  readonly routeKey?: string;
  readonly rawPath?: string;
  readonly headers?: Headers;
  readonly requestContext: { readonly http: { readonly method: string }; readonly domainName?: string };
}

/** API Gateway REST API (payload 1.0) events. */
interface HttpEventV1 {
  readonly httpMethod: string;
  readonly path?: string;
  readonly resource?: string;
  readonly headers?: Headers;
  readonly requestContext?: { readonly domainName?: string };
}

type Description = Pick<Invocation, "name" | "kind" | "attributes" | "remoteParent">;

/** A header by name, whatever its case (API Gateway 1.0 keeps the client's). */
function header(headers: Headers, name: string): string | undefined {
  if (!headers) return undefined;
  const exact = headers[name];
  if (exact !== undefined) return exact;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function isHttpV2(event: unknown): event is HttpEventV2 {
  const e = event as Partial<HttpEventV2> | null;
  return e?.version === "2.0" && typeof e.requestContext?.http?.method === "string";
}

function isHttpV1(event: unknown): event is HttpEventV1 {
  return typeof (event as Partial<HttpEventV1> | null)?.httpMethod === "string";
}

function describeHttp(
  method: string,
  path: string,
  route: string | undefined,
  host: string | undefined,
  headers: Headers,
): Description {
  const attributes: Attributes = {
    [ATTR_FAAS_TRIGGER]: "http",
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_PATH]: path,
  };
  if (route) attributes[ATTR_HTTP_ROUTE] = route;
  if (host) attributes[ATTR_SERVER_ADDRESS] = host;
  const userAgent = header(headers, "user-agent");
  if (userAgent) attributes[ATTR_USER_AGENT_ORIGINAL] = userAgent;
  return {
    name: `${method} ${route ?? path}`,
    kind: SpanKind.SERVER,
    attributes,
    remoteParent: parseTraceparent(header(headers, "traceparent") ?? null, header(headers, "tracestate")),
  };
}

/** The span of one Lambda invocation: HTTP events (API Gateway 1.0 and 2.0, function URLs) as requests, others by the function's name. */
export function describeLambdaEvent(event: unknown, context: LambdaContextLike): Description {
  const description = describeEvent(event, context);
  const attributes: Attributes = { ...description.attributes, [ATTR_CLOUD_PROVIDER]: "aws" };
  if (context.awsRequestId) attributes[ATTR_FAAS_INVOCATION_ID] = context.awsRequestId;
  if (context.functionName) attributes[ATTR_FAAS_NAME] = context.functionName;
  return { ...description, attributes };
}

function describeEvent(event: unknown, context: LambdaContextLike): Description {
  if (isHttpV2(event)) {
    // A function URL's routeKey is "$default": no route to name.
    const route = event.routeKey?.startsWith("$") ? undefined : event.routeKey?.split(" ")[1];
    const method = event.requestContext.http.method;
    return describeHttp(method, event.rawPath ?? "/", route, event.requestContext.domainName, event.headers);
  }
  if (isHttpV1(event)) {
    return describeHttp(
      event.httpMethod,
      event.path ?? "/",
      event.resource,
      event.requestContext?.domainName,
      event.headers,
    );
  }
  return {
    name: context.functionName ?? "invoke",
    kind: SpanKind.SERVER,
    attributes: { [ATTR_FAAS_TRIGGER]: "other" },
  };
}
