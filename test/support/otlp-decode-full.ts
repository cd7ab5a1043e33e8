/**
 * Every field of an export request, read by the independent decoder (protobufjs and the official .proto files,
 * as the receiver reads them) into one canonical form for both encodings: protobufjs's `toObject` with
 * 64-bit integers as decimal strings, enums as numbers, fields at their default value left out, ids in hex,
 * and non-finite doubles as "NaN" / "Infinity" / "-Infinity" (so that the form survives JSON). OTLP/JSON is
 * first checked against the proto: every key a field of its message (lowerCamelCase), every value of its
 * field's JSON type, ids in hex of the right length, enums as integers.
 */
import type protobuf from "protobufjs";
import { base64Id, isJson, traceService } from "../../cli/otlp/decode";

type Json = Record<string, unknown>;

const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: Number, bytes: String };
const ID_HEX_LENGTHS: Record<string, number> = { traceId: 32, spanId: 16, parentSpanId: 16 };
const NON_FINITE = new Set(["NaN", "Infinity", "-Infinity"]);

const isDecimal = (value: unknown) => typeof value === "string" && /^-?\d+$/.test(value);
const int64 = ["a 64-bit integer", (v: unknown) => isDecimal(v) || Number.isSafeInteger(v)] as const;
const int32 = ["an integer", (v: unknown) => isDecimal(v) || Number.isInteger(v)] as const;
/** The proto3 JSON mapping of each scalar type the OTLP trace protos use: what it is, and who passes. */
const SCALARS: Record<string, readonly [string, (value: unknown) => boolean]> = {
  string: ["a string", (v) => typeof v === "string"],
  bool: ["a boolean", (v) => typeof v === "boolean"],
  double: ["a number, or NaN / Infinity / -Infinity", (v) => typeof v === "number" || NON_FINITE.has(v as string)],
  int64,
  uint64: int64,
  fixed64: int64,
  uint32: int32,
  fixed32: int32,
};

export function decodeInFull(body: Uint8Array, contentType: string): unknown {
  const type = traceService.request;
  let message: protobuf.Message;
  if (isJson(contentType)) {
    const json: unknown = JSON.parse(new TextDecoder().decode(body));
    checkJson(type, json, "$");
    message = type.fromObject(base64Ids(json) as Json);
  } else {
    message = type.decode(body);
  }
  return canonical(type.toObject(message, TO_OBJECT));
}

function checkJson(type: protobuf.Type, value: unknown, path: string): void {
  if (!isObject(value)) throw new Error(`${path}: a ${type.name} must be a JSON object`);
  for (const [key, fieldValue] of Object.entries(value)) {
    const field = type.fields[key];
    if (!field) throw new Error(`${path}.${key}: ${type.name} has no field ${JSON.stringify(key)}`);
    if (!field.repeated) checkField(field, fieldValue, `${path}.${key}`);
    else if (!Array.isArray(fieldValue)) throw new Error(`${path}.${key}: a repeated field must be an array`);
    else for (const [i, item] of fieldValue.entries()) checkField(field, item, `${path}.${key}[${i}]`);
  }
  for (const oneof of type.oneofsArray) {
    const set = oneof.oneof.filter((name) => name in value);
    if (set.length > 1) throw new Error(`${path}: more than one of ${oneof.name} set (${set.join(", ")})`);
  }
}

function checkField(field: protobuf.Field, value: unknown, path: string): void {
  field.resolve();
  const resolved = field.resolvedType;
  if (resolved && "fields" in resolved) {
    checkJson(resolved as protobuf.Type, value, path);
    return;
  }
  const [expected, passes] = resolved ? ENUM : expectationOf(field);
  if (!passes(value)) throw new Error(`${path}: expected ${expected}, got ${JSON.stringify(value)}`);
}

function expectationOf(field: protobuf.Field): readonly [string, (value: unknown) => boolean] {
  return field.type === "bytes" ? idCheck(field.name) : (SCALARS[field.type] ?? UNKNOWN);
}

/** OTLP/JSON's exceptions to the proto3 mapping: enums as integers only, ids (its only bytes) as hex. */
const ENUM = ["an enum as an integer", Number.isInteger] as const;
const UNKNOWN = ["a type this check knows", () => false] as const;

function idCheck(name: string): readonly [string, (value: unknown) => boolean] {
  const digits = ID_HEX_LENGTHS[name];
  if (digits === undefined) return ["an id field (no other bytes field is sent)", () => false];
  const hex = new RegExp(`^[0-9a-f]{${digits}}$`, "i");
  return [`${digits} hex digits`, (value) => typeof value === "string" && hex.test(value)];
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** OTLP/JSON's hex ids as the base64 that protobufjs reads bytes from in JSON. */
function base64Ids(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(base64Ids);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      Object.hasOwn(ID_HEX_LENGTHS, key) && typeof v === "string"
        ? Buffer.from(v, "hex").toString("base64")
        : base64Ids(v),
    ]),
  );
}

/** Ids from base64 to hex, non-finite doubles to their names. */
function canonical(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((item) => canonical(item));
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (Object.hasOwn(ID_HEX_LENGTHS, key) && typeof value === "string") return base64Id(value);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canonical(v, k)]));
}
