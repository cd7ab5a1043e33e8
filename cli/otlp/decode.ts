/**
 * The OTLP/HTTP traces decoder of the dev tool and of the tests' receiver, independent of the library's encoder:
 * protobuf through protobufjs and the official OTLP .proto files (as a JSON descriptor, made from them by
 * scripts/otlp-descriptor.ts), JSON through JSON.parse. Both land in the same normalised `DecodedSpan`.
 */
import { gunzipSync } from "node:zlib";
import Long from "long";
import protobuf from "protobufjs";
import type { DecodedAttributes, DecodedKind, DecodedSpan, DecodedStatusCode, DecodedValue } from "./decoded-span";
import descriptor from "./trace-service.json";

const KINDS: readonly [DecodedKind, ...DecodedKind[]] = [
  "UNSPECIFIED",
  "INTERNAL",
  "SERVER",
  "CLIENT",
  "PRODUCER",
  "CONSUMER",
];
const STATUS_CODES: readonly [DecodedStatusCode, ...DecodedStatusCode[]] = ["UNSET", "OK", "ERROR"];

type Json = Record<string, unknown>;

/** A server's answer that it took only part of the spans. */
export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage?: string;
}

// protobufjs finds `long` by a dynamic require, which a bundle (the dev tool's) does not have: without it, 64-bit
// integers are read as doubles and nanosecond timestamps lose their last digits.
protobuf.util.Long = Long;
protobuf.configure();

function loadTraceService(): { request: protobuf.Type; response: protobuf.Type } {
  const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
  return {
    request: root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest"),
    response: root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse"),
  };
}

export const traceService = loadTraceService();

export function isJson(contentType: string): boolean {
  return contentType.toLowerCase().includes("json");
}

/** The body as sent, gunzipped when it was gzipped. */
export function plainBody(body: Buffer, contentEncoding: string): Buffer {
  return contentEncoding.toLowerCase() === "gzip" ? gunzipSync(body) : body;
}

/** Decodes one export request body into normalised spans. Throws on anything that is not valid OTLP. */

export function decodeExportRequest(body: Buffer, contentType: string, contentEncoding: string): DecodedSpan[] {
  const plain = plainBody(body, contentEncoding);
  if (isJson(contentType)) return normaliseRequest(JSON.parse(plain.toString("utf8")) as Json, hexId);
  if (!contentType.toLowerCase().includes("protobuf"))
    throw new Error(`unsupported content-type ${JSON.stringify(contentType)}`);
  const message = traceService.request.decode(plain);
  const object = traceService.request.toObject(message, {
    longs: String,
    enums: Number,
    bytes: String,
    arrays: true,
  });
  return normaliseRequest(object as Json, base64Id);
}

/** An ExportTraceServiceResponse in the request's content type. */
export function encodeExportResponse(contentType: string, partial?: PartialSuccess): Buffer {
  const response = partial
    ? {
        partialSuccess: {
          rejectedSpans: String(partial.rejectedSpans),
          errorMessage: partial.errorMessage ?? "",
        },
      }
    : {};
  if (isJson(contentType)) return Buffer.from(JSON.stringify(response));
  return Buffer.from(traceService.response.encode(traceService.response.fromObject(response)).finish());
}

function hexId(value: unknown): string {
  return typeof value === "string" ? value.toLowerCase() : "";
}

export function base64Id(value: unknown): string {
  return typeof value === "string" ? Buffer.from(value, "base64").toString("hex") : "";
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** int64/fixed64 arrive as decimal strings in both encodings (JSON may also use numbers). */
function nanos(value: unknown): string {
  return value === undefined || value === null ? "0" : BigInt(value as string | number).toString();
}

function normaliseRequest(request: Json, id: (value: unknown) => string): DecodedSpan[] {
  const spans: DecodedSpan[] = [];
  for (const resourceSpans of list(request.resourceSpans)) {
    const resource = attributes((resourceSpans.resource as Json | undefined)?.attributes);
    for (const scopeSpans of list(resourceSpans.scopeSpans)) {
      const scopeJson = (scopeSpans.scope ?? {}) as Json;
      const scope = {
        name: text(scopeJson.name),
        version: text(scopeJson.version),
      };
      for (const span of list(scopeSpans.spans)) spans.push(normaliseSpan(span, id, resource, scope));
    }
  }
  return spans;
}

function normaliseSpan(
  span: Json,
  id: (value: unknown) => string,
  resource: DecodedAttributes,
  scope: DecodedSpan["scope"],
): DecodedSpan {
  const status = (span.status ?? {}) as Json;
  return {
    traceId: id(span.traceId),
    spanId: id(span.spanId),
    parentSpanId: id(span.parentSpanId),
    traceState: text(span.traceState),
    name: text(span.name),
    kind: enumName(span.kind, KINDS, "SPAN_KIND_"),
    startTimeUnixNano: nanos(span.startTimeUnixNano),
    endTimeUnixNano: nanos(span.endTimeUnixNano),
    attributes: attributes(span.attributes),
    droppedAttributesCount: Number(span.droppedAttributesCount ?? 0),
    events: list(span.events).map((event) => ({
      name: text(event.name),
      timeUnixNano: nanos(event.timeUnixNano),
      attributes: attributes(event.attributes),
    })),
    status: {
      code: enumName(status.code, STATUS_CODES, "STATUS_CODE_"),
      message: text(status.message),
    },
    resource,
    scope,
  };
}

/** OTLP/JSON sends enums as integers; names are accepted too. */
function enumName<T extends string>(value: unknown, names: readonly [T, ...T[]], prefix: string): T {
  if (typeof value === "string") return value.replace(prefix, "") as T;
  return names[typeof value === "number" ? value : 0] ?? names[0];
}

function attributes(keyValues: unknown): DecodedAttributes {
  const out: DecodedAttributes = {};
  for (const kv of list(keyValues)) out[text(kv.key)] = anyValue(kv.value);
  return out;
}

function anyValue(value: unknown): DecodedValue {
  if (value === null || typeof value !== "object") return null;
  const v = value as Json;
  if ("stringValue" in v) return text(v.stringValue);
  if ("boolValue" in v) return v.boolValue === true;
  if ("intValue" in v) return Number(v.intValue);
  if ("doubleValue" in v) return Number(v.doubleValue);
  if ("arrayValue" in v) return list((v.arrayValue as Json | undefined)?.values).map(anyValue);
  if ("kvlistValue" in v) return attributes((v.kvlistValue as Json | undefined)?.values);
  if ("bytesValue" in v) return text(v.bytesValue);
  return null;
}
