/**
 * CPU time per request, its export included: rounds of requests served somewhere (a Node process, a Worker), the
 * CPU that process used during each round read from outside the requests. Untraced and traced rounds alternate.
 */
import { alternatingRounds, roundsRun } from "./alternating-rounds.mjs";

/**
 * `serveRound(handler, calls, count)` serves a round (lib/request-cpu.mjs) and resolves to the exports it sent;
 * `cpuUs()` is the serving process's CPU time so far. `options` as for the handler-time measurement. Resolves to
 * one row per number of LLM calls, medians in µs of CPU per request. Throws when a traced request's export was
 * not sent, or an untraced one sent any: a CPU figure without every export would understate the cost.
 */
export async function measureRequestCpu(serveRound, cpuUs, { rounds, requests }) {
  const rows = [];
  for (const calls of Object.keys(requests).map(Number)) {
    const count = requests[calls];
    const exports = { untraced: 0, traced: 0 };
    const row = await alternatingRounds(
      async (handler) => {
        const before = cpuUs();
        exports[handler] += await serveRound(handler, calls, count);
        return (cpuUs() - before) / count;
      },
      { rounds, count },
    );
    const expected = roundsRun(rounds) * count;
    if (exports.traced !== expected || exports.untraced !== 0) {
      throw new Error(
        `expected ${expected} exports of traced requests and none of untraced ones, got ${exports.traced} and ${exports.untraced}`,
      );
    }
    rows.push({ calls, ...row, exports: exports.traced });
  }
  return rows;
}
