/**
 * Attribute names of the spans that are not LLM calls: the request (root) span, exceptions, the exported
 * resource, and the tracer's own markers. LLM span attributes live in llm-attributes.ts.
 */

export const EVENT_EXCEPTION = "exception";
export const ATTR_EXCEPTION_TYPE = "exception.type";
export const ATTR_EXCEPTION_MESSAGE = "exception.message";
export const ATTR_EXCEPTION_STACKTRACE = "exception.stacktrace";
export const ATTR_ERROR_TYPE = "error.type";

export const ATTR_SERVICE_NAME = "service.name";
export const ATTR_TELEMETRY_SDK_NAME = "telemetry.sdk.name";
export const ATTR_TELEMETRY_SDK_LANGUAGE = "telemetry.sdk.language";
export const ATTR_TELEMETRY_SDK_VERSION = "telemetry.sdk.version";
export const ATTR_CLOUD_PROVIDER = "cloud.provider";

export const ATTR_HTTP_REQUEST_METHOD = "http.request.method";
export const ATTR_HTTP_ROUTE = "http.route";
export const ATTR_HTTP_RESPONSE_STATUS_CODE = "http.response.status_code";
export const ATTR_URL_PATH = "url.path";
export const ATTR_URL_SCHEME = "url.scheme";
export const ATTR_SERVER_ADDRESS = "server.address";
export const ATTR_USER_AGENT_ORIGINAL = "user_agent.original";

export const ATTR_FAAS_TRIGGER = "faas.trigger";
export const ATTR_FAAS_CRON = "faas.cron";
export const ATTR_MESSAGING_SYSTEM = "messaging.system";
export const ATTR_MESSAGING_DESTINATION_NAME = "messaging.destination.name";
export const ATTR_MESSAGING_BATCH_MESSAGE_COUNT = "messaging.batch.message_count";

/** Set on a span the flush exported while still open (a stream nobody finished within the wait cap). */
export const ATTR_MODA_INCOMPLETE = "moda.span.incomplete";
/** Set on the request span when its response body was cancelled by the client. */
export const ATTR_MODA_RESPONSE_CANCELLED = "moda.response.cancelled";
/** Set on the request span: spans of the request that were not exported (past `limits.maxSpansPerRequest`). */
export const ATTR_MODA_SPANS_DROPPED = "moda.request.spans_dropped";
