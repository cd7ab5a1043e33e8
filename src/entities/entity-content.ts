import { type ExportedPart, omittedBlob, parseDataUrl } from "../policy/exported-messages";

/**
 * Entity input and output as JSON data: a function's arguments and return value are the application's own
 * objects, so before they are written they go through the binary rule of exported-messages.ts (inline binary
 * becomes a descriptor unless `captureBinary`) and become plain JSON data (bigint, Map, Set, Error, cycles and
 * depth handled), ready for ContentLimiter's size cap (content-limiter.ts).
 */

/** Deeper than this, a value is written as a mark: an argument graph is not worth walking to the bottom. */
const MAX_DEPTH = 32;
const DEPTH_MARK = "[depth limit]";
const CIRCULAR_MARK = "[Circular]";
/** An object whose reading threw (a revoked Proxy, a throwing getter or `toJSON`): nothing of it is written. */
const UNREADABLE_MARK = "[unreadable]";

/**
 * An entity's arguments as JSON data, converted once for both families. Traceloop's input takes one plain object
 * argument as keyword arguments, anything else as positional ones; the GenAI conventions expect tool arguments to
 * be an object: a first argument that is a plain object is the arguments (frameworks pass call options after it:
 * the Vercel AI SDK's `execute(input, { toolCallId, messages })`), anything else the list of arguments. Most calls
 * give both the same data (`traceloop.data === toolArguments`), to be written once.
 */
export interface EntityArguments {
  /** Traceloop's `kwargs` (`keywords`) or `args`. */
  readonly traceloop: { readonly keywords: boolean; readonly data: unknown };
  readonly toolArguments: unknown;
}

export function entityArguments(args: readonly unknown[], captureBinary: boolean): EntityArguments {
  const [first] = args;
  const keywords = args.length === 1 && isPlainObject(first);
  if (isPlainObject(first) && !keywords) {
    const data = toJsonData(args, captureBinary) as unknown[];
    return { traceloop: { keywords, data }, toolArguments: data[0] };
  }
  const data = toJsonData(keywords ? first : args, captureBinary);
  return { traceloop: { keywords, data }, toolArguments: data };
}

/** The model's id of this tool call, where the caller passes it as the Vercel AI SDK does (`{ toolCallId }`). */
export function toolCallId(args: readonly unknown[]): string | undefined {
  try {
    const id = (args[1] as { toolCallId?: unknown } | null | undefined)?.toolCallId;
    return typeof id === "string" ? id : undefined;
  } catch {
    // The application's object (a strict Proxy, a throwing getter): its id is not the tracer's to insist on.
    return undefined;
  }
}

export function toJsonData(value: unknown, captureBinary: boolean): unknown {
  return convert(value, captureBinary, new Set<object>(), 0);
}

function convert(value: unknown, captureBinary: boolean, ancestors: Set<object>, depth: number): unknown {
  switch (typeof value) {
    case "string":
      return convertString(value, captureBinary);
    case "bigint":
      return value.toString();
    case "function":
    case "symbol":
      return undefined;
    case "object":
      if (value === null) return null;
      return convertObject(value, captureBinary, ancestors, depth);
    default:
      return value;
  }
}

function convertObject(value: object, captureBinary: boolean, ancestors: Set<object>, depth: number): unknown {
  try {
    const binary = binaryDescriptor(value, captureBinary);
    if (binary !== undefined) return binary;
    if (ancestors.has(value)) return CIRCULAR_MARK;
    if (depth >= MAX_DEPTH) return DEPTH_MARK;
    ancestors.add(value);
    try {
      return convertStructure(value, (item) => convert(item, captureBinary, ancestors, depth + 1));
    } finally {
      ancestors.delete(value);
    }
  } catch {
    return UNREADABLE_MARK;
  }
}

function convertStructure(value: object, next: (item: unknown) => unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((item) => next(item) ?? null);
  if (value instanceof Map) return [...value.entries()].map(([key, item]) => [next(key), next(item)]);
  if (value instanceof Set) return [...value].map((item) => next(item) ?? null);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return next(toJSON.call(value));
  const object: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const converted = next(item);
    if (converted !== undefined) object[key] = converted;
  }
  return object;
}

function convertString(text: string, captureBinary: boolean): unknown {
  if (captureBinary || !text.startsWith("data:")) return text;
  const inline = parseDataUrl(text);
  return inline ? omittedBlob(modalityOf(inline.mimeType), inline.mimeType, inline.byteSize) : text;
}

/** Bytes (ArrayBuffer, typed arrays, DataView) and Blobs as the binary rule exports them; undefined for the rest. */
function binaryDescriptor(value: object, captureBinary: boolean): ExportedPart | undefined {
  const tag = Object.prototype.toString.call(value);
  if (tag === "[object Blob]" || tag === "[object File]") {
    // A Blob's bytes cannot be read synchronously: its descriptor is all there is to export.
    const { size, type } = value as { size: number; type: string };
    return omittedBlob(modalityOf(type || undefined), type || undefined, size);
  }
  const bytes = bytesOf(value, tag);
  if (bytes === undefined) return undefined;
  if (!captureBinary) return omittedBlob(modalityOf(undefined), undefined, bytes.byteLength);
  return { type: "blob", modality: modalityOf(undefined), content: toBase64(bytes) };
}

function bytesOf(value: object, tag: string): Uint8Array | undefined {
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (tag === "[object ArrayBuffer]") return new Uint8Array(value as ArrayBuffer);
  return undefined;
}

/** The modality the GenAI conventions name (image, video, audio) from a MIME type; `binary` when unknown. */
function modalityOf(mimeType: string | undefined): string {
  const major = mimeType?.split("/")[0]?.toLowerCase();
  return major === "image" || major === "video" || major === "audio" ? major : "binary";
}

const BASE64_CHUNK = 0x8000;

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let offset = 0; offset < bytes.length; offset += BASE64_CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + BASE64_CHUNK));
  }
  return btoa(binary);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  try {
    const proto = Object.getPrototypeOf(value);
    return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
  } catch {
    // A Proxy whose getPrototypeOf throws (a revoked one): not plain, and written as unreadable.
    return false;
  }
}
