import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type ModaOptions, type ResolvedConfig, resolveConfig } from "../../src/config/options";
import { exportSpans } from "../../src/export/exporter";
import { GZIP_MIN_BYTES } from "../../src/export/gzip";
import type { ExportableSpan } from "../../src/export/otlp/exportable-span";
import type { RetryTuning } from "../../src/export/retrying-transport";
import { fixtureSpan, hrTimeToNanoString } from "../support/otlp-span-fixture";
import { closedUrl, type DecodedSpan, newSink, type Sink } from "../support/receiver-client";

const API_KEY = "moda-test-key-7f3a9c";
const FAST: Partial<RetryTuning> = {
  baseDelayMs: 100,
  maxDelayMs: 200,
  attemptTimeoutMs: 2_000,
  pollMs: 20,
};
const PROTOCOLS = ["http/protobuf", "http/json"] as const;

function configFor(sink: Sink | string, options: ModaOptions = {}): ResolvedConfig {
  const baseUrl = typeof sink === "string" ? sink : sink.url;
  return resolveConfig({ apiKey: API_KEY, baseUrl, ...options });
}

/** A SERVER root and a CLIENT child carrying every attribute type, an event, an error status and a tracestate. */
function requestTrace(): ExportableSpan[] {
  const root = fixtureSpan({
    name: "POST /chat",
    kind: SpanKind.SERVER,
    traceState: "moda=1,vendor=abc",
  });
  const child = fixtureSpan({
    name: "chat gpt-4o",
    kind: SpanKind.CLIENT,
    traceId: root.spanContext().traceId,
    parentSpanId: root.spanContext().spanId,
    startTime: [1_700_000_000, 500_000_001],
    endTime: [1_700_000_002, 7],
    attributes: {
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.usage.input_tokens": 1234,
      "gen_ai.request.temperature": 0.25,
      "gen_ai.request.stream": true,
      "gen_ai.response.finish_reasons": ["stop", "length"],
    },
    status: { code: SpanStatusCode.ERROR, message: "rate limited" },
    events: [
      {
        name: "gen_ai.first_chunk",
        time: [1_700_000_001, 42],
        attributes: { index: 3 },
      },
    ],
  });
  return [root, child];
}

/** A span whose body is well over the size from which exports are gzipped. */
/** A span whose body passes GZIP_MIN_BYTES. */
function bulkySpan(): ExportableSpan {
  return fixtureSpan({ attributes: { "gen_ai.input.messages": "hello ".repeat(GZIP_MIN_BYTES / 5) } });
}

function expectDecodedAsSent(decoded: DecodedSpan[], sent: ExportableSpan[]): void {
  expect(decoded).toHaveLength(sent.length);
  for (const span of sent) {
    const { traceId, spanId } = span.spanContext();
    const match = decoded.find((d) => d.spanId === spanId);
    expect(match, `span ${span.name}`).toMatchObject({
      traceId,
      parentSpanId: span.parentSpanContext?.spanId ?? "",
      traceState: span.spanContext().traceState?.serialize() ?? "",
      name: span.name,
      kind: SpanKind[span.kind],
      startTimeUnixNano: hrTimeToNanoString(span.startTime),
      endTimeUnixNano: hrTimeToNanoString(span.endTime),
      attributes: span.attributes,
      status: {
        code: SpanStatusCode[span.status.code],
        message: span.status.message ?? "",
      },
      resource: { "service.name": "fixture-service" },
      scope: { name: "moda-edge", version: "0.0.0-test" },
    });
    expect(match?.events).toEqual(
      span.events.map((e) => ({
        name: e.name,
        timeUnixNano: hrTimeToNanoString(e.time),
        attributes: e.attributes ?? {},
      })),
    );
  }
}

