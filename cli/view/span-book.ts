/**
 * The spans received so far, by trace, the latest traces kept (a dev server runs for hours): the server's store,
 * which a page that opens or reconnects is sent first, and the page's own copy. A span sent again (a retried
 * export, a reconnect's snapshot) replaces itself.
 */
import type { DecodedSpan } from "../otlp/decoded-span";
import { newestFirst, summariseTrace, type TraceSummary } from "./trace-summary";

export const MAX_TRACES = 500;

export class SpanBook {
  /** In the order each trace's first span arrived; a trace's spans by span id. */
  private readonly traces = new Map<string, Map<string, DecodedSpan>>();
  /** Each trace's summary, made again only when the trace changes. */
  private readonly summaryCache = new Map<string, TraceSummary>();

  constructor(private readonly maxTraces = MAX_TRACES) {}

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
    for (const traceId of this.traces.keys()) {
      if (this.traces.size <= this.maxTraces) break;
      this.traces.delete(traceId);
      this.summaryCache.delete(traceId);
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

  all(): DecodedSpan[] {
    return [...this.traces.values()].flatMap((trace) => [...trace.values()]);
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
