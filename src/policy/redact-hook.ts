import type { Attributes, SpanStatus } from "@opentelemetry/api";
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_ROUTE, ATTR_URL_PATH } from "../semconv/core-attributes";
import { mapItems, type SpanFields } from "./span-fields";

/** The user's `redact` option: given a copy of an attribute set, returns the attributes to keep. */
export type RedactHook = (attributes: Attributes) => Attributes;

/**
 * The name the status message goes by among the attributes the hook sees: OpenTelemetry's own name for it
 * where an exporter has no status field. What the hook returns under it becomes the message; without it, none.
 */
export const STATUS_DESCRIPTION = "otel.status_description";

/** A hook used wrongly (not a fault in what it was given): its message is ours, and says what to change. */
export class RedactHookMisuse extends Error {
  override name = "RedactHookMisuse";
}

/**
 * The user's hook on every attribute set of a span: its attributes (its status message among them as
 * `otel.status_description`), each event's (exception messages and stacks), each link's. Throws when the hook
 * throws or returns something other than a plain object of attributes (a Promise among them): the caller then
 * drops the span's content. The request span's name follows what the hook made of the path (`requestSpanName`).
 */
export function redactSpan(fields: SpanFields, hook: RedactHook): SpanFields {
  const { message } = fields.status;
  const seen =
    message === undefined ? { ...fields.attributes } : { ...fields.attributes, [STATUS_DESCRIPTION]: message };
  const { [STATUS_DESCRIPTION]: description, ...attributes } = callHook(hook, seen);
  const status: SpanStatus =
    typeof description === "string" && description !== ""
      ? { code: fields.status.code, message: description }
      : { code: fields.status.code };
  const events = mapItems(fields.events, (event) =>
    event.attributes ? { ...event, attributes: callHook(hook, { ...event.attributes }) } : event,
  );
  const links = mapItems(fields.links, (link) =>
    link.attributes ? { ...link, attributes: callHook(hook, { ...link.attributes }) } : link,
  );
  return { ...fields, name: requestSpanName(fields, attributes), attributes, status, events, links };
}

/**
 * A request span is named `{method} {url.path}` when no route is known; the path can hold what the hook removes
 * (`/users/jane.doe@example.com/chat`). Such a name is made again from what the hook returned: the route, else the
 * path, else the method alone. Any other name (a route's, an LLM call's) is left as it is.
 */
function requestSpanName(fields: SpanFields, redacted: Attributes): string {
  const method = fields.attributes[ATTR_HTTP_REQUEST_METHOD];
  const path = fields.attributes[ATTR_URL_PATH];
  if (typeof method !== "string" || typeof path !== "string" || fields.name !== `${method} ${path}`) {
    return fields.name;
  }
  const route = redacted[ATTR_HTTP_ROUTE] ?? redacted[ATTR_URL_PATH];
  return typeof route === "string" && route !== "" ? `${method} ${route}` : method;
}

/** What the hook returned, read into a plain object here, so that a getter of the user's that throws counts as the hook failing. */
function callHook(hook: RedactHook, attributes: Attributes): Attributes {
  const returned: unknown = hook(attributes);
  if (isThenable(returned)) {
    // An async hook that rejects must not become an unhandled rejection of the user's process.
    returned.then(undefined, () => undefined);
    throw new RedactHookMisuse("redact must be synchronous; it returned a Promise");
  }
  if (
    typeof returned !== "object" ||
    returned === null ||
    Object.prototype.toString.call(returned) !== "[object Object]"
  ) {
    throw new RedactHookMisuse(`redact must return a plain object of attributes; it returned ${kindOf(returned)}`);
  }
  return Object.fromEntries(Object.entries(returned)) as Attributes;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/** Named from a fixed list: a name the user's object gives itself (`Symbol.toStringTag`) could be anything. */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value instanceof Map) return "a Map";
  return typeof value === "object" ? "another kind of object" : typeof value;
}
