import type { Attributes } from "@opentelemetry/api";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resolveConfig } from "../../src/config/options";
import { SpanStatusCode } from "../../src/core/otel";
import { RequestScope } from "../../src/core/request-scope";
import { startSpan } from "../../src/core/tracer";
import { encodeTraceRequestProtobuf } from "../../src/export/otlp/trace-protobuf";
import { exportedSpan } from "../../src/policy/exported-span";
import { policedSpan } from "../support/policed-span";

afterEach(() => {
  vi.restoreAllMocks();
});

const CONTENT: Attributes = {
  "gen_ai.input.messages": '[{"role":"user","parts":[{"type":"text","content":"secret plan"}]}]',
  "gen_ai.tool.definitions": '[{"type":"function","name":"lookup","description":"secret plan","parameters":{}}]',
  "llm.prompts.0.content": "secret plan",
  "traceloop.entity.input": '{"args":["secret plan"]}',
  "ai.prompt.messages": '[{"role":"user","content":"secret plan"}]',
  "ai.response.text": "secret plan",
  "ai.toolCall.args": '{"q":"secret plan"}',
  "gen_ai.prompt.0.content": "secret plan",
  "input.value": "secret plan",
};
const METADATA: Attributes = { "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 12, "app.tier": "gold" };

describe("traceContent: false", () => {
  it("removes content attributes by name, whoever wrote them, and keeps the rest", () => {
    const span = policedSpan({ traceContent: false }, (s) => s.setAttributes({ ...CONTENT, ...METADATA }));
    expect(span.attributes).toStrictEqual({
      ...METADATA,
      "gen_ai.tool.definitions": '[{"type":"function","name":"lookup"}]',
    });
  });

  it("reduces error text to error.type: no status message, no exception message or stack", () => {
    const span = policedSpan({ traceContent: false }, (s) => {
      s.recordException(new RangeError("secret plan"));
      s.addEvent("gen_ai.content.prompt", { "gen_ai.prompt": "secret plan", "app.step": 2 });
      s.setStatus({ code: SpanStatusCode.ERROR, message: "secret plan" });
    });
    expect(span.status).toStrictEqual({ code: SpanStatusCode.ERROR });
    expect(span.attributes["error.type"]).toBe("RangeError");
    expect(span.events.map((event) => event.attributes)).toStrictEqual([
      { "exception.type": "RangeError" },
      { "app.step": 2 },
    ]);
  });

  it("names an error it knows nothing of _OTHER, and keeps an error.type already set", () => {
    const unknown = policedSpan({ traceContent: false }, (s) =>
      s.setStatus({ code: SpanStatusCode.ERROR, message: "x" }),
    );
    expect(unknown.attributes["error.type"]).toBe("_OTHER");
    const known = policedSpan({ traceContent: false }, (s) => {
      s.setAttribute("error.type", "429");
      s.setStatus({ code: SpanStatusCode.ERROR, message: "x" });
    });
    expect(known.attributes["error.type"]).toBe("429");
  });
});

describe("the redact hook", () => {
  it("sees the span's attributes with its status message, each event's and each link's, and has the last word", () => {
    const seen: Attributes[] = [];
    const redact = (attributes: Attributes): Attributes => {
      seen.push(attributes);
      return Object.fromEntries(
        Object.entries(attributes).map(([key, value]) => [
          key,
          typeof value === "string" ? value.replace("plan", "[x]") : value,
        ]),
      );
    };
    const span = policedSpan({ redact }, (s) => {
      s.setAttributes({ "app.note": "the plan" });
      s.recordException(new Error("the plan failed"));
      s.addLink({ context: s.spanContext(), attributes: { "link.note": "the plan" } });
      s.setStatus({ code: SpanStatusCode.ERROR, message: "the plan failed" });
    });
    expect(seen).toHaveLength(3);
    expect(seen[0]).toMatchObject({ "app.note": "the plan", "otel.status_description": "the plan failed" });
    expect(span.attributes["app.note"]).toBe("the [x]");
    expect(span.attributes["otel.status_description"]).toBeUndefined();
    expect(span.status).toStrictEqual({ code: SpanStatusCode.ERROR, message: "the [x] failed" });
    expect(span.events[0]?.attributes?.["exception.message"]).toBe("the [x] failed");
    expect(span.links[0]?.attributes?.["link.note"]).toBe("the [x]");
  });

  it("removes the status message when it leaves out otel.status_description", () => {
    const span = policedSpan({ redact: ({ "otel.status_description": _, ...rest }) => rest }, (s) =>
      s.setStatus({ code: SpanStatusCode.ERROR, message: "secret plan" }),
    );
    expect(span.status).toStrictEqual({ code: SpanStatusCode.ERROR });
  });

  it.each([
    [
      "throws",
      () => {
        throw new Error("secret plan");
      },
    ],
    ["returns an array", () => [] as unknown as Attributes],
    [
      "returns a getter that throws",
      () =>
        Object.defineProperty({}, "x", {
          enumerable: true,
          get: () => {
            throw new Error("no");
          },
        }),
    ],
  ])("that %s costs the span its content, never the span, and warns once", (_, redact) => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const span = policedSpan({ redact: redact as (attributes: Attributes) => Attributes }, (s) => {
      s.setAttributes({ ...CONTENT, ...METADATA });
      s.setStatus({ code: SpanStatusCode.ERROR, message: "secret plan" });
    });
    expect(JSON.stringify(span.attributes)).not.toContain("secret plan");
    expect(span.attributes).toMatchObject(METADATA);
    expect(span.status).toStrictEqual({ code: SpanStatusCode.ERROR });
    expect(warn.mock.calls.flat().join(" ")).not.toContain("secret plan");
  });

  it("drops a value it returns that is not an attribute value, and counts it", () => {
    const span = policedSpan({ redact: (attributes) => ({ ...attributes, bad: { nested: true } as never }) }, (s) =>
      s.setAttribute("good", 1),
    );
    expect(span.attributes).toStrictEqual({ good: 1 });
    expect(span.droppedAttributesCount).toBe(1);
  });
});

