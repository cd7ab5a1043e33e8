/** Decoded spans as traces: grouped by trace id, each a tree in start order, with its time span. */
import type { DecodedSpan } from "../otlp/decoded-span";

export interface SpanNode {
  span: DecodedSpan;
  depth: number;
  children: SpanNode[];
}

export interface TraceTree {
  traceId: string;
  /** The spans whose parent is not among the trace's spans (a remote parent, or one not received yet). */
  roots: SpanNode[];
  /** Every span, depth first, each after its parent: the order a tree is drawn in. */
  rows: SpanNode[];
  startNs: bigint;
  endNs: bigint;
}

export function durationMs(span: DecodedSpan): number {
  return Number((BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1000n) / 1000;
}

export function byStart(a: DecodedSpan, b: DecodedSpan): number {
  const diff = BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/** Groups spans by trace, traces in the order they started. */
export function groupByTrace(spans: readonly DecodedSpan[]): DecodedSpan[][] {
  const traces = new Map<string, DecodedSpan[]>();
  for (const span of spans) traces.set(span.traceId, [...(traces.get(span.traceId) ?? []), span]);
  const earliest = (trace: DecodedSpan[]) => trace.reduce((min, s) => (byStart(s, min) < 0 ? s : min));
  return [...traces.values()].sort((a, b) => byStart(earliest(a), earliest(b)));
}

/** The spans of one trace as a tree. */
export function traceTree(spans: readonly DecodedSpan[]): TraceTree {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string, DecodedSpan[]>();
  const rootSpans: DecodedSpan[] = [];
  for (const span of spans) {
    if (span.parentSpanId && ids.has(span.parentSpanId) && span.parentSpanId !== span.spanId) {
      children.set(span.parentSpanId, [...(children.get(span.parentSpanId) ?? []), span]);
    } else rootSpans.push(span);
  }
  const rows: SpanNode[] = [];
  const placed = new Set<DecodedSpan>();
  const node = (span: DecodedSpan, depth: number): SpanNode => {
    const made: SpanNode = { span, depth, children: [] };
    placed.add(span);
    rows.push(made);
    const kids = (children.get(span.spanId) ?? []).filter((child) => !placed.has(child)).sort(byStart);
    made.children = kids.map((child) => node(child, depth + 1));
    return made;
  };
  const roots = rootSpans.sort(byStart).map((span) => node(span, 0));
  // Spans whose parents form a loop (a broken exporter) reach no root: shown as roots rather than lost.
  for (const span of [...spans].sort(byStart)) if (!placed.has(span)) roots.push(node(span, 0));
  const times = spans.flatMap((span) => [BigInt(span.startTimeUnixNano), BigInt(span.endTimeUnixNano)]);
  times.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { traceId: spans[0]?.traceId ?? "", roots, rows, startNs: times[0] ?? 0n, endNs: times.at(-1) ?? 0n };
}
