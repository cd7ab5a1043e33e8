/**
 * CPU time per request in workerd, its export included: lib/request-cpu.mjs's requests (the same code as in Node)
 * bundled into a Worker of its own, a round per request to it, and the CPU the workerd process used during each.
 */
import { measureRequestCpu } from "../lib/cpu-rounds.mjs";
import { askWorker } from "../lib/json-worker.mjs";
import { processCpuUs } from "../lib/process-cpu.mjs";
import { inOwnWorkerd } from "../lib/workerd.mjs";

const ENTRY = `
import { jsonWorker } from "../lib/json-worker.mjs";
import { serveRound } from "../lib/request-cpu.mjs";
import { sinkFetch } from "../lib/sink.mjs";
export default jsonWorker(async ({ handler, calls, count }) => {
  globalThis.fetch = sinkFetch;
  return { exports: await serveRound(handler, calls, count) };
});`;

async function roundIn(baseUrl, handler, calls, count) {
  const answer = await askWorker(baseUrl, { handler, calls, count });
  if (answer.error) throw new Error(answer.error);
  return answer.exports;
}

/** Resolves to measureRequestCpu's rows, or to `{ error }` (no /proc to read, a failed round). */
export function measureRequestCpuInWorkerd(options) {
  return inOwnWorkerd(ENTRY, ({ url, pid }) => {
    if (processCpuUs(pid) === undefined) return { error: "not measured: needs Linux's /proc/<pid>/task/*/schedstat" };
    const serveRound = (handler, calls, count) => roundIn(url, handler, calls, count);
    return measureRequestCpu(serveRound, () => processCpuUs(pid), options);
  });
}