describe("credentials", () => {
  it("are scrubbed from every string: values, arrays, names, events, links, status", () => {
    const key = "sk-proj-abcdefghijklmnopqrstuvwxyz";
    const span = policedSpan({}, (s) => {
      s.updateName(`call with ${key}`);
      s.setAttributes({ "url.full": `https://x.example/?key=${key}`, list: ["a", `Bearer ${key}`] });
      s.setAttribute("ai.request.headers.authorization", "anything at all");
      s.addEvent(`event ${key}`, { detail: key });
      s.addLink({ context: s.spanContext(), attributes: { detail: key } });
      s.setStatus({ code: SpanStatusCode.ERROR, message: `Incorrect API key provided: ${key}` });
    });
    const text = JSON.stringify({ ...span, context: undefined });
    expect(text).not.toContain(key.slice(8));
    expect(span.attributes["ai.request.headers.authorization"]).toBe("[REDACTED]");
    expect(span.status.message).toBe("Incorrect API key provided: [REDACTED]");
  });
});

describe("limits on every field", () => {
  const limits = {
    maxAttributeLength: 100,
    maxArrayLength: 3,
    maxNameLength: 20,
    maxEventsPerSpan: 2,
    maxAttributesPerEvent: 2,
    maxLinksPerSpan: 1,
    maxAttributesPerLink: 1,
  };

  it("cuts names, keys, values, arrays, status messages and exception text, and counts each cut", () => {
    const span = policedSpan({ limits: { ...limits, maxAttributesPerEvent: 3 } }, (s) => {
      s.updateName("n".repeat(50));
      s.setAttributes({ text: "t".repeat(500), json: JSON.stringify({ a: "a".repeat(300), b: [1, 2, 3] }) });
      s.setAttribute("list", ["1", "2", "3", "4", "5"]);
      s.setAttribute("k".repeat(21), "dropped: key too long");
      s.recordException(Object.assign(new Error("m".repeat(500)), { stack: "s".repeat(500) }));
      s.setStatus({ code: SpanStatusCode.ERROR, message: "e".repeat(500) });
    });
    expect(span.name.length).toBeLessThanOrEqual(20);
    expect((span.attributes.text as string).length).toBeLessThanOrEqual(100);
    expect((span.attributes.json as string).length).toBeLessThanOrEqual(100);
    expect(JSON.parse(span.attributes.json as string)).toMatchObject({ b: [1, 2, 3] });
    expect(span.attributes.list).toStrictEqual(["1", "2", "3"]);
    expect(Object.keys(span.attributes)).not.toContain("k".repeat(21));
    expect(span.status.message?.length).toBeLessThanOrEqual(100);
    const exception = span.events[0]?.attributes ?? {};
    expect((exception["exception.message"] as string).length).toBeLessThanOrEqual(100);
    expect((exception["exception.stacktrace"] as string).length).toBeLessThanOrEqual(100);
    expect(span.events[0]?.droppedAttributesCount).toBe(2);
    // name, text, json, list, the long key, the status message.
    expect(span.droppedAttributesCount).toBe(6);
  });

  it("keeps at most so many events, links and attributes of each, and counts the rest", () => {
    const span = policedSpan({ limits }, (s) => {
      for (let i = 0; i < 5; i++) s.addEvent(`e${i}`, { a: 1, b: 2, c: 3 });
      s.addLinks([
        { context: s.spanContext(), attributes: { a: 1, b: 2 } },
        { context: s.spanContext(), attributes: { a: 1 } },
      ]);
    });
    expect(span.events.map((event) => event.name)).toStrictEqual(["e0", "e1"]);
    expect(span.droppedEventsCount).toBe(3);
    expect(span.events[0]?.attributes).toStrictEqual({ a: 1, b: 2 });
    expect(span.events[0]?.droppedAttributesCount).toBe(1);
    expect(span.links).toHaveLength(1);
    expect(span.droppedLinksCount).toBe(1);
    expect(span.links[0]?.droppedAttributesCount).toBe(1);
  });

  it("warns once for each limit, without debug", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    for (let i = 0; i < 3; i++)
      policedSpan({ limits: { maxAttributesPerSpan: 1 } }, (s) => s.setAttributes({ a: 1, b: 2 }));
    const lines = warn.mock.calls.map((call) => String(call[0]));
    expect(lines.filter((line) => line.includes("limits.maxAttributesPerSpan"))).toHaveLength(1);
  });
});

