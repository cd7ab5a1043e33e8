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
 * The shapes content leaves in: the `gen_ai.*` JSON attributes (GenAI conventions v1.41 message schemas), inline
 * binary replaced by a descriptor unless `captureBinary`.
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

/** Tool definitions; their descriptions and parameters are content (content-attributes.ts keeps the names alone). */
export function exportToolDefinitions(tools: readonly ToolDefinition[]): ExportedToolDefinition[] {
  return tools.map(({ type, name, description, parameters }) => ({ type, name, description, parameters }));
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
