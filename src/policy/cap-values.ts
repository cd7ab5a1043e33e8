import type { Attributes, AttributeValue } from "@opentelemetry/api";
import type { ResolvedConfig } from "../config/options";
import { boundedJson } from "./bounded-json";
import { mapAttributes, mapItems, type SpanFields } from "./span-fields";
import { truncateText } from "./truncate-text";

/**
 * Every field of a span within its limit, in time linear in its size: names, attribute keys and values, arrays,
 * the status message, the number of attributes, events and links. What is cut or left out is counted in the
 * span's dropped counts (an event's or link's own, for their attributes) and named to `hits`, to be warned about.
 */

type Limits = ResolvedConfig["limits"];
/** Collects the name of each limit that cut or dropped something. */
export interface LimitHits {
  add(limit: string): unknown;
}

export interface CappedString {
  readonly text: string;
  readonly cut: boolean;
}

/**
 * `text` within `maxLength` characters, the mark included. JSON text (a JSON object or array, as the AI SDK and
 * the GenAI conventions write messages) is cut inside its longest strings and stays JSON; other text is cut at
 * the end.
 */
export function capString(text: string, maxLength: number): CappedString {
  if (text.length <= maxLength) return { text, cut: false };
  const parsed = parsedJson(text);
  if (parsed !== undefined) return { text: boundedJson(parsed.value, maxLength).json, cut: true };
  return { text: truncateText(text, maxLength), cut: true };
}

function parsedJson(text: string): { value: unknown } | undefined {
  const first = text.trimStart()[0];
  if (first !== "{" && first !== "[") return undefined;
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

export interface CappedValue {
  /** Undefined when the value is not an attribute value (a `redact` hook may return anything). */
  readonly value: AttributeValue | undefined;
  readonly limit: keyof Limits | undefined;
}

const NOT_A_VALUE: CappedValue = { value: undefined, limit: "maxAttributeLength" };

export function capValue(value: unknown, limits: Limits): CappedValue {
  if (typeof value === "string") {
    const { text, cut } = capString(value, limits.maxAttributeLength);
    return { value: text, limit: cut ? "maxAttributeLength" : undefined };
  }
  if (typeof value === "number" || typeof value === "boolean") return { value, limit: undefined };
  return Array.isArray(value) ? capArray(value, limits) : NOT_A_VALUE;
}

/** The array itself when it is within the limits, else a copy: its first `maxArrayLength` items, strings cut. */
function capArray(items: readonly unknown[], limits: Limits): CappedValue {
  let limit: keyof Limits | undefined = items.length > limits.maxArrayLength ? "maxArrayLength" : undefined;
  const kept = limit ? items.slice(0, limits.maxArrayLength) : items;
  for (const item of kept) {
    if (item !== null && item !== undefined && typeof item === "object") return NOT_A_VALUE;
  }
  const capped = mapItems(kept, (item) => {
    if (typeof item !== "string" || item.length <= limits.maxAttributeLength) return item;
    limit ??= "maxAttributeLength";
    return truncateText(item, limits.maxAttributeLength);
  });
  return { value: capped as AttributeValue, limit };
}

export interface CappedAttributes {
  readonly attributes: Attributes;
  readonly dropped: number;
}

type CountLimit = "maxAttributesPerSpan" | "maxAttributesPerEvent" | "maxAttributesPerLink";

/** At most `limits[countLimit]` attributes, keys within `maxNameLength`, each value capped; the same object when all fit. */
export function capAttributes(
  attributes: Attributes,
  countLimit: CountLimit,
  limits: Limits,
  hits: LimitHits,
): CappedAttributes {
  let count = 0;
  let dropped = 0;
  const capped = mapAttributes(attributes, (key, value) => {
    const limit =
      key.length > limits.maxNameLength ? "maxNameLength" : count >= limits[countLimit] ? countLimit : undefined;
    const result = limit ? { value: undefined, limit } : capValue(value, limits);
    if (result.limit) {
      dropped++;
      hits.add(result.limit);
    }
    if (result.value !== undefined) count++;
    return result.value;
  });
  return { attributes: capped, dropped };
}

/** `text` cut to `maxLength` characters as plain text (a name, a status message), and whether it was. */
function capText(text: string, maxLength: number): CappedString {
  return text.length <= maxLength ? { text, cut: false } : { text: truncateText(text, maxLength), cut: true };
}

/** Every field of the span within its limit. */
export function capFields(fields: SpanFields, limits: Limits, hits: LimitHits): SpanFields {
  const attributes = capAttributes(fields.attributes, "maxAttributesPerSpan", limits, hits);
  const name = capText(fields.name, limits.maxNameLength);
  const message = capText(fields.status.message ?? "", limits.maxAttributeLength);
  if (name.cut) hits.add("maxNameLength");
  if (message.cut) hits.add("maxAttributeLength");
  const events = fields.events.slice(0, limits.maxEventsPerSpan);
  const links = fields.links.slice(0, limits.maxLinksPerSpan);
  if (events.length < fields.events.length) hits.add("maxEventsPerSpan");
  if (links.length < fields.links.length) hits.add("maxLinksPerSpan");
  return {
    name: name.text,
    attributes: attributes.attributes,
    status: message.cut ? { ...fields.status, message: message.text } : fields.status,
    events: mapItems(events, (event) => capNested(event, "maxAttributesPerEvent", limits, hits)),
    links: mapItems(links, (link) => capNested(link, "maxAttributesPerLink", limits, hits)),
    droppedAttributesCount: fields.droppedAttributesCount + attributes.dropped + Number(name.cut) + Number(message.cut),
    droppedEventsCount: fields.droppedEventsCount + fields.events.length - events.length,
    droppedLinksCount: fields.droppedLinksCount + fields.links.length - links.length,
  };
}

/** An event's or link's name and attributes within their limits; what was cut counted on it. */
function capNested<
  T extends { readonly name?: string; readonly attributes?: Attributes; readonly droppedAttributesCount?: number },
>(item: T, countLimit: CountLimit, limits: Limits, hits: LimitHits): T {
  const name = capText(item.name ?? "", limits.maxNameLength);
  if (name.cut) hits.add("maxNameLength");
  const capped = capAttributes(item.attributes ?? {}, countLimit, limits, hits);
  if (!name.cut && capped.dropped === 0) return item;
  return {
    ...item,
    ...(item.name === undefined ? {} : { name: name.text }),
    attributes: capped.attributes,
    droppedAttributesCount: (item.droppedAttributesCount ?? 0) + capped.dropped + Number(name.cut),
  };
}
