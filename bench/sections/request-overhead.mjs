/**
 * What `withModa` adds to each request's handler time in Node, in process (no network to drown it): a handler
 * making no LLM call and one making one (the 10-message conversation, on the in-process fake `fetch`), untraced
 * and traced (`withModa`, the client wrapped), both made once as an application makes them. A request's time
 * runs from the call of the handler to the last byte of its response read; its `waitUntil` work (the export)
 * is awaited after that, untimed. Untraced and traced requests alternate, each first as often as second.
 */

import { withModa, wrap } from "../../dist/index.js";
import { fakeOpenAIClient } from "../lib/fake-llm.mjs";
import { sinkFetch } from "../lib/sink.mjs";
import { halfIqr, median } from "../lib/stats.mjs";
import { chatHandler, serveRequest } from "../lib/traced-request.mjs";

const CALL_COUNTS = [0, 1];
/** Pairs of requests before any is timed: the JIT compiles both handlers' paths. */
const WARMUP_PAIRS = 300;

async function measure(calls, pairs) {
  const untraced = chatHandler(fakeOpenAIClient(), calls);
  const traced = withModa(chatHandler(wrap(fakeOpenAIClient()), calls));
  const times = { untraced: [], traced: [] };
  for (let i = 0; i < WARMUP_PAIRS + pairs; i++) {
    const order = i % 2 === 0 ? ["untraced", "traced"] : ["traced", "untraced"];
    for (const name of order) {
      const { handlerMs } = await serveRequest(name === "traced" ? traced : untraced);
      if (i >= WARMUP_PAIRS) times[name].push(handlerMs * 1000);
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
