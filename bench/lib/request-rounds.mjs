/**
 * What `withModa` adds to a request's handler time, the same code in Node and in workerd: a handler making
 * `calls` OpenAI calls (the 10-message conversation, on the in-process fake `fetch`), untraced and traced
 * (`withModa`, the client wrapped; both made once, as an application makes them), timed in rounds of requests
 * that alternate between the two, each first as often as second. A round runs from its first handler call to
 * the last byte of its last response read; the requests' `waitUntil` work (the exports) is awaited after the
 * round, untimed. Rounds, not single requests, because workerd's clock moves in whole milliseconds.
 */

import { alternatingRounds } from "./alternating-rounds.mjs";
import { executionContext } from "./execution-context.mjs";
import { sinkStats } from "./sink.mjs";
import { chatRequest, MODA_ENV, newChatHandler } from "./traced-request.mjs";

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
    untraced: newChatHandler({ calls, traced: false }),
    traced: newChatHandler({ calls, traced: true }),
  };
  const exportsBefore = sinkStats.requests;
  const row = await alternatingRounds((handler, count) => timeRound(handlers[handler], count), {
    rounds,
    count: requests[calls],
  });
  return { calls, ...row, exports: sinkStats.requests - exportsBefore };
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
