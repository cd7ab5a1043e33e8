/**
 * What `withModa` adds to a request's handler time, the same code in Node and in workerd: a handler making
 * `calls` OpenAI calls (the 10-message conversation, on the in-process fake `fetch`), untraced and traced
 * (`withModa`, the client wrapped; both made once, as an application makes them), timed in rounds of requests
 * that alternate between the two, each first as often as second. A round runs from its first handler call to
 * the last byte of its last response read; the requests' `waitUntil` work (the exports) is awaited after the
 * round, untimed. Rounds, not single requests, because workerd's clock moves in whole milliseconds.
 */

import { withModa, wrap } from "../../dist/index.js";
import { executionContext } from "./execution-context.mjs";
import { fakeOpenAIClient } from "./fake-llm.mjs";
import { sinkStats } from "./sink.mjs";
import { median } from "./stats.mjs";
import { chatHandler, chatRequest, MODA_ENV } from "./traced-request.mjs";

const WARMUP_ROUNDS = 4;

/**
 * One round of `count` requests to `handler` (a Workers `ExportedHandler`), in µs per request. An export that
 * reached the sink during the round would put export work into handler time: the round then throws instead of
 * reporting it.
 */
export async function timeRound(handler, count) {
  const { ctx, settled } = executionContext();
  const exportsBefore = sinkStats.requests;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const response = await handler.fetch(chatRequest(), MODA_ENV, ctx);
    await response.arrayBuffer();
  }
  const perRequestUs = ((performance.now() - started) * 1000) / count;
  const exportsDuring = sinkStats.requests - exportsBefore;
  await settled();
  if (exportsDuring > 0) throw new Error(`${exportsDuring} export(s) ran inside a timed round of handler time`);
  return perRequestUs;
}

async function measure(calls, { rounds, requests }) {
  const handlers = {
    untraced: chatHandler(fakeOpenAIClient(), calls),
    traced: withModa(chatHandler(wrap(fakeOpenAIClient()), calls)),
  };
  const times = { untraced: [], traced: [] };
  const exportsBefore = sinkStats.requests;
  for (let i = 0; i < WARMUP_ROUNDS + rounds; i++) {
    const order = i % 2 === 0 ? ["untraced", "traced"] : ["traced", "untraced"];
    for (const name of order) {
      const perRequestUs = await timeRound(handlers[name], requests[calls]);
      if (i >= WARMUP_ROUNDS) times[name].push(perRequestUs);
    }
  }
  const untracedUs = median(times.untraced);
  const tracedUs = median(times.traced);
  return {
    calls,
    requests: requests[calls],
    untracedUs,
    tracedUs,
    addedUs: tracedUs - untracedUs,
    ratio: tracedUs / untracedUs,
    ratioRange: [Math.min(...times.traced) / untracedUs, Math.max(...times.traced) / untracedUs],
    exports: sinkStats.requests - exportsBefore,
  };
}

/**
 * `options.rounds` timed rounds (after warm-up) per handler; `options.requests[calls]` requests per round for each
 * number of LLM calls. Resolves to one row per number of calls, medians in µs per request.
 */
export async function measureRequestOverhead(options) {
  const rows = [];
  for (const calls of Object.keys(options.requests).map(Number)) rows.push(await measure(calls, options));
  return rows;
}
