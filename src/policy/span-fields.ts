import type { Attributes, AttributeValue, Link, SpanStatus } from "@opentelemetry/api";
import type { ExportableEvent } from "../export/otlp/exportable-span";

/**
 * The fields of a span that the policy may change before export, passed from one step to the next. Each step
 * returns the same objects where it changed nothing: most spans go through every step untouched.
 */
export interface SpanFields {
  readonly name: string;
  readonly attributes: Attributes;
  readonly status: SpanStatus;
  readonly events: readonly ExportableEvent[];
  readonly links: readonly Link[];
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
}

/** What a step makes of one attribute: a new value, or undefined to leave it out. */
export type AttributeRule = (name: string, value: AttributeValue) => AttributeValue | undefined;

/** `attributes` with `rule` applied to each; the same object when no value changed and none was missing. */
export function mapAttributes(attributes: Attributes, rule: AttributeRule): Attributes {
  let changed: Attributes | undefined;
  const keys = Object.keys(attributes);
  for (const [index, key] of keys.entries()) {
    const value = attributes[key];
    // A key set to undefined or null is left out, as the OpenTelemetry SDKs leave it.
    const missing = value === undefined || value === null;
    const next = missing ? undefined : rule(key, value);
    if (!missing && next === value) {
      if (changed) changed[key] = value;
      continue;
    }
    if (!changed) {
      changed = {};
      for (const earlier of keys.slice(0, index)) changed[earlier] = attributes[earlier];
    }
    if (next !== undefined) changed[key] = next;
  }
  return changed ?? attributes;
}

/** Events or links with `rule` applied to each one's attributes; the same array when none changed. */
export function mapEachAttributes<T extends { readonly attributes?: Attributes | undefined }>(
  items: readonly T[],
  rule: AttributeRule,
): readonly T[] {
  return mapItems(items, (item) => {
    if (!item.attributes) return item;
    const attributes = mapAttributes(item.attributes, rule);
    return attributes === item.attributes ? item : { ...item, attributes };
  });
}

/** `items` with `map` applied to each; the same array when every item came back as it was. */
export function mapItems<T>(items: readonly T[], map: (item: T) => T): readonly T[] {
  let changed: T[] | undefined;
  for (const [index, item] of items.entries()) {
    const next = map(item);
    if (next !== item && !changed) changed = items.slice(0, index);
    changed?.push(next);
  }
  return changed ?? items;
}

/** Every attribute set of the span (its own, each event's, each link's) through one rule. */
export function mapAllAttributes(fields: SpanFields, rule: AttributeRule): SpanFields {
  const attributes = mapAttributes(fields.attributes, rule);
  const events = mapEachAttributes(fields.events, rule);
  const links = mapEachAttributes(fields.links, rule);
  if (attributes === fields.attributes && events === fields.events && links === fields.links) return fields;
  return { ...fields, attributes, events, links };
}
