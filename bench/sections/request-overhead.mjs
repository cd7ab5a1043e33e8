/**
 * What `withModa` adds to each request's handler time in Node, in process (no network to drown it): a handler
 * making no LLM call and one making one (the 10-message conversation, on the in-process fake `fetch`), untraced
 * and traced (`withModa`, the client wrapped), both made once as an application makes them. A request's time
 * runs from the call of the handler to the last byte of its response read; its `waitUntil` work (the export)
 * is awaited after that, untimed. Untraced and traced requests alternate, each first as often as second.
 */

import { withModa, wrap } from "../../dist/index.js";
import { CHAT_PARAMS, fakeOpenAIClient } from "../lib/fake-llm.mjs";
import { sinkFetch } from "../lib/sink.mjs";
import { halfIqr, median } from "../lib/stats.mjs";
import { MODA_ENV } from "../lib/traced-request.mjs";

const CALL_COUNTS = [0, 1];
/** Pairs of requests before any is timed: the JIT compiles both handlers' paths. */
const WARMUP_PAIRS = 300;

function app(client, calls) {
  return {
    async fetch() {
      for (let i = 0; i < calls; i++) await client.chat.completions.create(CHAT_PARAMS);
      return new Response("done");
    },
  };
}

/** The request's handler time in µs; resolves once its `waitUntil` work has finished too. */
async function timedRequest(handler) {
  const pending = [];
  const ctx = { waitUntil: (promise) => pending.push(promise), passThroughOnException() {}, props: {} };
  const started = performance.now();
  const response = await handler.fetch(
    new Request("https://app.bench.invalid/chat", { method: "POST" }),
    MODA_ENV,
    ctx,
  );
  await response.text();
  const elapsedUs = (performance.now() - started) * 1000;
  await Promise.all(pending);
  return elapsedUs;
}

async function measure(calls, pairs) {
  const untraced = app(fakeOpenAIClient(), calls);
  const traced = withModa(app(wrap(fakeOpenAIClient()), calls));
  const times = { untraced: [], traced: [] };
  for (let i = 0; i < WARMUP_PAIRS + pairs; i++) {
    const order = i % 2 === 0 ? ["untraced", "traced"] : ["traced", "untraced"];
    for (const name of order) {
      const elapsedUs = await timedRequest(name === "traced" ? traced : untraced);
      if (i >= WARMUP_PAIRS) times[name].push(elapsedUs);
    }
  }
  return {
    calls,
    untracedUs: median(times.untraced),
    tracedUs: median(times.traced),
    noiseUs: Math.max(halfIqr(times.untraced), halfIqr(times.traced)),
  };
}

export async function run(pairsArg) {
  globalThis.fetch = sinkFetch;
  const pairs = Number(pairsArg) || 2000;
  const rows = [];
  for (const calls of CALL_COUNTS) rows.push(await measure(calls, pairs));
  return { rows, warmupPairs: WARMUP_PAIRS, pairs };
}