beforeEach(() => {
  // Every loss warns once; the tests that are about those warnings read this spy.
  vi.spyOn(console, "warn").mockImplementation(() => {});
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("exportSpans: encoding", () => {
  it.each(PROTOCOLS)("sends %s that an independent decoder reads back intact", async (protocol) => {
    const sink = newSink();
    const spans = requestTrace();
    const outcome = await exportSpans(spans, configFor(sink, { protocol }), undefined, FAST);
    expect(outcome).toEqual({ ok: true, attempts: 1, dropped: 0, status: 200 });
    const [request] = await sink.requests();
    expect(request?.contentType).toBe(protocol === "http/json" ? "application/json" : "application/x-protobuf");
    expectDecodedAsSent(await sink.spans(), spans);
  });

  it("sends protobuf when no protocol is configured", async () => {
    const sink = newSink();
    await exportSpans([fixtureSpan()], configFor(sink), undefined, FAST);
    expect((await sink.requests()).map((r) => r.contentType)).toEqual(["application/x-protobuf"]);
  });

  it("gzips by default and the body is really smaller", async () => {
    const gzipSink = newSink();
    const plainSink = newSink();
    await exportSpans([bulkySpan()], configFor(gzipSink), undefined, FAST);
    await exportSpans([bulkySpan()], configFor(plainSink, { compression: "none" }), undefined, FAST);
    const [gzipped] = await gzipSink.requests();
    const [plain] = await plainSink.requests();
    expect(gzipped).toMatchObject({
      contentEncoding: "gzip",
      answeredStatus: 200,
      spanCount: 1,
    });
    expect(plain).toMatchObject({
      contentEncoding: "",
      answeredStatus: 200,
      spanCount: 1,
    });
    expect(gzipped?.bytes).toBeLessThan((plain?.bytes ?? 0) / 10);
    expect((await gzipSink.spans())[0]?.attributes["gen_ai.input.messages"]).toBe("hello ".repeat(GZIP_MIN_BYTES / 5));
  });

  it("sends a body under GZIP_MIN_BYTES plain, gzip or not: gzip would cost more CPU than sending it", async () => {
    const sink = newSink();
    const spanOf = (characters: number) => fixtureSpan({ attributes: { note: "a".repeat(characters) } });
    const sizes = [0, GZIP_MIN_BYTES - 200, GZIP_MIN_BYTES];
    for (const characters of sizes) await exportSpans([spanOf(characters)], configFor(sink), undefined, FAST);
    const requests = await sink.requests();
    expect(requests.map((request) => request.contentEncoding)).toEqual(["", "", "gzip"]);
    // The plain one closest to the limit is just under it, and the gzipped one is well under its plain size.
    expect(requests[1]?.bytes).toBeGreaterThan(GZIP_MIN_BYTES - 200);
    expect(requests[1]?.bytes).toBeLessThan(GZIP_MIN_BYTES);
    expect(requests[2]?.bytes).toBeLessThan(GZIP_MIN_BYTES / 100);
    expect((await sink.spans()).map((span) => String(span.attributes.note).length)).toEqual(sizes);
  });

  it("sends the API key as a bearer token and the user's headers, which cannot change the body's type", async () => {
    const sink = newSink();
    const headers = {
      "x-tenant": "acme",
      "Content-Type": "text/plain",
      "content-encoding": "br",
    };
    const outcome = await exportSpans([bulkySpan()], configFor(sink, { headers }), undefined, FAST);
    expect(outcome.ok).toBe(true);
    const [request] = await sink.requests();
    expect(request?.headers).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      "x-tenant": "acme",
      "content-type": "application/x-protobuf",
      "content-encoding": "gzip",
    });
  });

  it("sends nothing for no spans", async () => {
    const sink = newSink();
    expect(await exportSpans([], configFor(sink), undefined, FAST)).toEqual({
      ok: true,
      attempts: 0,
      dropped: 0,
    });
    expect(await sink.requests()).toEqual([]);
  });
});

