import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { type ModaOptions, resolveConfig } from "../../src/config/options";
import { exportSpans } from "../../src/export/exporter";
import type { RetryTuning } from "../../src/export/retrying-transport";
import { withModa } from "../../src/index";
import { recordingContext, type TestWorker } from "../support/execution-context";
import { fixtureSpan } from "../support/otlp-span-fixture";
import { closedUrl, newSink } from "../support/receiver-client";

const TUNING: Partial<RetryTuning> = { baseDelayMs: 20, maxDelayMs: 50, attemptTimeoutMs: 200, pollMs: 10 };
const API_KEY = "moda-key-6c1f09d2a7";
const HEADER_SECRET = "hdr-secret-53be77";

let warn: MockInstance<typeof console.warn>;

function exportTo(baseUrl: string, deadlineInMs = 1_000, options: ModaOptions = {}) {
  const config = resolveConfig({ apiKey: API_KEY, baseUrl, ...options });
  return exportSpans([fixtureSpan()], config, Date.now() + deadlineInMs, TUNING);
}

/** What was warned, one string a line. */
function warnings(): string[] {
  return warn.mock.calls.map((call) => call.map(String).join(" "));
}

beforeEach(() => {
  warn = vi.spyOn(console, "warn").mockImplementation(() => {});
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("data loss is never silent: the first loss of each kind warns once, without debug", () => {
  it("an ingest nobody listens on: unreachable, with the URL and outbound-HTTPS hints", async () => {
    const url = await closedUrl();
    expect(await exportTo(url)).toMatchObject({ ok: false, dropped: 1 });
    expect(await exportTo(url)).toMatchObject({ ok: false, dropped: 1 });
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatch(
      /^\[moda-edge\] lost 1 span\(s\): could not connect to http:\/\/127\.0\.0\.1:4\/v1\/traces/,
    );
    expect(warnings()[0]).toContain("Check the endpoint URL (MODA_BASE_URL;");
    expect(warnings()[0]).toContain("that outbound HTTPS is allowed");
  });

  it("an ingest that never answers: timed out", async () => {
    const sink = newSink();
    await sink.script(Array.from({ length: 10 }, () => ({ hang: true })));
    expect(await exportTo(sink.url)).toMatchObject({ ok: false, dropped: 1 });
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatch(/lost 1 span\(s\): .* did not answer in time \(no answer within \d+ ms/);
  });

  it("https:// to a plain-HTTP server: the TLS hint", async () => {
    const sink = newSink();
    expect(await exportTo(sink.url.replace(/^http:/, "https:"))).toMatchObject({ ok: false, dropped: 1 });
    expect(warnings()).toHaveLength(1);
    // Node and edge-runtime name the TLS failure; workerd calls it an internal error, and the hint still says it.
    expect(warnings()[0]).toContain("An https:// URL needs a server that speaks HTTPS");
  });

  it("an ingest answering 503 until the deadline: retries exhausted", async () => {
    const sink = newSink();
    await sink.script(Array.from({ length: 100 }, () => ({ status: 503 })));
    expect(await exportTo(sink.url)).toMatchObject({ ok: false, dropped: 1, status: 503 });
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatch(/lost 1 span\(s\): .* kept answering HTTP 503 until the export's deadline/);
  });

  it.each([
    [401, "Check the API key (MODA_API_KEY)."],
    [403, "Check the API key (MODA_API_KEY)."],
    [404, "Check the endpoint URL (MODA_BASE_URL;"],
  ])("a final HTTP %i: rejected, with its hint", async (status, hint) => {
    const sink = newSink();
    await sink.script([{ status, body: "no such thing" }]);
    expect(await exportTo(sink.url)).toMatchObject({ ok: false, dropped: 1, status });
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain(`answered HTTP ${status}: no such thing. Not retried.`);
    expect(warnings()[0]).toContain(hint);
  });
});

describe("no secret in any log line", () => {
  const logged: string[] = [];

  beforeEach(() => {
    logged.length = 0;
    for (const method of ["warn", "error", "debug", "log", "info"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map((arg) => (typeof arg === "string" ? arg : JSON.stringify(arg))).join(" "));
      });
    }
  });

  async function requestThrough(env: Record<string, string>): Promise<void> {
    const worker = withModa<TestWorker>({ fetch: () => new Response("ok") });
    const ctx = recordingContext();
    await (
      await worker.fetch(new Request("https://app.example/"), { ...env, MODA_EXPORT_ALL_REQUESTS: "true" }, ctx)
    ).text();
    await ctx.settled();
  }

  it("with debug on, an ingest echoing the key and a MODA_HEADERS secret back in its refusal", async () => {
    const sink = newSink();
    await sink.script([{ status: 401, body: `bad key ${API_KEY}, bad token Bearer ${HEADER_SECRET}` }]);
    await requestThrough({
      MODA_API_KEY: API_KEY,
      MODA_BASE_URL: sink.url,
      MODA_HEADERS: `x-api-token=Bearer%20${HEADER_SECRET}`,
      MODA_DEBUG: "true",
    });
    expect((await sink.requests())[0]?.headers["x-api-token"]).toBe(`Bearer ${HEADER_SECRET}`);
    const text = logged.join("\n");
    expect(text).toContain("answered HTTP 401: bad key [api key], bad token [header value]");
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(HEADER_SECRET);
  });

  it("a MODA_HEADERS written `Authorization: Bearer …`: a config error that does not quote it", async () => {
    const sink = newSink();
    await requestThrough({
      MODA_API_KEY: API_KEY,
      MODA_BASE_URL: sink.url,
      MODA_HEADERS: `Authorization: Bearer ${HEADER_SECRET}`,
      MODA_DEBUG: "true",
    });
    const text = logged.join("\n");
    expect(text).toContain("invalid option `headers`");
    expect(text).toContain('entry 1 of MODA_HEADERS ("Authorization…") is not name=value');
    expect(text).not.toContain(HEADER_SECRET);
    expect(await sink.requests()).toEqual([]);
  });

  it("a debug line says the spans of a refused export were dropped, not exported", async () => {
    const sink = newSink();
    await sink.script([{ status: 400, body: "unreadable" }]);
    await requestThrough({ MODA_API_KEY: API_KEY, MODA_BASE_URL: sink.url, MODA_DEBUG: "true" });
    const text = logged.join("\n");
    expect(text).toMatch(/exported 0 of 1 span\(s\), dropped 1 after 1 attempt\(s\): unreadable/);
    expect(text).not.toMatch(/exported 1 span/);
  });
});
