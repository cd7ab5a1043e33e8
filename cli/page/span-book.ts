/** The spans the page has been sent, by trace; a span sent again (a reconnect's snapshot) replaces itself. */
import type { DecodedSpan } from "../otlp/decoded-span";
import { newestFirst, summariseTrace, type TraceSummary } from "../view/trace-summary";

export class SpanBook {
  private readonly traces = new Map<string, Map<string, DecodedSpan>>();
  /** Each trace's summary, made again only when the trace changes. */
  private readonly summaryCache = new Map<string, TraceSummary>();

  /** Adds spans; returns the ids of the traces they changed. */
  add(spans: readonly DecodedSpan[]): Set<string> {
    const changed = new Set<string>();
    for (const span of spans) {
      let trace = this.traces.get(span.traceId);
      if (!trace) {
        trace = new Map();
        this.traces.set(span.traceId, trace);
      }
      trace.set(span.spanId, span);
      changed.add(span.traceId);
      this.summaryCache.delete(span.traceId);
    }
    return changed;
  }

  clear(): void {
    this.traces.clear();
    this.summaryCache.clear();
  }

  has(traceId: string): boolean {
    return this.traces.has(traceId);
  }

  spans(traceId: string): DecodedSpan[] {
    return [...(this.traces.get(traceId)?.values() ?? [])];
  }

  /** Every trace, newest first. */
  summaries(): TraceSummary[] {
    return [...this.traces.entries()].map(([traceId, trace]) => this.summaryOf(traceId, trace)).sort(newestFirst);
  }

  private summaryOf(traceId: string, trace: Map<string, DecodedSpan>): TraceSummary {
    let summary = this.summaryCache.get(traceId);
    if (!summary) {
      summary = summariseTrace([...trace.values()]);
      this.summaryCache.set(traceId, summary);
    }
    return summary;
  }
}
