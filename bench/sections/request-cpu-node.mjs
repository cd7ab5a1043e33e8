/** CPU time per request in Node, its export included (run through child.mjs: a process of its own). */
import { measureRequestCpu } from "../lib/cpu-rounds.mjs";
import { serveRound } from "../lib/request-cpu.mjs";
import { sinkFetch } from "../lib/sink.mjs";

function processCpuUs() {
  const { user, system } = process.cpuUsage();
  return user + system;
}

export function run(optionsJson) {
  globalThis.fetch = sinkFetch;
  return measureRequestCpu(serveRound, processCpuUs, JSON.parse(optionsJson));
}
