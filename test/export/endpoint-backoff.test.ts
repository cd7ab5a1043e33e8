import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { resolveConfig } from "../../src/config/options";
import { MAX_FAILING_ENDPOINTS } from "../../src/export/endpoint-backoff";
import { type ExportOutcome, exportSpans } from "../../src/export/exporter";
import { lostSpans } from "../../src/export/loss-report";
import type { RetryTuning } from "../../src/export/retrying-transport";
import { fixtureSpan } from "../support/otlp-span-fixture";
import { newSink, type ScriptedAnswer, type Sink } from "../support/receiver-client";

/** Concurrent exports, as from a Worker serving that many requests while the ingest is down. */
const EXPORTS = 30;
const TUNING: Partial<RetryTuning> = { baseDelayMs: 100, maxDelayMs: 200, attemptTimeoutMs: 2_000, pollMs: 20 };
/** An ingest that drops every connection (more answers than the tests can use up). */
const DOWN: ScriptedAnswer[] = Array.from({ length: 1_000 }, () => ({ reset: true }));
/** Asks every client to stay away for longer than any test's deadline. */
const STAY_AWAY: ScriptedAnswer = { status: 503, retryAfter: "30" };

function exportOne(
  sink: Sink,
  deadlineInMs: number,
  spans = [fixtureSpan()],
  options: { apiKey?: string; tuning?: Partial<RetryTuning> } = {},
): Promise<ExportOutcome> {
  const config = resolveConfig({ apiKey: options.apiKey ?? "moda-test-key", baseUrl: sink.url });
  return exportSpans(spans, config, Date.now() + deadlineInMs, { ...TUNING, ...options.tuning });
}

function exportMany(sink: Sink, deadlineInMs: number): Promise<ExportOutcome[]> {
  return Promise.all(Array.from({ length: EXPORTS }, () => exportOne(sink, deadlineInMs)));
}

/** One export that finds the endpoint failing and gives up: from then on the endpoint is known to fail. */
async function trip(sink: Sink, options: { apiKey?: string } = {}): Promise<ExportOutcome> {
  const outcome = await exportOne(sink, 300, undefined, options);
  expect(outcome.ok).toBe(false);
  return outcome;
}

const spanIds = (spans: { spanId: string }[]) => spans.map((span) => span.spanId).sort();

