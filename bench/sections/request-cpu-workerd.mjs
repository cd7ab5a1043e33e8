/**
 * CPU time per request in workerd, its export included: lib/request-cpu.mjs's requests (the same code as in Node)
 * bundled into a Worker of its own, a round per request to it, and the CPU the workerd process used during each.
 * The exports (the traced requests' and the floor's) go out by workerd's own `fetch` to a loopback ingest, as a
 * deployed Worker's go to Moda: what sending them costs the runtime is counted for both.
 */
import { measureRequestCpu } from "../lib/cpu-rounds.mjs";
import { askWorker } from "../lib/json-worker.mjs";
import { startIngest } from "../lib/loopback-servers.mjs";
import { processCpuUs } from "../lib/process-cpu.mjs";
import { inOwnWorkerd } from "../lib/workerd.mjs";

const ENTRY = `
import { jsonWorker } from "../lib/json-worker.mjs";
import { serveRound } from "../lib/request-cpu.mjs";
import { countingFetch } from "../lib/sink.mjs";
const realFetch = globalThis.fetch;
export default jsonWorker(async ({ handler, calls, count, ingest }) => {
  globalThis.fetch = countingFetch(realFetch);
  return { exports: await serveRound(handler, calls, count, ingest) };
});`;

async function roundIn(baseUrl, ingest, handler, calls, count) {
  const answer = await askWorker(baseUrl, { handler, calls, count, ingest });
  if (answer.error) throw new Error(answer.error);
  return answer.exports;
}

/** Resolves to measureRequestCpu's rows, or to `{ error }` (no /proc to read, a failed round). */
export async function measureRequestCpuInWorkerd(options) {
  const ingest = await startIngest(0);
  try {
    return await inOwnWorkerd(ENTRY, ({ url, pid }) => {
      if (processCpuUs(pid) === undefined) return { error: "not measured: needs Linux's /proc/<pid>/task/*/schedstat" };
      const serveRound = (handler, calls, count) => roundIn(url, ingest.url, handler, calls, count);
      return measureRequestCpu(serveRound, () => processCpuUs(pid), options);
    });
  } finally {
    await ingest.close();
  }
}
