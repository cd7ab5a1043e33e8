/**
 * What moda-edge and the OTLP serializer use of `@opentelemetry/api`, in a few lines: the bundle benchmark
 * substitutes it for the package to measure what the package costs. Reads the provider a host application
 * registered under the api's global symbol, as the api itself does.
 */
const GLOBAL = Symbol.for("opentelemetry.js.api.1");

export const INVALID_SPAN_CONTEXT = { traceId: "0".repeat(32), spanId: "0".repeat(16), traceFlags: 0 };
export const ValueType = { INT: 0, DOUBLE: 1 };
export const diag = { error() {}, warn() {}, info() {}, debug() {}, verbose() {} };

class NonRecordingSpan {
  constructor(spanContext) {
    this._spanContext = spanContext;
  }
  spanContext() {
    return this._spanContext;
  }
  isRecording() {
    return false;
  }
}

export const trace = {
  getTracerProvider: () => globalThis[GLOBAL]?.trace ?? { getTracer: () => undefined },
  wrapSpanContext: (spanContext) => new NonRecordingSpan(spanContext),
};
