/**
 * `@anthropic-ai/sdk` 0.134 and later make an OpenTelemetry span of their own for every API call
 * (`anthropic.messages.create`, …) once a tracer provider is registered with `@opentelemetry/api`, or given in
 * the client's `openTelemetry.tracerProvider` option. A call through a wrapped client is then described twice.
 *
 * The choice: for the model calls a wrapped client traces, moda-edge's span is the one LLM span, and the SDK's
 * own span of that call is turned off, per call, by handing the SDK the call span it looks for in the request
 * options (`__span`): a span that records nothing, so the SDK records nothing and starts no span of its own.
 * The client's other calls (`models.list`, `countTokens`, files, batches) keep the SDK's spans. A user who wants
 * the SDK's spans for the model calls too leaves that client unwrapped.
 */
import type { Span, SpanContext } from "@opentelemetry/api";
import { INVALID_SPAN_ID, INVALID_TRACE_ID } from "../../core/ids";
import { TraceFlags } from "../../core/otel";
import { isObject } from "../../instrument/parts";

/** Where `@opentelemetry/api` 1.x keeps what the application registers globally; the SDK's copy reads it there. */
const OTEL_API_GLOBAL = Symbol.for("opentelemetry.js.api.1");

interface GlobalTracerProvider {
  getDelegateTracer?: (name: string) => unknown;
}

/** The SDK's own tracing state, as a client of the SDK exposes it. */
interface TracingClient {
  _tracer?: unknown;
  openTelemetry?: { tracerProvider?: unknown };
}

/** Whether the SDK would record a span of its own for a call made on `client` now. */
export function sdkSpansLive(client: object): boolean {
  const { _tracer, openTelemetry } = client as TracingClient;
  // Without a tracer the SDK is older than its tracing, or its tracing is off (`openTelemetry: false`).
  if (!_tracer) return false;
  if (openTelemetry?.tracerProvider) return true;
  // Until the application registers a provider the SDK's tracer is a proxy with nothing behind it, and starts
  // no span. Registering puts the api's proxy provider, delegating to the application's, in the global.
  const global = (globalThis as { [OTEL_API_GLOBAL]?: { trace?: GlobalTracerProvider } })[OTEL_API_GLOBAL]?.trace;
  if (!global) return false;
  return (
    typeof global.getDelegateTracer !== "function" ||
    global.getDelegateTracer("com.anthropic.sdk.typescript") !== undefined
  );
}

/**
 * `args` (params, request options, …) with the request options carrying a call span that records nothing,
 * when the SDK would otherwise record one. A copy: the caller's options object is never changed.
 */
export function withoutSdkSpan(args: readonly unknown[], client: object, spanName: string): readonly unknown[] {
  const [params, options, ...rest] = args;
  if (options !== undefined && (!isObject(options) || typeof options.then === "function")) return args;
  if (options?.__span !== undefined || !sdkSpansLive(client)) return args;
  return [params, { ...options, __span: silentCallSpan(spanName) }, ...rest];
}

/** The shape the SDK keeps a call span in; it mutates it (attempt count, streamed message), so one per call. */
function silentCallSpan(name: string): Record<string, unknown> {
  return { span: new NonRecordingSpan(), name, startTime: Date.now() };
}

/**
 * What the api's `trace.wrapSpanContext(INVALID_SPAN_CONTEXT)` gives: a span that records and propagates nothing.
 * A class, not closures made per call: no named function per call (runtime-tests/node/keep-names.test.ts).
 */
class NonRecordingSpan implements Span {
  spanContext(): SpanContext {
    return { traceId: INVALID_TRACE_ID, spanId: INVALID_SPAN_ID, traceFlags: TraceFlags.NONE };
  }
  setAttribute(): this {
    return this;
  }
  setAttributes(): this {
    return this;
  }
  addEvent(): this {
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(): this {
    return this;
  }
  updateName(): this {
    return this;
  }
  end(): void {}
  isRecording(): boolean {
    return false;
  }
  recordException(): void {}
}
