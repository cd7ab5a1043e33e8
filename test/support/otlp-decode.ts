/**
 * The receiver's decoder, independent of the code under test: protobuf through protobufjs and the official
 * OTLP .proto files, JSON through JSON.parse. Both land in the same normalised `DecodedSpan`.
 */
import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import protobuf from "protobufjs";
import type {
  DecodedAttributes,
  DecodedKind,
  DecodedSpan,
  DecodedStatusCode,
  DecodedValue,
  ScriptedAnswer,
} from "./otlp-types";

/** The OTLP trace .proto files as @opentelemetry/otlp-grpc-exporter-base 0.38.0 packaged them (Apache-2.0). */
const PROTO_ROOT = fileURLToPath(new URL("./otlp-protos/", import.meta.url));
const TRACE_SERVICE = "opentelemetry/proto/collector/trace/v1/trace_service.proto";

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

function loadTraceService(): {
  request: protobuf.Type;
  response: protobuf.Type;
} {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(PROTO_ROOT, target));
  root.loadSync(join(PROTO_ROOT, TRACE_SERVICE), { keepCase: false });
  const response = root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse");
  addPartialSuccess(response);
  addSpanFlags(root);
  return {
    request: root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest"),
    response,
  };
}

/**
 * The packaged protos predate OTLP 0.19; `partial_success` is added here exactly as the current
 * trace_service.proto declares it (field 1, ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }).
 */
function addPartialSuccess(response: protobuf.Type): void {
  if (response.fields.partialSuccess) return;
  const partial = new protobuf.Type("ExportTracePartialSuccess")
    .add(new protobuf.Field("rejectedSpans", 1, "int64"))
    .add(new protobuf.Field("errorMessage", 2, "string"));
  response.parent?.add(partial);
  response.add(new protobuf.Field("partialSuccess", 1, "ExportTracePartialSuccess"));
}

/**
 * The packaged protos predate OTLP 1.1; `flags` is added here exactly as the current trace.proto declares it
 * (`fixed32 flags = 16` in Span, `fixed32 flags = 6` in Span.Link).
 */
function addSpanFlags(root: protobuf.Root): void {
  root.lookupType("opentelemetry.proto.trace.v1.Span").add(new protobuf.Field("flags", 16, "fixed32"));
  root.lookupType("opentelemetry.proto.trace.v1.Span.Link").add(new protobuf.Field("flags", 6, "fixed32"));
}

export const traceService = loadTraceService();

export function isJson(contentType: string): boolean {
  return contentType.toLowerCase().includes("json");
}

/** Decodes one export request body into normalised spans. Throws on anything that is not valid OTLP. */
/** The body as sent, gunzipped when it was gzipped. */
export function plainBody(body: Buffer, contentEncoding: string): Buffer {
  return contentEncoding.toLowerCase() === "gzip" ? gunzipSync(body) : body;
}

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
export function encodeExportResponse(contentType: string, partial: ScriptedAnswer["partialSuccess"]): Buffer {
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
