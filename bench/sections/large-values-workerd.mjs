/**
 * Large values in workerd: lib/large-values.mjs's requests (the same code as in Node) in a Worker of its own. The
 * Worker marks each phase with a request to a loopback server here, which reads the workerd process's CPU then.
 */
import { createServer } from "node:http";
import { askWorker } from "../lib/json-worker.mjs";
import { measurePhases, phasesOf } from "../lib/phase-cpu.mjs";
import { processCpuUs } from "../lib/process-cpu.mjs";
import { inOwnWorkerd } from "../lib/workerd.mjs";

const ENTRY = `
import { jsonWorker } from "../lib/json-worker.mjs";
import { serveInPhases } from "../lib/large-values.mjs";
import { sinkFetch } from "../lib/sink.mjs";
const realFetch = globalThis.fetch;
export default jsonWorker(async ({ caseName, traced, marks }) => {
  globalThis.fetch = sinkFetch;
  await serveInPhases(caseName, traced, async (phase) => {
    await (await realFetch(marks + "?phase=" + phase)).text();
  });
  return { served: true };
});`;

/** A loopback server that reads the CPU of process `pid` whenever it is asked to mark a phase. */
async function markServer(pid) {
  let readings = {};
  const server = createServer((request, response) => {
    readings[new URL(request.url, "http://marks").searchParams.get("phase")] = processCpuUs(pid);
    response.end("marked");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/mark`,
    take() {
      const taken = readings;
      readings = {};
      return taken;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Resolves to `{ phases }` (lib/phase-cpu.mjs's rows), or to `{ error }`. */
export function measureLargeValuesInWorkerd(options) {
  return inOwnWorkerd(ENTRY, async ({ url, pid }) => {
    if (processCpuUs(pid) === undefined) return { error: "not measured: needs Linux's /proc/<pid>/task/*/schedstat" };
    const marks = await markServer(pid);
    try {
      const serve = async (caseName, traced) => {
        const answer = await askWorker(url, { caseName, traced, marks: marks.url });
        if (answer.error) throw new Error(answer.error);
        return phasesOf(marks.take());
      };
      return { phases: await measurePhases(serve, options) };
    } finally {
      await marks.close();
    }
  });
}