beforeEach(() => {
  vi.spyOn(console, "warn").mockImplementation(() => {});
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("exportSpans: one backoff per endpoint and key", () => {
  it("K exports to an ingest that is down each try once, and retry one probe at a time: fewer retries than K", async () => {
    const sink = newSink();
    await sink.script(DOWN);
    const first = await trip(sink);
    const outcomes = await exportMany(sink, 1_000);
    for (const outcome of outcomes) expect(outcome).toMatchObject({ ok: false, dropped: 1, error: expect.any(String) });
    const attempts = outcomes.reduce((sum, outcome) => sum + outcome.attempts, 0);
    // An attempt cut short by its deadline may never reach the ingest, so the ingest can count fewer.
    expect((await sink.requests()).length - first.attempts).toBeLessThanOrEqual(attempts);
    for (const outcome of outcomes) expect(outcome.attempts).toBeGreaterThanOrEqual(1);
    expect(attempts - EXPORTS).toBeLessThan(EXPORTS);
  });

  it("when the ingest is back, every export that waited delivers its own spans", async () => {
    const sink = newSink();
    await sink.script(DOWN);
    const first = await trip(sink);
    const spans = Array.from({ length: EXPORTS }, () => fixtureSpan());
    const exporting = Promise.all(spans.map((span) => exportOne(sink, 10_000, [span])));
    await sink.waitForRequests(first.attempts + EXPORTS + 3);
    await sink.clearScript();
    const outcomes = await exporting;
    for (const outcome of outcomes) expect(outcome).toMatchObject({ ok: true, dropped: 0, status: 200 });
    expect(spanIds(await sink.spans())).toEqual(spans.map((span) => span.spanContext().spanId).sort());
  });

  it("an ingest answering 503 to its first 30 exports while 100 more export at once: every one of those arrives", async () => {
    const sink = newSink();
    await sink.script(Array.from({ length: 30 }, () => ({ status: 503 })));
    // The ratio of the defaults: the longest backoff step is a fifth of the export's deadline.
    const tuning = { baseDelayMs: 80, maxDelayMs: 1_600 };
    // The first export finds the ingest failing and gives up: the isolate knows it is failing.
    expect(await exportOne(sink, 100, undefined, { tuning })).toMatchObject({ ok: false, status: 503 });
    const spans = Array.from({ length: 100 }, () => fixtureSpan());
    const outcomes = await Promise.all(spans.map((span) => exportOne(sink, 8_000, [span], { tuning })));
    for (const outcome of outcomes) expect(outcome).toMatchObject({ ok: true, dropped: 0 });
    expect(spanIds(await sink.spans())).toEqual(spans.map((span) => span.spanContext().spanId).sort());
    expect((await sink.requests()).filter((request) => request.answeredStatus === 503)).toHaveLength(30);
  });

  it("holds every export to the endpoint to its Retry-After, first attempts too", async () => {
    const sink = newSink();
    await sink.script([STAY_AWAY]);
    expect(await trip(sink)).toMatchObject({ attempts: 1, status: 503 });
    const outcomes = await exportMany(sink, 2_000);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ ok: false, attempts: 0, dropped: 1 });
      expect(outcome.error).toMatch(
        /^the endpoint asked to wait \(Retry-After\), and its next try in \d+ ms would pass the export deadline$/,
      );
    }
    expect(await sink.requests()).toHaveLength(1);
  });

  it("honours Retry-After up to its cap; then one export probes, and on its success every waiting one goes", async () => {
    const sink = newSink();
    await sink.script([{ status: 429, retryAfter: "3600" }]);
    const tuning = { maxRetryAfterMs: 300 };
    expect(await exportOne(sink, 100, undefined, { tuning })).toMatchObject({ ok: false, status: 429 });
    const spans = Array.from({ length: EXPORTS }, () => fixtureSpan());
    const outcomes = await Promise.all(spans.map((span) => exportOne(sink, 5_000, [span], { tuning })));
    for (const outcome of outcomes) expect(outcome).toMatchObject({ ok: true, attempts: 1 });
    expect(spanIds(await sink.spans())).toEqual(spans.map((span) => span.spanContext().spanId).sort());
    const [asked, probe, ...rest] = await sink.requests();
    expect(asked?.answeredStatus).toBe(429);
    // The probe went alone: every other export was sent after its answer.
    expect(rest.every((request) => request.at >= (probe?.at ?? Number.POSITIVE_INFINITY))).toBe(true);
    expect(rest).toHaveLength(EXPORTS - 1);
  });

  it("counts the spans given up because of the backoff, and warns once without debug", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const sink = newSink();
    await sink.script([STAY_AWAY]);
    await trip(sink);
    const before = lostSpans("backoff");
    const outcomes = await Promise.all(
      [1, 2, 3].map((n) => exportOne(sink, 1_000, [fixtureSpan(), fixtureSpan()].slice(0, n))),
    );
    expect(outcomes.map((outcome) => outcome.dropped)).toEqual([1, 2, 2]);
    expect(lostSpans("backoff") - before).toBe(5);
    const warnings = warn.mock.calls.map((call) => String(call[0])).filter((line) => line.includes("the backoff for"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^\[moda-edge\] lost \d+ span\(s\): the backoff for .* held them past the export's deadline/,
    );
  });

  it("keeps keys apart: a key the endpoint asked to wait does not hold back another key's exports", async () => {
    const sink = newSink();
    await sink.script([STAY_AWAY]);
    await trip(sink, { apiKey: "throttled-key" });
    const [throttled, other] = await Promise.all([
      exportOne(sink, 2_000, undefined, { apiKey: "throttled-key" }),
      exportOne(sink, 2_000, undefined, { apiKey: "another-key" }),
    ]);
    expect(throttled).toMatchObject({ ok: false, attempts: 0 });
    expect(other).toEqual({ ok: true, attempts: 1, dropped: 0, status: 200 });
  });

  it("keeps endpoints apart: a failing URL does not hold back exports to another", async () => {
    const failing = newSink();
    const healthy = newSink();
    await failing.script([STAY_AWAY]);
    await trip(failing);
    const [toFailing, toHealthy] = await Promise.all([exportOne(failing, 2_000), exportOne(healthy, 2_000)]);
    expect(toFailing).toMatchObject({ ok: false, attempts: 0 });
    expect(toHealthy).toEqual({ ok: true, attempts: 1, dropped: 0, status: 200 });
    expect(await healthy.spans()).toHaveLength(1);
  });

  it("is not tripped by a final answer such as 400, only by a retryable one", async () => {
    const sink = newSink();
    await sink.script([{ status: 400 }, STAY_AWAY]);
    const afterBadRequest = await exportOne(sink, 2_000);
    const afterOverload = await exportOne(sink, 2_000);
    const heldBack = await exportOne(sink, 2_000);
    expect([afterBadRequest, afterOverload, heldBack]).toMatchObject([
      { ok: false, attempts: 1, status: 400 },
      { ok: false, attempts: 1, status: 503 },
      { ok: false, attempts: 0 },
    ]);
    expect((await sink.requests()).map((request) => request.answeredStatus)).toEqual([400, 503]);
  });

  it(`remembers at most ${MAX_FAILING_ENDPOINTS} failing endpoints, forgetting the oldest`, async () => {
    const sinks = Array.from({ length: MAX_FAILING_ENDPOINTS + 1 }, () => newSink());
    for (const sink of sinks) {
      await sink.script([STAY_AWAY]);
      await trip(sink);
    }
    const [oldest, newest] = [sinks[0], sinks[MAX_FAILING_ENDPOINTS]] as [Sink, Sink];
    expect(await exportOne(oldest, 2_000)).toEqual({ ok: true, attempts: 1, dropped: 0, status: 200 });
    expect(await exportOne(newest, 2_000)).toMatchObject({ ok: false, attempts: 0 });
  });
});
