import { describe, expect, it } from "vitest";
import type { DecodedSpan } from "../otlp/decoded-span";
import { SpanBook } from "../view/span-book";
import { summariseTrace } from "../view/trace-summary";
import { traceTree } from "../view/trace-tree";

function span(spanId: string, parentSpanId: string, start: number, end: number, name = spanId, traceId = "t1") {
  return {
    traceId,
    spanId,
    parentSpanId,
    traceState: "",
    name,
    kind: parentSpanId ? "INTERNAL" : "SERVER",
    startTimeUnixNano: String(BigInt(start) * 1_000_000n),
    endTimeUnixNano: String(BigInt(end) * 1_000_000n),
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    status: { code: "UNSET", message: "" },
    resource: { "service.name": "svc" },
    scope: { name: "moda-edge", version: "0" },
  } satisfies DecodedSpan;
}

describe("traceTree", () => {
  it("draws children under their parent in start order, and spans the whole trace", () => {
    const tree = traceTree([
      span("c2", "r", 30, 40),
      span("r", "", 0, 50),
      span("c1", "r", 10, 60),
      span("g", "c1", 12, 13),
    ]);
    expect(tree.rows.map((row) => [row.span.spanId, row.depth])).toEqual([
      ["r", 0],
      ["c1", 1],
      ["g", 2],
      ["c2", 1],
    ]);
    expect(Number(tree.endNs - tree.startNs) / 1e6).toBe(60);
  });

  it("loses no span: one whose parent was not received, and spans whose parents form a loop, become roots", () => {
    const tree = traceTree([
      span("r", "", 0, 10),
      span("orphan", "missing", 2, 3),
      span("a", "b", 4, 5),
      span("b", "a", 6, 7),
    ]);
    expect(tree.rows.map((row) => row.span.spanId).sort()).toEqual(["a", "b", "orphan", "r"]);
    expect(tree.roots.map((root) => root.span.spanId)).toEqual(["r", "orphan", "a"]);
  });

  it("a trace's summary names it by its root span", () => {
    expect(summariseTrace([span("c", "r", 1, 2), span("r", "", 0, 5, "POST /chat")])).toMatchObject({
      title: "POST /chat",
      service: "svc",
      durationMs: 5,
      spanCount: 2,
      llmCalls: 0,
    });
  });
});

describe("SpanBook", () => {
  it("keeps the latest traces, newest first, and a span sent again replaces itself", () => {
    const book = new SpanBook(2);
    book.add([span("a", "", 0, 1, "first", "t1")]);
    book.add([span("b", "", 5, 6, "second", "t2"), span("b", "", 5, 7, "second, resent", "t2")]);
    expect(book.add([span("c", "", 9, 10, "third", "t3")])).toEqual(new Set(["t3"]));
    expect(book.summaries().map((summary) => summary.title)).toEqual(["third", "second, resent"]);
    expect(book.all()).toHaveLength(2);
  });
});
