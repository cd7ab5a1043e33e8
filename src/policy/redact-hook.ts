import type { Attributes, SpanStatus } from "@opentelemetry/api";
import { mapItems, type SpanFields } from "./span-fields";

/** The user's `redact` option: given a copy of an attribute set, returns the attributes to keep. */
export type RedactHook = (attributes: Attributes) => Attributes;

/**
 * The name the status message goes by among the attributes the hook sees: OpenTelemetry's own name for it
 * where an exporter has no status field. What the hook returns under it becomes the message; without it, none.
 */
export const STATUS_DESCRIPTION = "otel.status_description";

/**
 * The user's hook on every attribute set of a span: its attributes (its status message among them as
 * `otel.status_description`), each event's (exception messages and stacks), each link's. Throws when the hook
 * throws or returns something that is not an object: the caller then drops the span's content.
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
  return { ...fields, attributes, status, events, links };
}

/** What the hook returned, read into a plain object here, so that a getter of the user's that throws counts as the hook failing. */
function callHook(hook: RedactHook, attributes: Attributes): Attributes {
  const returned: unknown = hook(attributes);
  if (typeof returned !== "object" || returned === null || Array.isArray(returned)) {
    throw new TypeError(
      `the redact hook returned ${Array.isArray(returned) ? "an array" : typeof returned}, not attributes`,
    );
  }
  return Object.fromEntries(Object.entries(returned)) as Attributes;
}
