import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { expect, it } from "vitest";
import { modaTracer, withModa } from "../../src/index";
import type { TestWorker } from "../../test/support/execution-context";
import { newSink } from "../../test/support/receiver-client";

const REQUESTS = 100;

it("keeps 100 concurrent requests in one isolate apart: one trace each, no span lost or duplicated", async () => {
  const sink = newSink();
  const tracer = modaTracer();
  const worker = withModa<TestWorker>({
    fetch: (request: Request) =>
      tracer.startActiveSpan("work", async (span) => {
        span.setAttribute("request.n", Number(new URL(request.url).searchParams.get("n")));
        await fetch(`${sink.url.replace(/\/v1\/traces$/, "")}/spans`).then((r) => r.arrayBuffer());
        span.end();
        return new Response(`done ${new URL(request.url).search}`);
      }),
  });
  const env = { MODA_API_KEY: "k", MODA_BASE_URL: sink.url };
  const runs = Array.from({ length: REQUESTS }, async (_, n) => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request(`https://app.example/r?n=${n}`), env, ctx);
    expect(await response.text()).toBe(`done ?n=${n}`);
    await waitOnExecutionContext(ctx);
  });
  await Promise.all(runs);
  const spans = await sink.waitForSpans(2 * REQUESTS);
  expect(spans).toHaveLength(2 * REQUESTS);
  expect(new Set(spans.map((s) => s.spanId)).size).toBe(2 * REQUESTS);
  const traces = new Map<string, typeof spans>();
  for (const span of spans) traces.set(span.traceId, [...(traces.get(span.traceId) ?? []), span]);
  expect(traces.size).toBe(REQUESTS);
  const seen = new Set<number>();
  for (const trace of traces.values()) {
    const root = trace.find((s) => s.kind === "SERVER");
    const work = trace.find((s) => s.name === "work");
    expect(trace).toHaveLength(2);
    expect(work?.parentSpanId).toBe(root?.spanId);
    const n = Number(work?.attributes["request.n"]);
    expect(root?.attributes["url.path"]).toBe("/r");
    seen.add(n);
  }
  expect(seen.size).toBe(REQUESTS);
});
