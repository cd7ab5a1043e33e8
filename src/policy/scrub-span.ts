import type { AttributeValue } from "@opentelemetry/api";
import { isCredentialName, REDACTED, scrubSecrets } from "./secrets";
import { mapAllAttributes, mapItems, type SpanFields } from "./span-fields";

/**
 * Every string a span exports, scrubbed of credentials: attribute values (on the span, its events and links;
 * strings and the strings in arrays), the status message, span and event names. An attribute named like a
 * credential (`ai.request.headers.authorization`) loses its value whatever it looks like.
 */
export function scrubSpan(fields: SpanFields): SpanFields {
  const scrubbed = mapAllAttributes(fields, scrubAttribute);
  const name = scrubSecrets(fields.name);
  const message = fields.status.message === undefined ? undefined : scrubSecrets(fields.status.message);
  const events = mapItems(scrubbed.events, (event) => {
    const eventName = scrubSecrets(event.name);
    return eventName === event.name ? event : { ...event, name: eventName };
  });
  if (scrubbed === fields && name === fields.name && message === fields.status.message && events === fields.events) {
    return fields;
  }
  const status = message === fields.status.message ? fields.status : { ...fields.status, message };
  return { ...scrubbed, name, status, events };
}

function scrubAttribute(name: string, value: AttributeValue): AttributeValue {
  if (isCredentialName(name)) return credentialRemoved(value);
  if (typeof value === "string") return scrubSecrets(value);
  if (!Array.isArray(value)) return value;
  const items = mapItems(value as readonly unknown[], (item) => (typeof item === "string" ? scrubSecrets(item) : item));
  return items === value ? value : (items as AttributeValue);
}

function credentialRemoved(value: AttributeValue): AttributeValue {
  if (Array.isArray(value)) return value.map((item) => (typeof item === "string" ? REDACTED : item)) as AttributeValue;
  return typeof value === "string" ? REDACTED : value;
}
