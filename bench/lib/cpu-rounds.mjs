/**
 * CPU time per request, its export included: rounds of requests served somewhere (a Node process, a Worker), the
 * CPU that process used during each round read from outside the requests. Three configurations interleave: the
 * untraced handler, the traced one, and the floor (the untraced handler plus one `waitUntil(fetch)` of the bytes
 * the traced request exported: what any export of the same spans must cost at least).
 */
import { alternatingRounds, roundsRun } from "./alternating-rounds.mjs";

const HANDLERS = ["untraced", "floor", "traced"];

/**
 * `serveRound(handler, calls, count)` serves a round (lib/request-cpu.mjs) and resolves to the exports it sent;
 * `cpuUs()` is the serving process's CPU time so far. `options` as for the handler-time measurement. Resolves to
 * one row per number of LLM calls, medians in µs of CPU per request. A traced request that makes no LLM call
 * exports nothing (moda-edge's default), so neither does its floor. Throws when an export that should have been
 * sent was not, or one was sent that should not have been: a CPU figure without every export would mislead.
 */
export async function measureRequestCpu(serveRound, cpuUs, { rounds, requests }) {
  const rows = [];
  for (const calls of Object.keys(requests).map(Number)) {
    const count = requests[calls];
    // One traced request first: the floor sends the bytes it exported.
    await serveRound("traced", calls, 1);
    const exports = { untraced: 0, floor: 0, traced: 0 };
    const row = await alternatingRounds(
      async (handler) => {
        const before = cpuUs();
        exports[handler] += await serveRound(handler, calls, count);
        return (cpuUs() - before) / count;
      },
      { rounds, count, handlers: HANDLERS },
    );
    const expected = calls > 0 ? roundsRun(rounds) * count : 0;
    if (exports.traced !== expected || exports.floor !== expected || exports.untraced !== 0) {
      throw new Error(
        `expected ${expected} exports of traced requests and of the floor's, none of untraced ones; got ${exports.traced}, ${exports.floor} and ${exports.untraced}`,
      );
    }
    rows.push({ calls, ...row, exports: exports.traced });
  }
  return rows;
}
