import { afterEach, describe, expect, it, vi } from "vitest";
import { resolveConfig } from "../../src/config/options";
import { MAX_FAILING_ENDPOINTS } from "../../src/export/endpoint-backoff";
import { type ExportOutcome, exportSpans, type RetryTuning } from "../../src/export/exporter-fetch";
import { fixtureSpan } from "../support/otlp-span-fixture";
import { newSink, type ScriptedAnswer, type Sink } from "../support/receiver-client";

/** Concurrent exports, as from a Worker serving that many requests while the ingest is down. */
const EXPORTS = 30;
const TUNING: Partial<RetryTuning> = { baseDelayMs: 100, maxDelayMs: 200, attemptTimeoutMs: 2_000 };
/** An ingest that drops every connection (more answers than the tests can use up). */
const DOWN: ScriptedAnswer[] = Array.from({ length: 1_000 }, () => ({ reset: true }));
/** Asks every client to stay away for longer than any test's deadline. */
const STAY_AWAY: ScriptedAnswer = { status: 503, retryAfter: "30" };

function exportOne(sink: Sink, deadlineInMs: number, spans = [fixtureSpan()]): Promise<ExportOutcome> {
  const config = resolveConfig({ apiKey: "moda-test-key", baseUrl: sink.url });
  return exportSpans(spans, config, Date.now() + deadlineInMs, TUNING);
}

function exportMany(sink: Sink, deadlineInMs: number, spans = [fixtureSpan()]): Promise<ExportOutcome[]> {
  return Promise.all(Array.from({ length: EXPORTS }, () => exportOne(sink, deadlineInMs, spans)));
}

/** One export that finds the endpoint failing and gives up: from then on the endpoint is known to fail. */
async function trip(sink: Sink): Promise<ExportOutcome> {
  const outcome = await exportOne(sink, 300);
  expect(outcome.ok).toBe(false);
  return outcome;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("exportSpans: one backoff per endpoint", () => {
  it("K exports to an ingest that is down make fewer connection attempts between them than K", async () => {
    const sink = newSink();
    await sink.script(DOWN);
    const first = await trip(sink);
    const outcomes = await exportMany(sink, 1_000);
    for (const outcome of outcomes) expect(outcome).toMatchObject({ ok: false, error: expect.any(String) });
    const attempts = outcomes.reduce((sum, outcome) => sum + outcome.attempts, 0);
    // An attempt cut short by its deadline may never reach the ingest, so the ingest can count fewer.
    expect((await sink.requests()).length - first.attempts).toBeLessThanOrEqual(attempts);
    expect(attempts).toBeLessThan(EXPORTS);
  });

  it("when the ingest is back, every export that waited delivers its own spans", async () => {
    const sink = newSink();
    await sink.script(DOWN);
    const first = await trip(sink);
    const spans = Array.from({ length: EXPORTS }, () => fixtureSpan());
    const exporting = Promise.all(spans.map((span) => exportOne(sink, 10_000, [span])));
    await sink.waitForRequests(first.attempts + 3);
    await sink.clearScript();
    const outcomes = await exporting;
    for (const outcome of outcomes) expect(outcome).toMatchObject({ ok: true, status: 200 });
    const received = (await sink.spans()).map((span) => span.spanId).sort();
    expect(received).toEqual(spans.map((span) => span.spanContext().spanId).sort());
    const failed = (await sink.requests()).filter((request) => request.answeredStatus === null);
    expect(failed.length - first.attempts).toBeLessThan(EXPORTS / 2);
  });

  it("holds every export to the endpoint to its Retry-After", async () => {
    const sink = newSink();
    await sink.script([STAY_AWAY]);
    expect(await trip(sink)).toMatchObject({ attempts: 1, status: 503 });
    const outcomes = await exportMany(sink, 2_000);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ ok: false, attempts: 0 });
      expect(outcome.error).toMatch(/^the endpoint is failing, and a retry in \d+ ms would pass the deadline$/);
    }
    expect(await sink.requests()).toHaveLength(1);
  });

  it("keeps endpoints apart: a failing URL does not hold back exports to another", async () => {
    const failing = newSink();
    const healthy = newSink();
    await failing.script([STAY_AWAY]);
    await trip(failing);
    const [toFailing, toHealthy] = await Promise.all([exportOne(failing, 2_000), exportOne(healthy, 2_000)]);
    expect(toFailing).toMatchObject({ ok: false, attempts: 0 });
    expect(toHealthy).toEqual({ ok: true, attempts: 1, status: 200 });
    expect(await healthy.spans()).toHaveLength(1);
  });

  it("is not tripped by a final answer such as 400, only by a retryable one", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
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
    expect(await exportOne(oldest, 2_000)).toEqual({ ok: true, attempts: 1, status: 200 });
    expect(await exportOne(newest, 2_000)).toMatchObject({ ok: false, attempts: 0 });
  });
});
