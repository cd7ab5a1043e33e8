import type { Attributes, Link, SpanStatus } from "@opentelemetry/api";
import type { ExportableEvent, ExportableSpan } from "./exportable-span";
import { isInt64, otlpSpanKind, spanFlags, unixNanosBits } from "./field-values";
import { groupByResourceAndScope, type ResourceGroup, type ScopeGroup } from "./group-spans";
import { ProtobufWriter } from "./protobuf-writer";

/**
 * An ExportTraceServiceRequest in protobuf (opentelemetry/proto/collector/trace/v1/trace_service.proto and the
 * messages it nests; the numbers below are their field numbers). Fields at their default value are left out,
 * as proto3 does, except inside AnyValue's oneof, where presence is the value.
 */

/** A first guess at the body size, so that the buffer rarely grows; an LLM span with a ten-message conversation is about 5 KB. */
const BYTES_PER_SPAN_GUESS = 6144;

export function encodeTraceRequestProtobuf(spans: readonly ExportableSpan[]): Uint8Array<ArrayBuffer> {
  const writer = new ProtobufWriter(spans.length * BYTES_PER_SPAN_GUESS);
  for (const group of groupByResourceAndScope(spans)) writeResourceSpans(writer, group);
  return writer.finish();
}

function writeResourceSpans(writer: ProtobufWriter, group: ResourceGroup): void {
  const resourceSpans = writer.openMessage(1);
  const resource = writer.openMessage(1);
  writeAttributes(writer, 1, group.resource.attributes);
  writer.closeMessage(resource);
  for (const scope of group.scopes) writeScopeSpans(writer, scope);
  writer.closeMessage(resourceSpans);
}

function writeScopeSpans(writer: ProtobufWriter, group: ScopeGroup): void {
  const scopeSpans = writer.openMessage(2);
  const scope = writer.openMessage(1);
  if (group.scope.name) writer.string(1, group.scope.name);
  if (group.scope.version) writer.string(2, group.scope.version);
  writer.closeMessage(scope);
  for (const span of group.spans) writeSpan(writer, span);
  writer.closeMessage(scopeSpans);
}

function writeSpan(writer: ProtobufWriter, span: ExportableSpan): void {
  const context = span.spanContext();
  const message = writer.openMessage(2);
  writer.hexBytes(1, context.traceId);
  writer.hexBytes(2, context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) writer.string(3, traceState);
  const parentSpanId = span.parentSpanContext?.spanId;
  if (parentSpanId) writer.hexBytes(4, parentSpanId);
  if (span.name) writer.string(5, span.name);
  writer.varint(6, otlpSpanKind(span.kind));
  writer.fixed64(7, unixNanosBits(span.startTime));
  writer.fixed64(8, unixNanosBits(span.endTime));
  writeAttributes(writer, 9, span.attributes);
  writer.varintUnlessZero(10, span.droppedAttributesCount);
  for (const event of span.events) writeEvent(writer, event);
  writer.varintUnlessZero(12, span.droppedEventsCount);
  for (const link of span.links) writeLink(writer, link);
  writer.varintUnlessZero(14, span.droppedLinksCount);
  writeStatus(writer, span.status);
  writer.fixed32(16, spanFlags(context.traceFlags, span.parentSpanContext));
  writer.closeMessage(message);
}

function writeEvent(writer: ProtobufWriter, event: ExportableEvent): void {
  const message = writer.openMessage(11);
  writer.fixed64(1, unixNanosBits(event.time));
  if (event.name) writer.string(2, event.name);
  writeAttributes(writer, 3, event.attributes);
  writer.varintUnlessZero(4, event.droppedAttributesCount);
  writer.closeMessage(message);
}

function writeLink(writer: ProtobufWriter, link: Link): void {
  const message = writer.openMessage(13);
  writer.hexBytes(1, link.context.traceId);
  writer.hexBytes(2, link.context.spanId);
  const traceState = link.context.traceState?.serialize();
  if (traceState) writer.string(3, traceState);
  writeAttributes(writer, 4, link.attributes);
  writer.varintUnlessZero(5, link.droppedAttributesCount);
  writer.fixed32(6, spanFlags(link.context.traceFlags, link.context));
  writer.closeMessage(message);
}

/** Always written, so that a receiver reading `status` never finds it absent. */
function writeStatus(writer: ProtobufWriter, status: SpanStatus): void {
  const message = writer.openMessage(15);
  if (status.message) writer.string(2, status.message);
  writer.varintUnlessZero(3, status.code);
  writer.closeMessage(message);
}

/** Repeated KeyValue. A key whose value is undefined or null is left out, as the OpenTelemetry SDKs leave it. */
function writeAttributes(writer: ProtobufWriter, field: number, attributes: Attributes | undefined): void {
  if (!attributes) return;
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value === undefined || value === null) continue;
    const keyValue = writer.openMessage(field);
    writer.string(1, key);
    const anyValue = writer.openMessage(2);
    writeAnyValue(writer, value);
    writer.closeMessage(anyValue);
    writer.closeMessage(keyValue);
  }
}

/** AnyValue's fields; a value of no kind it has (null in an array) stays an empty AnyValue. */
function writeAnyValue(writer: ProtobufWriter, value: unknown): void {
  if (typeof value === "string") writer.string(1, value);
  else if (typeof value === "boolean") writer.varint(2, value ? 1 : 0);
  else if (typeof value === "number") writeNumber(writer, value);
  else if (Array.isArray(value)) writeArray(writer, value);
}

function writeNumber(writer: ProtobufWriter, value: number): void {
  if (isInt64(value)) writer.int64(3, value);
  else writer.double(4, value);
}

function writeArray(writer: ProtobufWriter, values: readonly unknown[]): void {
  const array = writer.openMessage(5);
  for (const item of values) {
    const element = writer.openMessage(1);
    writeAnyValue(writer, item);
    writer.closeMessage(element);
  }
  writer.closeMessage(array);
}
