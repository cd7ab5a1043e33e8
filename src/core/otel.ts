import type {
  Context,
  TraceFlags as Flags,
  SpanKind as Kind,
  Span,
  SpanStatusCode as StatusCode,
} from "@opentelemetry/api";

/**
 * The values of the `@opentelemetry/api` enums and its span context key, so that the library imports the
 * api for types only: in a Worker bundle its runtime costs more bytes than the rest of the tracer.
 */

export const SpanKind = {
  INTERNAL: 0 as Kind.INTERNAL,
  SERVER: 1 as Kind.SERVER,
  CLIENT: 2 as Kind.CLIENT,
  PRODUCER: 3 as Kind.PRODUCER,
  CONSUMER: 4 as Kind.CONSUMER,
} as const;

export const SpanStatusCode = {
  UNSET: 0 as StatusCode.UNSET,
  OK: 1 as StatusCode.OK,
  ERROR: 2 as StatusCode.ERROR,
} as const;

export const TraceFlags = { NONE: 0 as Flags.NONE, SAMPLED: 1 as Flags.SAMPLED } as const;

/** The key under which `@opentelemetry/api` keeps the active span in a Context (`createContextKey` uses Symbol.for). */
const SPAN_KEY = Symbol.for("OpenTelemetry Context Key SPAN");

export function spanFromContext(context: Context): Span | undefined {
  return context.getValue(SPAN_KEY) as Span | undefined;
}

const INVALID_TRACE_ID = /^0*$/;

export function isValidSpanContext(context: { traceId: string; spanId: string }): boolean {
  return (
    /^[0-9a-f]{32}$/.test(context.traceId) &&
    /^[0-9a-f]{16}$/.test(context.spanId) &&
    !INVALID_TRACE_ID.test(context.traceId) &&
    !INVALID_TRACE_ID.test(context.spanId)
  );
}
