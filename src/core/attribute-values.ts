import type { Attributes, AttributeValue } from "@opentelemetry/api";

/**
 * What an attribute value may be (OpenTelemetry's AttributeValue: a string, number or boolean, or an array of them),
 * checked where a value is taken in. Strings are kept as given, to be capped when the span is exported: cutting
 * on the request path would cost the caller what may never be kept, and a cut JSON value must stay JSON.
 */

function isPrimitive(value: unknown): value is string | number | boolean {
  const type = typeof value;
  return type === "string" || type === "number" || type === "boolean";
}

export interface TakenValue {
  /** Undefined when the value is not an attribute value at all. */
  readonly value: AttributeValue | undefined;
  /** Whether the value was shortened (an array past `maxArrayLength`) or refused. */
  readonly cut: boolean;
}

const REFUSED: TakenValue = { value: undefined, cut: true };

/**
 * The value as it is kept: primitives as they are; an array copied (the caller may change theirs later), at most
 * `maxArrayLength` items, each a primitive or null. O(kept items).
 */
export function takeAttributeValue(value: unknown, maxArrayLength: number): TakenValue {
  if (isPrimitive(value)) return { value, cut: false };
  if (!Array.isArray(value)) return REFUSED;
  const kept = value.length > maxArrayLength ? value.slice(0, maxArrayLength) : value.slice();
  for (const item of kept) if (item !== null && item !== undefined && !isPrimitive(item)) return REFUSED;
  return { value: kept as AttributeValue, cut: kept.length < value.length };
}

export interface TakenAttributes {
  readonly attributes: Attributes;
  /** Attributes left out or shortened. */
  readonly dropped: number;
}

/** A copy of an event's or link's attributes within the limits: at most `maxCount`, keys within `maxKeyLength`. */
export function takeAttributes(
  attributes: Attributes | undefined,
  limits: { maxCount: number; maxKeyLength: number; maxArrayLength: number },
): TakenAttributes {
  const taken: Attributes = {};
  let count = 0;
  let dropped = 0;
  if (attributes === undefined || attributes === null) return { attributes: taken, dropped };
  for (const key of Object.keys(attributes)) {
    const raw = attributes[key];
    if (raw === undefined || raw === null) continue;
    if (count >= limits.maxCount || key.length > limits.maxKeyLength) {
      dropped++;
      continue;
    }
    const { value, cut } = takeAttributeValue(raw, limits.maxArrayLength);
    if (cut) dropped++;
    if (value === undefined) continue;
    taken[key] = value;
    count++;
  }
  return { attributes: taken, dropped };
}
