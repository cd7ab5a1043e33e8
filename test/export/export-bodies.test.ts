import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type ModaOptions, resolveConfig } from "../../src/config/options";
import { splitIntoBodies } from "../../src/export/export-bodies";
import { exportSpans } from "../../src/export/exporter";
import type { ExportableSpan } from "../../src/export/otlp/exportable-span";
import { encodeTraceRequestJson } from "../../src/export/otlp/trace-json";
import { encodeTraceRequestProtobuf } from "../../src/export/otlp/trace-protobuf";
import { fixtureSpan } from "../support/otlp-span-fixture";
import { newSink, type Sink } from "../support/receiver-client";

const MAX_BYTES = 4_096;

/** A span whose encoded size is about `bytes`. */
function spanOf(bytes: number, name = "fixture"): ExportableSpan {
  return fixtureSpan({ name, attributes: { note: "x".repeat(bytes) } });
}

function exportTo(sink: Sink, spans: ExportableSpan[], options: ModaOptions = {}) {
  const config = resolveConfig({ apiKey: "k", baseUrl: sink.url, maxExportBytes: MAX_BYTES, ...options });
  return exportSpans(spans, config, Date.now() + 10_000, { baseDelayMs: 10, maxDelayMs: 50, pollMs: 10 });
}

const names = (spans: { name: string }[]) => spans.map((span) => span.name);

beforeEach(() => {
  vi.spyOn(console, "warn").mockImplementation(() => {});
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("splitIntoBodies", () => {
  it.each([
    ["protobuf", encodeTraceRequestProtobuf],
    ["JSON", encodeTraceRequestJson],
  ])(
    "keeps every %s body under the bound and every span in its order, setting apart the ones too large alone",
    (_, encode) => {
      const sizes = [10, 900, 3_000, 5_000, 40, 1_500, 1_500, 1_500, 9_000, 200, 3_900, 12, 2_000];
      const spans = sizes.map((size, index) => spanOf(size, `span ${index}`));
      const { bodies, oversized } = splitIntoBodies(spans, encode, MAX_BYTES);
      for (const body of bodies) {
        expect(body.bytes.byteLength).toBeLessThanOrEqual(MAX_BYTES);
        expect(body.bytes).toEqual(encode(body.spans));
      }
      const tooLarge = spans.filter((span) => encode([span]).byteLength > MAX_BYTES);
      expect(tooLarge.length).toBeGreaterThanOrEqual(2);
      expect(oversized.map(({ span }) => span)).toEqual(tooLarge);
      const kept = bodies.flatMap((body) => body.spans);
      expect(kept).toEqual(spans.filter((span) => !tooLarge.includes(span)));
      expect(bodies.length).toBeGreaterThan(1);
    },
  );

  it("encodes spans that fit once, into one body", () => {
    const encode = vi.fn(encodeTraceRequestProtobuf);
    const spans = [spanOf(100), spanOf(100)];
    expect(splitIntoBodies(spans, encode, MAX_BYTES).bodies).toHaveLength(1);
    expect(encode).toHaveBeenCalledTimes(1);
  });
});

describe("exports bounded in bytes", () => {
  it.each(["gzip", "none"] as const)(
    "sends a request's spans in as many bodies as it takes (%s)",
    async (compression) => {
      const sink = newSink();
      const spans = Array.from({ length: 12 }, (_, index) => spanOf(1_000, `span ${index}`));
      const outcome = await exportTo(sink, spans, { compression });
      expect(outcome).toMatchObject({ ok: true, dropped: 0 });
      const requests = await sink.requests();
      expect(requests.length).toBeGreaterThanOrEqual(3);
      expect(outcome.attempts).toBe(requests.length);
      if (compression === "none") for (const request of requests) expect(request.bytes).toBeLessThanOrEqual(MAX_BYTES);
      expect(names(await sink.spans()).sort()).toEqual(names(spans).sort());
    },
  );

  it("one span too large even alone is dropped, counted and warned about; the others go", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const sink = newSink();
    const outcome = await exportTo(sink, [spanOf(100, "before"), spanOf(10_000, "huge"), spanOf(100, "after")]);
    expect(outcome).toMatchObject({ ok: false, dropped: 1 });
    expect(names(await sink.spans()).sort()).toEqual(["after", "before"]);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(
      /lost 1 span\(s\): 1 span\(s\) of up to \d+ bytes exceed maxExportBytes \(4096\)/,
    );
  });

  it("a 413 halves the body and sends each half once", async () => {
    const sink = newSink();
    await sink.script([{ status: 413, body: "too big" }]);
    const spans = Array.from({ length: 6 }, (_, index) => spanOf(100, `span ${index}`));
    const outcome = await exportTo(sink, spans);
    expect(outcome).toMatchObject({ ok: true, dropped: 0, attempts: 3 });
    const requests = await sink.requests();
    expect(requests.map((request) => [request.answeredStatus, request.spanCount])).toEqual([
      [413, 6],
      [200, 3],
      [200, 3],
    ]);
    expect(names(await sink.spans()).sort()).toEqual(names(spans).sort());
  });

  it("a half refused again is dropped and counted, not halved again; the other half arrives", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const sink = newSink();
    await sink.script([{ status: 413 }, { status: 413, body: "still too big" }]);
    const spans = Array.from({ length: 6 }, (_, index) => spanOf(100, `span ${index}`));
    const outcome = await exportTo(sink, spans);
    expect(outcome).toMatchObject({ ok: false, dropped: 3, attempts: 3 });
    expect(await sink.requests()).toHaveLength(3);
    expect(await sink.spans()).toHaveLength(3);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/lost 3 span\(s\): .*413, even halved\): still too big/);
  });
});
