/** Small conversions every provider normaliser needs to fill an LlmCall from an SDK's JSON. */
import { parseDataUrl } from "../policy/exported-messages";
import type { BlobPart, InputMessage, Modality, Part, UriPart } from "../semconv/llm-call";

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The strings in a list; undefined when it has none. */
export function stringsOrUndefined(value: unknown): string[] | undefined {
  const strings = asArray(value).filter((item): item is string => typeof item === "string");
  return strings.length > 0 ? strings : undefined;
}

/** A `stop` param that is one string or a list of them, as a list. */
export function stopSequencesOf(stop: unknown): string[] | undefined {
  return stringsOrUndefined(typeof stop === "string" ? [stop] : stop);
}

/** A copy of `object` without its `undefined` values. */
export function definedOnly<T extends object>(object: T): T {
  const copy: JsonObject = {};
  for (const key of Object.keys(object)) {
    const value = (object as JsonObject)[key];
    if (value !== undefined) copy[key] = value;
  }
  return copy as T;
}

/** A finish reason as the provider said it, kept beside the conventions' one (`OutputMessage.providerFinishReason`). */
export function providerFinishReason(reason: unknown): { providerFinishReason?: string } {
  return typeof reason === "string" && reason !== "" ? { providerFinishReason: reason } : {};
}

/** Two token counts added up; nothing when neither was given. */
export function sumOfCounts(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}

/** The text of the text parts, run together; other parts add nothing. */
export function joinedText(parts: readonly Part[]): string {
  return parts.map((part) => (part.type === "text" ? part.content : "")).join("");
}

export function textParts(text: unknown): Part[] {
  return typeof text === "string" && text !== "" ? [{ type: "text", content: text }] : [];
}

/**
 * A text input that is one string or a list of them (a completion's prompt, the texts to embed), each text as a
 * user message; token ids and other items carry no text to record.
 */
export function userTextMessages(input: unknown): InputMessage[] | undefined {
  const texts = typeof input === "string" ? [input] : asArray(input).filter((item) => typeof item === "string");
  return texts.length > 0 ? texts.map((text) => ({ role: "user", parts: textParts(text) })) : undefined;
}

/** Tool arguments as the provider sent them: parsed when they are JSON, the raw string otherwise. */
export function parseArguments(raw: unknown): unknown {
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

export function modalityOf(mimeType: string | undefined, fallback: Modality): Modality {
  const top = mimeType?.split("/")[0];
  return top === "image" || top === "audio" || top === "video" ? top : fallback;
}

/** A `data:…;base64,` URL as inline binary, any other URL as a reference. */
export function partFromUrl(url: string, modality: Modality): BlobPart | UriPart {
  const inline = parseDataUrl(url);
  if (!inline?.base64) return { type: "uri", modality, uri: url };
  return definedOnly({
    type: "blob" as const,
    modality: modalityOf(inline.mimeType, modality),
    mime_type: inline.mimeType,
    content: inline.data,
  });
}

/**
 * The params as the call sent them, kept to be read at the flush: a copy of the params, of each list in them
 * (messages, tools, system blocks), of each object in those lists and of that object's own lists (a message's
 * content blocks, its tool calls). Callers go on with their objects after the call: the agent loop pushes the
 * answer onto the same array and calls again, appends a tool result to a message's content, or rewrites a message
 * in place. Deeper objects (a block, a tool's schema) are kept by reference: SDK callers build new ones.
 */
export function paramsAsSent(params: JsonObject): JsonObject {
  const sent = { ...params };
  for (const key in sent) {
    const value = sent[key];
    if (Array.isArray(value)) sent[key] = value.map(itemAsSent);
  }
  return sent;
}

/** An item that cannot be copied (a getter that throws) is kept as it is: reading it at the flush fails safely. */
function itemAsSent(item: unknown): unknown {
  if (!isObject(item)) return item;
  try {
    const copy = { ...item };
    for (const key in copy) {
      const value = copy[key];
      if (Array.isArray(value)) copy[key] = value.slice();
    }
    return copy;
  } catch {
    return item;
  }
}
