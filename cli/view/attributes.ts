/** Reading a decoded span's attributes by name: the first of several names that is set, typed. */
import type { DecodedAttributes, DecodedValue } from "../otlp/decoded-span";

export function firstOf(attributes: DecodedAttributes, names: readonly string[]): DecodedValue | undefined {
  for (const name of names) if (attributes[name] !== undefined && attributes[name] !== null) return attributes[name];
  return undefined;
}

export function textOf(attributes: DecodedAttributes, names: readonly string[]): string | undefined {
  const value = firstOf(attributes, names);
  return value === undefined ? undefined : String(value);
}

export function numberOf(attributes: DecodedAttributes, names: readonly string[]): number | undefined {
  const value = firstOf(attributes, names);
  return typeof value === "number" ? value : undefined;
}

/** A JSON string parsed; the string itself when it is not JSON (a value cut short, or plain text). */
export function parsedJson(value: DecodedValue | undefined): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
