import type { Attributes, AttributeValue } from "@opentelemetry/api";
import { capString, type LimitHits } from "./cap-values";
import { mapAllAttributes, mapItems, type SpanFields } from "./span-fields";

/**
 * A span within `maxSpanBytes` of encoded size. Its longest string values are cut first, each to an equal share
 * of what the rest leaves (water filling, as bounded-json.ts does inside one value); should the rest alone be
 * too large, its events go, then its largest attributes. Sizes are UTF-8 bytes plus a few bytes of framing per
 * field, as protobuf encodes them (OTLP/JSON adds its escapes and hex ids on top).
 */
export function fitSpanBudget(fields: SpanFields, maxSpanBytes: number, hits: LimitHits): SpanFields {
  const size = spanSize(fields);
  if (size <= maxSpanBytes) return fields;
  hits.add("maxSpanBytes");
  const cut = cutLongestValues(fields, size, maxSpanBytes);
  return spanSize(cut) <= maxSpanBytes ? cut : dropUntilFits(cut, maxSpanBytes);
}

/**
 * Protobuf framing, at most: of a span (ids, times, kind, flags, dropped counts, status), of each attribute
 * (KeyValue, AnyValue, their tags and lengths), event (time, name) and link (ids, flags), and of a non-string value.
 */
const SPAN_FRAMING = 96;
const ATTRIBUTE_FRAMING = 16;
const EVENT_FRAMING = 24;
const LINK_FRAMING = 48;
const SCALAR_SIZE = 12;
const ARRAY_ITEM_FRAMING = 8;
/** A cut ASCII value's mark holds one `…`: three bytes in UTF-8 for one character. */
const MARK_EXTRA_BYTES = 2;
const NON_ASCII = /[^\x20-\x7e\t\n\r]/;

export function utf8Length(text: string): number {
  if (!NON_ASCII.test(text)) return text.length;
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Two bytes below U+0800, three above; a surrogate pair is four bytes for two code units.
    if (code >= 0x80) bytes += code < 0x800 || (code >= 0xd800 && code <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}

function valueSize(value: AttributeValue | null | undefined): number {
  if (typeof value === "string") return utf8Length(value);
  if (!Array.isArray(value)) return SCALAR_SIZE;
  let size = 4;
  for (const item of value as readonly unknown[]) {
    size += ARRAY_ITEM_FRAMING + (typeof item === "string" ? utf8Length(item) : SCALAR_SIZE);
  }
  return size;
}

function attributesSize(attributes: Attributes | undefined): number {
  let size = 0;
  for (const key in attributes) size += ATTRIBUTE_FRAMING + utf8Length(key) + valueSize(attributes[key]);
  return size;
}

export function spanSize(fields: SpanFields): number {
  let size = SPAN_FRAMING + utf8Length(fields.name) + utf8Length(fields.status.message ?? "");
  size += attributesSize(fields.attributes);
  for (const event of fields.events) size += EVENT_FRAMING + utf8Length(event.name) + attributesSize(event.attributes);
  for (const link of fields.links) size += LINK_FRAMING + attributesSize(link.attributes);
  return size;
}

/** Every string value's size in bytes (the span's, its events', its links'), and the status message's. */
function stringSizes(fields: SpanFields): number[] {
  const sizes: number[] = [];
  mapAllAttributes(fields, (_name, value) => {
    if (typeof value === "string") sizes.push(utf8Length(value));
    return value;
  });
  if (fields.status.message) sizes.push(utf8Length(fields.status.message));
  return sizes;
}

/** The size each value may take so that all fit in `room`: the smallest are kept whole. */
function waterLevel(sizes: number[], room: number): number {
  const sorted = sizes.sort((a, b) => a - b);
  let left = room;
  for (const [index, size] of sorted.entries()) {
    const share = left / (sorted.length - index);
    if (size > share) return Math.max(0, Math.floor(share));
    left -= size;
  }
  return Number.POSITIVE_INFINITY;
}

/** The characters of `text` that surely fit in `bytes` once cut, its mark included. */
function charsWithin(text: string, bytes: number): number {
  return NON_ASCII.test(text) ? Math.floor(bytes / 3) : bytes - MARK_EXTRA_BYTES;
}

function cutLongestValues(fields: SpanFields, size: number, maxSpanBytes: number): SpanFields {
  const sizes = stringSizes(fields);
  const strings = sizes.reduce((sum, bytes) => sum + bytes, 0);
  const cut = { level: waterLevel(sizes, maxSpanBytes - (size - strings)), count: 0 };
  const attributes = mapAllAttributes(fields, (_name, value) =>
    typeof value === "string" ? cutTo(value, cut) : value,
  );
  const message = fields.status.message === undefined ? undefined : cutTo(fields.status.message, cut);
  const status = message === fields.status.message ? fields.status : { ...fields.status, message };
  return { ...attributes, status, droppedAttributesCount: fields.droppedAttributesCount + cut.count };
}

/** `text` within `cut.level` bytes, counted in `cut.count` when it had to be cut. */
function cutTo(text: string, cut: { level: number; count: number }): string {
  if (text.length <= cut.level || utf8Length(text) <= cut.level) return text;
  cut.count++;
  return capString(text, Math.max(0, charsWithin(text, cut.level))).text;
}

/** Drops the span's events, then its largest attributes, until it fits; each counted. */
function dropUntilFits(fields: SpanFields, maxSpanBytes: number): SpanFields {
  let fitted: SpanFields = {
    ...fields,
    events: [],
    links: mapItems(fields.links, (link) => {
      const count = Object.keys(link.attributes ?? {}).length;
      if (count === 0) return link;
      return { ...link, attributes: {}, droppedAttributesCount: (link.droppedAttributesCount ?? 0) + count };
    }),
    droppedEventsCount: fields.droppedEventsCount + fields.events.length,
  };
  const attributes = { ...fields.attributes };
  const largestFirst = Object.keys(attributes).sort(
    (a, b) => valueSize(attributes[b]) + b.length - (valueSize(attributes[a]) + a.length),
  );
  let dropped = 0;
  let size = spanSize({ ...fitted, attributes });
  for (const key of largestFirst) {
    if (size <= maxSpanBytes) break;
    size -= ATTRIBUTE_FRAMING + utf8Length(key) + valueSize(attributes[key]);
    delete attributes[key];
    dropped++;
  }
  fitted = { ...fitted, attributes, droppedAttributesCount: fitted.droppedAttributesCount + dropped };
  return fitted;
}
