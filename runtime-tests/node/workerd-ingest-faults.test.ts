/**
 * The built package in workerd (no compatibility flags, separate requests as the runtime serves them), its ingest
 * failing under load: the shared backoff must neither starve the isolate nor make workerd cancel a request as hung
 * (which it does to a request whose `waitUntil` another request's I/O would have to settle).
 */
import type { Miniflare } from "miniflare";
import { afterAll, expect, it } from "vitest";
import { newSink } from "../../test/support/receiver-client";
import { startWithoutFlags } from "./support/workerd";

const WORKER = `
import { flush, init, modaTracer, withModa } from "./dist/index.js";
const tracer = modaTracer();
const app = withModa(
  {
    async fetch(request) {
      return tracer.startActiveSpan("work", async (span) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        span.end();
        return new Response("ok " + new URL(request.url).searchParams.get("n"));
      });
    },
  },
  { exportTimeoutMs: 8000 },
);
export default {
  async fetch(request, env, ctx) {
    // One export that finds the ingest failing and gives up, awaited: from then on the isolate knows it fails.
    if (new URL(request.url).pathname === "/trip") {
      init({ apiKey: env.MODA_API_KEY, baseUrl: env.MODA_BASE_URL, exportTimeoutMs: 300 });
      tracer.startSpan("trip").end();
      await flush();
      return new Response("tripped");
    }
    return app.fetch(request, env, ctx);
  },
};
`;
const REQUESTS = 200;
/** Connections the ingest resets before it answers: more than the first export's retries use up. */
const RESETS = 30;
const HUNG = /hung|canceled this request/i;

let miniflare: Miniflare | undefined;
afterAll(() => miniflare?.dispose());

it("200 concurrent requests while the ingest resets its first 30 connections: none hung, every span arrives", async () => {
  const sink = newSink();
  await sink.script(Array.from({ length: RESETS }, () => ({ reset: true })));
  const logs: string[] = [];
  miniflare = await startWithoutFlags(WORKER, { MODA_API_KEY: "k", MODA_BASE_URL: sink.url }, (line) =>
    logs.push(line),
  );
  const worker = miniflare;
  expect(await (await worker.dispatchFetch("http://app.example/trip")).text()).toBe("tripped");
  const reset = (await sink.requests()).length;
  expect(reset).toBeGreaterThan(0);
  expect(reset).toBeLessThan(RESETS);
  const answers = await Promise.all(
    Array.from({ length: REQUESTS }, (_, n) =>
      worker.dispatchFetch(`http://app.example/r?n=${n}`).then((r) => r.text()),
    ),
  );
  expect(new Set(answers).size).toBe(REQUESTS);
  const spans = await sink.waitForSpans(2 * REQUESTS, 20_000);
  expect(spans.filter((span) => span.name === "work")).toHaveLength(REQUESTS);
  expect(spans.filter((span) => span.name === "GET /r")).toHaveLength(REQUESTS);
  expect(logs.filter((line) => HUNG.test(line))).toEqual([]);
}, 60_000);
