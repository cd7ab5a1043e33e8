import type { Attributes, AttributeValue, Link, SpanStatus } from "@opentelemetry/api";
import type { ExportableEvent, ExportableSpan } from "./exportable-span";
import { isInt64, otlpSpanKind, spanFlags, unixNanosDecimal } from "./field-values";
import { groupByResourceAndScope, type ResourceGroup, type ScopeGroup } from "./group-spans";

/**
 * An ExportTraceServiceRequest in OTLP/JSON: the proto3 JSON mapping (lowerCamelCase field names, 64-bit
 * integers as decimal strings, non-finite doubles as "NaN" / "Infinity" / "-Infinity") with OTLP's two
 * exceptions: trace and span ids in hex, enums as integers. A field at its default value is left out
 * (`undefined` is dropped by JSON.stringify).
 */

type Json = { [key: string]: unknown };

export function encodeTraceRequestJson(spans: readonly ExportableSpan[]): Uint8Array<ArrayBuffer> {
  const request = { resourceSpans: groupByResourceAndScope(spans).map(resourceSpansJson) };
  return new TextEncoder().encode(JSON.stringify(request));
}

function resourceSpansJson(group: ResourceGroup): Json {
  return {
    resource: { attributes: attributesJson(group.resource.attributes) },
    scopeSpans: group.scopes.map(scopeSpansJson),
  };
}

function scopeSpansJson(group: ScopeGroup): Json {
  return {
    scope: { name: group.scope.name || undefined, version: group.scope.version || undefined },
    spans: group.spans.map(spanJson),
  };
}

function spanJson(span: ExportableSpan): Json {
  const context = span.spanContext();
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    traceState: context.traceState?.serialize() || undefined,
    parentSpanId: span.parentSpanContext?.spanId || undefined,
    flags: spanFlags(context.traceFlags, span.parentSpanContext),
    name: span.name || undefined,
    kind: otlpSpanKind(span.kind),
    startTimeUnixNano: unixNanosDecimal(span.startTime),
    endTimeUnixNano: unixNanosDecimal(span.endTime),
    attributes: attributesJson(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount || undefined,
    events: span.events.length > 0 ? span.events.map(eventJson) : undefined,
    droppedEventsCount: span.droppedEventsCount || undefined,
    links: span.links.length > 0 ? span.links.map(linkJson) : undefined,
    droppedLinksCount: span.droppedLinksCount || undefined,
    status: statusJson(span.status),
  };
}

function eventJson(event: ExportableEvent): Json {
  return {
    timeUnixNano: unixNanosDecimal(event.time),
    name: event.name || undefined,
    attributes: attributesJson(event.attributes),
    droppedAttributesCount: event.droppedAttributesCount || undefined,
  };
}

function linkJson(link: Link): Json {
  return {
    traceId: link.context.traceId,
    spanId: link.context.spanId,
    traceState: link.context.traceState?.serialize() || undefined,
    attributes: attributesJson(link.attributes),
    droppedAttributesCount: link.droppedAttributesCount || undefined,
    flags: spanFlags(link.context.traceFlags, link.context),
  };
}

/** Always written, so that a receiver reading `status` never finds it absent. */
function statusJson(status: SpanStatus): Json {
  return { message: status.message || undefined, code: status.code || undefined };
}

/** Repeated KeyValue; undefined when empty. A key whose value is undefined or null is left out, as the SDKs do. */
function attributesJson(attributes: Attributes | undefined): Json[] | undefined {
  if (!attributes) return undefined;
  const keyValues: Json[] = [];
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value !== undefined && value !== null) keyValues.push({ key, value: anyValueJson(value) });
  }
  return keyValues.length > 0 ? keyValues : undefined;
}

/** An AnyValue; a value of no kind it has (null in an array) stays an empty AnyValue. */
function anyValueJson(value: AttributeValue | null | undefined): Json {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (typeof value === "number") {
    if (isInt64(value)) return { intValue: Number.isSafeInteger(value) ? String(value) : BigInt(value).toString() };
    return { doubleValue: Number.isFinite(value) ? value : String(value) };
  }
  return Array.isArray(value) ? { arrayValue: { values: value.map(anyValueJson) } } : {};
}
