import type { Attributes } from "@opentelemetry/api";
import type {
  BlobPart,
  InputMessage,
  Modality,
  OutputMessage,
  Part,
  ToolDefinition,
  UriPart,
} from "../semconv/llm-call";

/**
 * What content leaves the process, and at what size: the shapes written into the `gen_ai.*` JSON attributes
 * (GenAI conventions v1.41 message schemas), inline binary replaced by a descriptor, and visible truncation.
 */

/** A message part as exported. */
export type ExportedPart = { type: string } & Record<string, unknown>;

export interface ExportedMessage {
  role: string;
  parts: ExportedPart[];
  name?: string;
  finish_reason?: string;
}

export interface ExportedToolDefinition {
  type: string;
  name: string;
  description?: string;
  parameters?: unknown;
}

/**
 * Inline binary we did not export. Not a `blob` part: the schema's BlobPart requires `content`, and a part
 * typed `blob` without its bytes (which would still pass through the schema's catch-all GenericPart) would
 * tell a reader "here is the data" when it is not. A type of our own validates as a GenericPart and says
 * what happened: the data was there, this is what it was, and it was left out.
 */
export const OMITTED_BLOB_TYPE = "blob_omitted";

export function exportMessages(messages: readonly InputMessage[], captureBinary: boolean): ExportedMessage[] {
  return messages.map((message) => exportMessage(message, captureBinary));
}

export function exportOutputMessages(messages: readonly OutputMessage[], captureBinary: boolean): ExportedMessage[] {
  return messages.map((message) => ({
    ...exportMessage(message, captureBinary),
    finish_reason: message.finish_reason,
  }));
}

function exportMessage(message: InputMessage, captureBinary: boolean): ExportedMessage {
  return {
    role: message.role,
    parts: exportParts(message.parts, captureBinary),
    ...(message.name !== undefined && { name: message.name }),
  };
}

export function exportParts(parts: readonly Part[], captureBinary: boolean): ExportedPart[] {
  return parts.map((part) => exportPart(part, captureBinary));
}

/** Tool definitions; description and parameters are content, kept only when content is traced. */
export function exportToolDefinitions(
  tools: readonly ToolDefinition[],
  withContent: boolean,
): ExportedToolDefinition[] {
  return tools.map(({ type, name, description, parameters }) =>
    withContent ? { type, name, description, parameters } : { type, name },
  );
}

function exportPart(part: Part, captureBinary: boolean): ExportedPart {
  switch (part.type) {
    case "reasoning":
      // The signature is an opaque token for the provider, not something the model said.
      return { type: "reasoning", content: part.content };
    case "blob":
      return exportBlob(part, captureBinary);
    case "uri":
      return exportUri(part, captureBinary);
    default:
      return { ...part };
  }
}

function exportBlob(part: BlobPart, captureBinary: boolean): ExportedPart {
  if (captureBinary) return { ...part };
  return omittedBlob(part.modality, part.mime_type, base64ByteSize(part.content));
}

/** A `data:` URL is inline binary sent as a URI: the same policy as a blob applies. */
function exportUri(part: UriPart, captureBinary: boolean): ExportedPart {
  const inline = parseDataUrl(part.uri);
  if (inline === undefined) return { ...part };
  const mimeType = part.mime_type ?? inline.mimeType;
  if (!captureBinary) return omittedBlob(part.modality, mimeType, inline.byteSize);
  if (!inline.base64) return { ...part };
  return { type: "blob", modality: part.modality, mime_type: mimeType, content: inline.data };
}

export function omittedBlob(modality: Modality, mimeType: string | undefined, byteSize: number): ExportedPart {
  return {
    type: OMITTED_BLOB_TYPE,
    modality,
    ...(mimeType !== undefined && { mime_type: mimeType }),
    byte_size: byteSize,
  };
}

/** Decoded size of base64 text (standard or URL-safe, padded or not). */
export function base64ByteSize(base64: string): number {
  const compact = /\s/.test(base64) ? base64.replace(/\s+/g, "") : base64;
  const padding = compact.endsWith("==") ? 2 : compact.endsWith("=") ? 1 : 0;
  return Math.max(0, Math.floor((compact.length * 3) / 4) - padding);
}

export interface DataUrl {
  mimeType: string | undefined;
  base64: boolean;
  data: string;
  byteSize: number;
}

export function parseDataUrl(uri: string): DataUrl | undefined {
  if (!uri.startsWith("data:")) return undefined;
  const comma = uri.indexOf(",");
  if (comma < 0) return undefined;
  const meta = uri.slice(5, comma).split(";");
  const base64 = meta.includes("base64");
  const data = uri.slice(comma + 1);
  const byteSize = base64 ? base64ByteSize(data) : percentDecodedSize(data);
  return { mimeType: meta[0] === "" ? undefined : meta[0], base64, data, byteSize };
}

function percentDecodedSize(data: string): number {
  try {
    return new TextEncoder().encode(decodeURIComponent(data)).length;
  } catch {
    return data.length;
  }
}