describe("limits.maxSpanBytes", () => {
  it("cuts the longest values first, to an equal share, and keeps the span within its encoded size", () => {
    const maxSpanBytes = 64 * 1024;
    const span = policedSpan({ limits: { maxSpanBytes } }, (s) => {
      for (let i = 0; i < 10; i++) s.setAttribute(`big.${i}`, `${i}`.repeat(30_000));
      s.setAttribute("small", "kept whole");
      s.setAttribute("json", JSON.stringify(Array.from({ length: 1000 }, (_, i) => ({ i, text: "x".repeat(40) }))));
    });
    const bytes = encodeTraceRequestProtobuf([span]).byteLength;
    const empty = encodeTraceRequestProtobuf([policedSpan({}, () => {})]).byteLength;
    expect(bytes).toBeLessThanOrEqual(maxSpanBytes + empty);
    expect(bytes).toBeGreaterThan(maxSpanBytes * 0.8);
    expect(span.attributes.small).toBe("kept whole");
    const sizes = Array.from({ length: 10 }, (_, i) => (span.attributes[`big.${i}`] as string).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(2);
    expect(() => JSON.parse(span.attributes.json as string)).not.toThrow();
    expect(span.droppedAttributesCount).toBe(11);
  });

  it("drops the events, then the largest attributes, when even cut values do not fit", () => {
    const span = policedSpan({ limits: { maxSpanBytes: 2000 } }, (s) => {
      for (let i = 0; i < 200; i++) s.setAttribute(`key.number.${i}`, i);
      s.addEvent("e", { a: 1 });
    });
    expect(encodeTraceRequestProtobuf([span]).byteLength).toBeLessThanOrEqual(2000 + 200);
    expect(span.events).toHaveLength(0);
    expect(span.droppedEventsCount).toBe(1);
    expect(Object.keys(span.attributes).length + span.droppedAttributesCount).toBe(200);
  });
});

describe("maxExportBytes", () => {
  it("bounds a span too, so that it always fits in an export body alone", () => {
    const span = policedSpan({ maxExportBytes: 8192 }, (s) => {
      for (let i = 0; i < 4; i++) s.setAttribute(`big.${i}`, "x".repeat(10_000));
    });
    expect(encodeTraceRequestProtobuf([span]).byteLength).toBeLessThanOrEqual(8192);
    expect(span.droppedAttributesCount).toBe(4);
  });
});

describe("limits.maxSpansPerRequest", () => {
  it("counts the spans it dropped on the request span, and warns once", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const scope = new RequestScope(resolveConfig({ apiKey: "k", limits: { maxSpansPerRequest: 3 } }), {
      recording: true,
    });
    const root = startSpan({ name: "GET /", scope });
    scope.root = root;
    for (let i = 0; i < 5; i++) startSpan({ name: `child ${i}`, scope }).end();
    root.end();
    const exported = scope.takeEnded().map(exportedSpan);
    expect(exported).toHaveLength(3);
    expect(exported.find((span) => span.name === "GET /")?.attributes["moda.request.spans_dropped"]).toBe(3);
    expect(warn.mock.calls.filter((call) => String(call[0]).includes("maxSpansPerRequest"))).toHaveLength(1);
  });
});

describe("an ordinary span", () => {
  it("goes through untouched, its attributes not even copied", () => {
    const span = policedSpan({}, (s) => s.setAttributes(METADATA));
    const again = policedSpan({}, (s) => s.setAttributes(METADATA));
    expect(span.attributes).toStrictEqual(METADATA);
    expect(again.droppedAttributesCount).toBe(0);
  });
});
