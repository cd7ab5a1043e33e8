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
import { INVALID_SPAN_CONTEXT, trace } from "@opentelemetry/api";
import { isObject } from "./parts";

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
  // The global provider is a proxy until the application registers one; the SDK's tracer then starts no span.
  const global = trace.getTracerProvider() as { getDelegateTracer?: (name: string) => unknown };
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
  return { span: trace.wrapSpanContext(INVALID_SPAN_CONTEXT), name, startTime: Date.now() };
}
