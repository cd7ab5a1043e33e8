/**
 * The spans received so far, by trace, the latest traces kept (a dev server runs for hours): what a page that
 * opens later, or reconnects, is sent first.
 */
import type { DecodedSpan } from "../otlp/decoded-span";

export const MAX_TRACES = 500;

export class SpanStore {
  /** In the order each trace's first span arrived; a trace's spans by span id (a resent span replaces itself). */
  private readonly traces = new Map<string, Map<string, DecodedSpan>>();

  constructor(private readonly maxTraces = MAX_TRACES) {}

  add(spans: readonly DecodedSpan[]): void {
    for (const span of spans) {
      let trace = this.traces.get(span.traceId);
      if (!trace) {
        trace = new Map();
        this.traces.set(span.traceId, trace);
      }
      trace.set(span.spanId, span);
    }
    for (const traceId of this.traces.keys()) {
      if (this.traces.size <= this.maxTraces) break;
      this.traces.delete(traceId);
    }
  }

  all(): DecodedSpan[] {
    return [...this.traces.values()].flatMap((trace) => [...trace.values()]);
  }

  clear(): void {
    this.traces.clear();
  }
}