describe("exportSpans: retries", () => {
  it.each([503, 502, 504, 429])("retries after HTTP %i and delivers once", async (status) => {
    const sink = newSink();
    await sink.script([{ status }]);
    const outcome = await exportSpans([fixtureSpan()], configFor(sink), undefined, FAST);
    expect(outcome).toEqual({ ok: true, attempts: 2, dropped: 0, status: 200 });
    expect((await sink.requests()).map((r) => r.answeredStatus)).toEqual([status, 200]);
    expect(await sink.spans()).toHaveLength(1);
  });

  it("waits the Retry-After seconds before the next attempt", async () => {
    const sink = newSink();
    await sink.script([{ status: 429, retryAfter: "1" }]);
    const outcome = await exportSpans([fixtureSpan()], configFor(sink), undefined, FAST);
    expect(outcome).toMatchObject({ ok: true, attempts: 2 });
    const [first, second] = await sink.requests();
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
  });

  it("waits until a Retry-After HTTP date before the next attempt", async () => {
    const sink = newSink();
    const retryAt = Math.ceil(Date.now() / 1_000) * 1_000 + 1_000;
    await sink.script([{ status: 503, retryAfter: new Date(retryAt).toUTCString() }]);
    const outcome = await exportSpans([fixtureSpan()], configFor(sink), undefined, FAST);
    expect(outcome).toMatchObject({ ok: true, attempts: 2 });
    const [, second] = await sink.requests();
    expect(second?.at).toBeGreaterThanOrEqual(retryAt);
  });

  it("retries after the connection drops without an answer", async () => {
    const sink = newSink();
    await sink.script([{ reset: true }]);
    const outcome = await exportSpans([fixtureSpan()], configFor(sink), undefined, FAST);
    expect(outcome).toEqual({ ok: true, attempts: 2, dropped: 0, status: 200 });
    expect(await sink.spans()).toHaveLength(1);
  });

  it("retries a refused connection until the deadline, then reports", async () => {
    const deadline = Date.now() + 1_000;
    const outcome = await exportSpans([fixtureSpan()], configFor(await closedUrl()), deadline, FAST);
    expect(outcome.ok).toBe(false);
    expect(outcome.attempts).toBeGreaterThanOrEqual(2);
    expect(outcome.status).toBeUndefined();
    expect(outcome.error).toBeTruthy();
  });

  it("aborts an attempt that gets no answer and tries again", async () => {
    const sink = newSink();
    await sink.script([{ hang: true }]);
    const outcome = await exportSpans([fixtureSpan()], configFor(sink), undefined, { ...FAST, attemptTimeoutMs: 300 });
    expect(outcome).toEqual({ ok: true, attempts: 2, dropped: 0, status: 200 });
    expect((await sink.requests()).map((r) => r.answeredStatus)).toEqual([null, 200]);
    expect(await sink.spans()).toHaveLength(1);
  });
});

describe("exportSpans: answers that are final", () => {
  it.each([400, 404, 413, 500])("does not retry HTTP %i and warns naming the status and the body", async (status) => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const sink = newSink();
    await sink.script([{ status, body: `refused with reason ${status}` }]);
    const outcome = await exportSpans([fixtureSpan()], configFor(sink), undefined, FAST);
    expect(outcome).toMatchObject({ ok: false, attempts: 1, status });
    expect(await sink.requests()).toHaveLength(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(new RegExp(`moda-edge.*${status}.*refused with reason ${status}`));
  });

  it("does not retry HTTP 401, warns once per status and never prints the API key", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const sink = newSink();
    await sink.script([
      { status: 401, body: `invalid key ${API_KEY}` },
      { status: 401, body: "again" },
    ]);
    const first = await exportSpans([fixtureSpan()], configFor(sink), undefined, FAST);
    const second = await exportSpans([fixtureSpan()], configFor(sink), undefined, FAST);
    expect([first, second]).toMatchObject([
      { ok: false, attempts: 1, status: 401 },
      { ok: false, attempts: 1, status: 401 },
    ]);
    expect(await sink.requests()).toHaveLength(2);
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0]?.[0]);
    expect(message).toContain("401");
    expect(message).toContain("invalid key");
    expect(message).not.toContain(API_KEY);
  });

  it.each(PROTOCOLS)("does not retry a %s partial success, and warns once and under debug", async (protocol) => {
    const debugLog = vi.spyOn(console, "debug").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const sink = newSink();
    await sink.script([
      {
        status: 200,
        partialSuccess: { rejectedSpans: 2, errorMessage: "span too large" },
      },
    ]);
    const config = configFor(sink, { protocol, debug: true });
    const outcome = await exportSpans([fixtureSpan(), fixtureSpan()], config, undefined, FAST);
    expect(outcome).toEqual({
      ok: true,
      attempts: 1,
      dropped: 0,
      status: 200,
      rejectedSpans: 2,
      error: "span too large",
    });
    expect(await sink.requests()).toHaveLength(1);
    expect(warn.mock.calls.flat().join(" ")).toMatch(/lost 2 span\(s\): .* rejected them: span too large/);
    expect(debugLog.mock.calls.flat().join(" ")).toMatch(/dropped 2 span\(s\) \(partially-rejected.*span too large/);
  });

  it("warns about a partial success without debug, and writes no debug line", async () => {
    const debugLog = vi.spyOn(console, "debug").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const sink = newSink();
    await sink.script([{ status: 200, partialSuccess: { rejectedSpans: 1 } }]);
    const outcome = await exportSpans([fixtureSpan()], configFor(sink), undefined, FAST);
    expect(outcome).toMatchObject({ ok: true, rejectedSpans: 1 });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(debugLog).not.toHaveBeenCalled();
  });
});

