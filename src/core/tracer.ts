import type {
  Context,
  Link,
  Span,
  SpanAttributes,
  SpanContext,
  SpanKind as SpanKindType,
  SpanOptions,
  TimeInput,
  Tracer,
} from "@opentelemetry/api";
import { type ActiveContext, currentContext, runInContext } from "./context";
import { newSpanId, newTraceId } from "./ids";
import { isValidSpanContext, SpanKind, spanFromContext, TraceFlags } from "./otel";
import type { RequestScope } from "./request-scope";
import { resolveScope, scopeOfKnownRequest } from "./scope-lookup";
import { ModaSpan } from "./span";

export interface StartSpanOptions {
  readonly name: string;
  readonly kind?: SpanKindType;
  readonly attributes?: SpanAttributes;
  readonly links?: Link[];
  readonly startTime?: TimeInput;
  /** The parent: a span of ours, a foreign span context, or `null` for a new trace. Default: the current span. */
  readonly parent?: ModaSpan | SpanContext | null;
  /** The scope that was current when the client or entity was made (see scope-lookup.ts). */
  readonly scopeHint?: RequestScope;
  /** Start in this scope, skipping the lookup (the request span of a handler). */
  readonly scope?: RequestScope;
  /** The trace of a span without a parent, when it must be a known one (a Workflow instance's). */
  readonly traceId?: string;
  /**
   * A span the handler's adapter makes (the request span, a Workflow step): alone, it does not make its request
   * one that is exported by default (policy/request-export.ts).
   */
  readonly adapterSpan?: boolean;
}

function scopeFor(options: StartSpanOptions): RequestScope {
  if (options.scope) return options.scope;
  const parentScope = options.parent instanceof ModaSpan ? scopeOfKnownRequest(options.parent.owner) : undefined;
  return parentScope ?? resolveScope(options.scopeHint);
}

/**
 * The parent a span gets when none is given: the innermost span known for sure in its scope, else its root (a
 * scope that is no request has none: the span starts a trace of its own).
 */
function defaultParent(scope: RequestScope, current: ActiveContext | undefined): ModaSpan | undefined {
  const span = current?.span;
  if (span?.owner === scope && !span.ended) return span;
  return scope.root;
}

/**
 * Whether a new span is recorded: as its parent span was; in a request, always (its sampling is decided when it
 * ends); a trace started in a scope that is no request (background, detached) is sampled on its own, as it starts.
 */
function sampledIn(scope: RequestScope, parent: ModaSpan | SpanContext | undefined): boolean {
  if (parent instanceof ModaSpan) return (parent.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0;
  const rate = scope.config.sampleRate;
  return !scope.samplesEachTrace || rate >= 1 || Math.random() < rate;
}

function parentContext(parent: ModaSpan | SpanContext | undefined): SpanContext | undefined {
  return parent instanceof ModaSpan ? parent.spanContext() : parent;
}

/** Starts a span in the right request scope. The one place spans are created. */
export function startSpan(options: StartSpanOptions): ModaSpan {
  const scope = scopeFor(options);
  const parent = options.parent === null ? undefined : (options.parent ?? defaultParent(scope, currentContext()));
  const parentCtx = parentContext(parent);
  const recording = scope.recording && scope.accepting && sampledIn(scope, parent) && scope.admit();
  const span = new ModaSpan({
    name: options.name,
    kind: options.kind ?? SpanKind.INTERNAL,
    context: {
      traceId: parentCtx?.traceId ?? options.traceId ?? newTraceId(),
      spanId: newSpanId(),
      traceFlags: recording ? TraceFlags.SAMPLED : TraceFlags.NONE,
      traceState: parentCtx?.traceState,
    },
    parent: parentCtx,
    recording,
    owner: scope,
    attributes: options.attributes,
    links: options.links,
    startTime: options.startTime,
  });
  if (recording) {
    scope.spanStarted(span);
    if (!options.adapterSpan) scope.holdsWork = true;
  }
  return span;
}

/** Runs `fn` with `span` as the current span (and its scope as the current scope). */
export function withActiveSpan<R>(span: ModaSpan, fn: () => R): R {
  const values = currentContext()?.values ?? {};
  return runInContext({ span, values }, fn);
}

function parentFromApiContext(context: Context | undefined): ModaSpan | SpanContext | null | undefined {
  if (context === undefined) return undefined;
  const span = spanFromContext(context);
  if (!span) return undefined;
  if (span instanceof ModaSpan) return span;
  const ctx = span.spanContext();
  return isValidSpanContext(ctx) ? ctx : undefined;
}

/**
 * An `@opentelemetry/api` Tracer whose spans land in the current request's trace and export. Hand it to
 * OpenTelemetry-instrumented code, such as the Vercel AI SDK's `experimental_telemetry.tracer`.
 */
export class ModaTracer implements Tracer {
  startSpan(name: string, options: SpanOptions = {}, context?: Context): Span {
    return startSpan({
      name,
      kind: options.kind,
      attributes: options.attributes,
      links: options.links,
      startTime: options.startTime,
      parent: options.root ? null : parentFromApiContext(context),
    });
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    context: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...rest: unknown[]): ReturnType<F> {
    const fn = rest.pop() as F;
    const [options, context] = rest as [SpanOptions | undefined, Context | undefined];
    const span = this.startSpan(name, options, context) as ModaSpan;
    return withActiveSpan(span, () => fn(span)) as ReturnType<F>;
  }
}

/** A Tracer for OpenTelemetry-instrumented code (the Vercel AI SDK's `experimental_telemetry.tracer`, …). */
export function modaTracer(): Tracer {
  return new ModaTracer();
}
