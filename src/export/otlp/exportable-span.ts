import type { Attributes, HrTime, Link, SpanContext, SpanKind, SpanStatus } from "@opentelemetry/api";

/** What the OTLP encoders read from a finished span: the part of the SDK's `ReadableSpan` that OTLP carries. */
export interface ExportableSpan {
  readonly name: string;
  readonly kind: SpanKind;
  spanContext(): SpanContext;
  readonly parentSpanContext?: SpanContext | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly links: readonly Link[];
  readonly events: readonly ExportableEvent[];
  /** Spans sharing this object (by identity) go out under one resource. */
  readonly resource: { readonly attributes: Attributes };
  readonly instrumentationScope: { readonly name: string; readonly version?: string };
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
}

export interface ExportableEvent {
  readonly name: string;
  readonly time: HrTime;
  readonly attributes?: Attributes | undefined;
  readonly droppedAttributesCount?: number | undefined;
}