describe("exportSpans: deadline", () => {
  it("gives up at the deadline while the endpoint keeps answering 503", async () => {
    const sink = newSink();
    await sink.script(Array.from({ length: 200 }, () => ({ status: 503 })));
    const deadline = Date.now() + 800;
    const outcome = await exportSpans([fixtureSpan()], configFor(sink), deadline, { baseDelayMs: 50, maxDelayMs: 200 });
    const settledAt = Date.now();
    expect(outcome).toMatchObject({ ok: false, status: 503 });
    expect(outcome.attempts).toBeGreaterThanOrEqual(2);
    expect(outcome.attempts).toBe((await sink.requests()).length);
    expect(settledAt).toBeLessThan(deadline + 1_000);
    expect(await sink.spans()).toEqual([]);
  });

  it("aborts an attempt in flight at the deadline, long before the attempt's own timeout", async () => {
    const sink = newSink();
    await sink.script([{ hang: true }]);
    const deadline = Date.now() + 500;
    const outcome = await exportSpans([fixtureSpan()], configFor(sink), deadline, { attemptTimeoutMs: 15_000 });
    expect(outcome).toMatchObject({ ok: false, attempts: 1 });
    expect(Date.now()).toBeLessThan(deadline + 5_000);
  });

  it("uses exportTimeoutMs as the deadline when none is given", async () => {
    const sink = newSink();
    await sink.script([{ hang: true }]);
    const startedAt = Date.now();
    const outcome = await exportSpans([fixtureSpan()], configFor(sink, { exportTimeoutMs: 500 }), undefined, {
      attemptTimeoutMs: 15_000,
    });
    expect(outcome).toMatchObject({ ok: false, attempts: 1 });
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });

  it("does not wait for a Retry-After that points past the deadline", async () => {
    const sink = newSink();
    await sink.script([{ status: 503, retryAfter: "30" }]);
    const deadline = Date.now() + 5_000;
    const outcome = await exportSpans([fixtureSpan()], configFor(sink), deadline, FAST);
    expect(outcome).toMatchObject({ ok: false, attempts: 1, status: 503 });
    expect(Date.now()).toBeLessThan(deadline);
  });
});

describe("exportSpans: never rejects", () => {
  const garbage: [string, () => Promise<unknown>][] = [
    ["a null config", () => exportSpans([fixtureSpan()], null as unknown as ResolvedConfig)],
    ["an empty config", () => exportSpans([fixtureSpan()], {} as ResolvedConfig)],
    [
      "a base URL that is no URL",
      () =>
        exportSpans([fixtureSpan()], {
          ...configFor("http://x.invalid"),
          baseUrl: "::nope",
        }),
    ],
    [
      "spans that are not spans",
      () => exportSpans([{}] as unknown as ExportableSpan[], configFor("http://127.0.0.1:9")),
    ],
    [
      "a NaN deadline and timeout",
      () => exportSpans([fixtureSpan()], { ...configFor(newSink()), exportTimeoutMs: Number.NaN }, Number.NaN),
    ],
  ];

  it.each(garbage)("resolves with an outcome for %s", async (_name, run) => {
    const outcome = await run();
    expect(outcome).toMatchObject({
      ok: expect.any(Boolean),
      attempts: expect.any(Number),
    });
  });

  it("fails without quoting an API key that cannot be a header value", async () => {
    const key = "secret-key\nwith-newline";
    const outcome = await exportSpans([fixtureSpan()], {
      ...configFor("http://x.invalid"),
      apiKey: key,
    });
    expect(outcome).toMatchObject({ ok: false, attempts: 0 });
    expect(outcome.error).not.toContain("secret-key");
  });
});
