import type { AttributeValue } from "@opentelemetry/api";
import { SpanStatusCode } from "../core/otel";
import { ATTR_ERROR_TYPE, ATTR_EXCEPTION_TYPE, EVENT_EXCEPTION } from "../semconv/core-attributes";
import { contentFreeValue, isContentAttribute } from "./content-attributes";
import { mapAllAttributes, type SpanFields } from "./span-fields";

/**
 * A span without its content: what `traceContent: false` exports, and what is left when the `redact` hook fails.
 * Every content attribute goes (content-attributes.ts), on the span, its events and its links; error text is
 * reduced to `error.type` (and the HTTP status, an attribute of its own): no status message, no exception
 * message or stack.
 */
export function withoutContent(fields: SpanFields): SpanFields {
  const stripped = mapAllAttributes(fields, contentFree);
  if (fields.status.code !== SpanStatusCode.ERROR) return stripped;
  const attributes =
    stripped.attributes[ATTR_ERROR_TYPE] === undefined
      ? { ...stripped.attributes, [ATTR_ERROR_TYPE]: errorTypeOf(fields) }
      : stripped.attributes;
  return { ...stripped, attributes, status: { code: SpanStatusCode.ERROR } };
}

function contentFree(name: string, value: AttributeValue): AttributeValue | undefined {
  return isContentAttribute(name, value) ? contentFreeValue(name, value) : value;
}

/** The type of the first exception recorded on the span, else `_OTHER` as the conventions name an unknown one. */
function errorTypeOf(fields: SpanFields): string {
  for (const event of fields.events) {
    const type = event.name === EVENT_EXCEPTION ? event.attributes?.[ATTR_EXCEPTION_TYPE] : undefined;
    if (typeof type === "string" && type !== "") return type;
  }
  return "_OTHER";
}
