import { warnOnce } from "../core/debug";
import { reportInternalError } from "../core/safe";
import { type ModaSpan, warnDropped } from "../core/span";
import type { ExportableSpan } from "../export/otlp/exportable-span";
import { ATTR_MODA_SPANS_DROPPED } from "../semconv/core-attributes";
import { capFields } from "./cap-values";
import { type RedactHook, RedactHookMisuse, redactSpan } from "./redact-hook";
import { scrubSpan } from "./scrub-span";
import { fitSpanBudget } from "./span-budget";
import { mapItems, type SpanFields } from "./span-fields";
import { withoutContent } from "./without-content";

/**
 * What may leave: the one pass every span goes through before it is encoded, whoever made it (an LLM call, an
 * entity, the request, the Vercel AI SDK or other OpenTelemetry code through `modaTracer()`), under its own
 * request's configuration. In order:
 *  1. `traceContent: false`: the content attributes go, error text is reduced to `error.type` (without-content.ts);
 *  2. the `redact` hook, on every attribute set of the span; if it fails, the span's content goes (redact-hook.ts);
 *  3. credentials scrubbed from every string (scrub-span.ts);
 *  4. every field within its limit (cap-values.ts), then the span within `maxSpanBytes` (span-budget.ts).
 */
/** What an export body holds besides its spans: the resource, the scope, the request's own framing. */
const BODY_FRAMING_BYTES = 1024;

export function exportedSpans(spans: readonly ModaSpan[]): ExportableSpan[] {
  return spans.map(exportedSpan);
}

export function exportedSpan(span: ModaSpan): ExportableSpan {
  try {
    return exportable(span, policed(span));
  } catch (error) {
    // A fault of ours: the span keeps its place in the trace and nothing else.
    reportInternalError("the export policy", error);
    return exportable(span, {
      name: "",
      attributes: {},
      status: { code: span.status.code },
      events: [],
      links: [],
      droppedAttributesCount: span.droppedAttributesCount + Object.keys(span.attributes).length,
      droppedEventsCount: span.droppedEventsCount + span.events.length,
      droppedLinksCount: span.droppedLinksCount + span.links.length,
    });
  }
}

function policed(span: ModaSpan): SpanFields {
  const { config } = span.owner;
  let fields = fieldsOf(span);
  if (!config.traceContent) fields = withoutContent(fields);
  if (config.redact) fields = redacted(fields, config.redact);
  fields = scrubSpan(fields);
  const hits = new Set<string>();
  // A span must also fit in an export body alone, or the exporter drops it whole.
  const maxSpanBytes = Math.min(config.limits.maxSpanBytes, config.maxExportBytes - BODY_FRAMING_BYTES);
  fields = fitSpanBudget(capFields(fields, config.limits, hits), maxSpanBytes, hits);
  for (const limit of hits) warnDropped(limit);
  return withDroppedSpans(fields, span);
}

function redacted(fields: SpanFields, hook: RedactHook): SpanFields {
  try {
    return redactSpan(fields, hook);
  } catch (error) {
    const dropped = " the content of that span was dropped and the span exported without it.";
    if (error instanceof RedactHookMisuse) {
      warnOnce(`redact: ${error.message}`, `${error.message}:${dropped}`);
    } else {
      // The hook's message may quote what it was given: only its type is named.
      warnOnce(
        "redact",
        `the redact hook failed (${errorName(error)}):${dropped} Make the hook return the attributes to keep.`,
      );
    }
    return counted(fields, withoutContent(fields));
  }
}

/** `stripped` with the span's attributes it lost counted as dropped. */
function counted(fields: SpanFields, stripped: SpanFields): SpanFields {
  const lost = Object.keys(fields.attributes).filter((key) => !(key in stripped.attributes)).length;
  return lost > 0 ? { ...stripped, droppedAttributesCount: stripped.droppedAttributesCount + lost } : stripped;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** The request span carries the count of the request's spans that were never recorded. */
function withDroppedSpans(fields: SpanFields, span: ModaSpan): SpanFields {
  const dropped = span.owner.droppedSpans;
  if (span.owner.root !== span || dropped === 0) return fields;
  return { ...fields, attributes: { ...fields.attributes, [ATTR_MODA_SPANS_DROPPED]: dropped } };
}

/** The span's fields as the policy reads them; a name or status message that is not a string becomes one. */
function fieldsOf(span: ModaSpan): SpanFields {
  const { status } = span;
  return {
    name: asText(span.name),
    attributes: span.attributes,
    status: status.message === undefined ? status : { code: status.code, message: asText(status.message) },
    events: mapItems(span.events, (event) =>
      typeof event.name === "string" ? event : { ...event, name: asText(event.name) },
    ),
    links: span.links,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

function asText(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return String(value);
  } catch {
    return "";
  }
}

/** The policy's fields, the rest as the span has them. */
function exportable(span: ModaSpan, fields: SpanFields): ExportableSpan {
  return {
    ...fields,
    kind: span.kind,
    // Bound, not a closure: a Worker bundled with keepNames names every function literal made per span.
    spanContext: span.spanContext.bind(span),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
  };
}