/** `…[truncated N chars]`: the mark left where a value was cut. */
export function truncationMark(droppedChars: number): string {
  return `…[truncated ${droppedChars} chars]`;
}

/** Cuts `text` to at most `maxLength` characters including the mark (never inside a surrogate pair). */
export function truncateText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let keep = Math.max(0, maxLength - truncationMark(text.length).length);
  if (keep > 0 && isHighSurrogate(text.charCodeAt(keep - 1))) keep -= 1;
  return text.slice(0, keep) + truncationMark(text.length - keep);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Fits content attribute values under the per-value cap and counts each value it had to cut.
 * JSON values are cut inside their longest strings so they stay valid JSON (and valid against the schemas).
 */
export class ContentLimiter {
  /** Values cut, plus whatever the caller counts as dropped under the same limits; goes to the span's dropped count. */
  droppedCount = 0;

  constructor(private readonly maxLength: number) {}

  text(value: string): string {
    if (value.length <= this.maxLength) return value;
    this.droppedCount += 1;
    return truncateText(value, this.maxLength);
  }

  json(value: unknown): string {
    const json = safeStringify(value);
    if (json.length <= this.maxLength) return json;
    this.droppedCount += 1;
    return shrinkJson(JSON.parse(json) as unknown, json, this.maxLength);
  }
}

/** JSON text of a value that may hold a bigint or a cycle (provider payloads are not ours to trust). */
export function safeStringify(value: unknown): string {
  try {
    // Without a replacer first: a replacer function makes JSON.stringify several times slower, and a value
    // holding a bigint or a cycle makes it throw, so such values alone take the slower way.
    return JSON.stringify(value) ?? "null";
  } catch {
    return stringifyLeniently(value);
  }
}

function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

function stringifyLeniently(value: unknown): string {
  try {
    return JSON.stringify(value, bigintAsString) ?? "null";
  } catch {
    const seen = new WeakSet<object>();
    return (
      JSON.stringify(value, (key, v: unknown) => {
        const converted = bigintAsString(key, v);
        if (typeof converted === "object" && converted !== null) {
          if (seen.has(converted)) return "[Circular]";
          seen.add(converted);
        }
        return converted;
      }) ?? "null"
    );
  }
}

/** Keys that give a part or message its shape; their values are never cut. */
const STRUCTURAL_KEYS = new Set(["type", "role", "id", "name", "mime_type", "modality", "finish_reason", "file_id"]);

/** Strings shorter than this are not worth cutting: the mark alone is about this long. */
const MIN_CUTTABLE_LENGTH = 64;

interface StringLeaf {
  holder: Record<string, unknown> | unknown[];
  key: string | number;
  text: string;
}

/** Cuts the longest strings of a freshly parsed tree until its JSON fits; a plain cut of the text is the last resort. */
function shrinkJson(tree: unknown, json: string, maxLength: number): string {
  // A bare string (an entity's output, say) has no holder to cut inside: cut it, leaving room for quotes and escapes.
  if (typeof tree === "string")
    return JSON.stringify(truncateText(tree, Math.max(0, maxLength - (json.length - tree.length))));
  let current = json;
  const leaves = stringLeaves(tree).sort((a, b) => b.text.length - a.text.length);
  for (const leaf of leaves) {
    const excess = current.length - maxLength;
    if (excess <= 0) break;
    setLeaf(leaf, truncateText(leaf.text, Math.max(0, leaf.text.length - excess)));
    current = JSON.stringify(tree);
  }
  return current.length <= maxLength ? current : truncateText(current, maxLength);
}

function setLeaf(leaf: StringLeaf, text: string): void {
  if (Array.isArray(leaf.holder)) leaf.holder[leaf.key as number] = text;
  else leaf.holder[leaf.key as string] = text;
}

function stringLeaves(node: unknown, out: StringLeaf[] = []): StringLeaf[] {
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) collectLeaf(node, index, item, out);
  } else if (typeof node === "object" && node !== null) {
    const record = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      if (!STRUCTURAL_KEYS.has(key)) collectLeaf(record, key, value, out);
    }
  }
  return out;
}

function collectLeaf(holder: StringLeaf["holder"], key: string | number, value: unknown, out: StringLeaf[]): void {
  if (typeof value === "string") {
    if (value.length >= MIN_CUTTABLE_LENGTH) out.push({ holder, key, text: value });
  } else {
    stringLeaves(value, out);
  }
}

/**
 * The user's `redact` hook has the last word on a span's attributes. If it throws or returns something that is
 * not an object, the content attributes go and everything else stays: a tracer never throws into a request.
 */
export function redactAttributes(
  attributes: Attributes,
  hook: ((attributes: Attributes) => Attributes) | undefined,
  isContent: (name: string) => boolean,
): Attributes {
  if (hook === undefined) return attributes;
  try {
    const result: unknown = hook({ ...attributes });
    if (typeof result === "object" && result !== null && !Array.isArray(result)) return result as Attributes;
  } catch {
    // Falls through to dropping the content.
  }
  return Object.fromEntries(Object.entries(attributes).filter(([name]) => !isContent(name)));
}
