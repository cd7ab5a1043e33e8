/**
 * The CPU time a process has used, all its threads, in µs, from Linux's per-thread scheduler statistics (ns
 * resolution; `/proc/<pid>/stat` counts in 10 ms ticks). Undefined where there is no such file (not Linux).
 */
import { readdirSync, readFileSync } from "node:fs";

export function processCpuUs(pid) {
  try {
    let ns = 0;
    for (const thread of readdirSync(`/proc/${pid}/task`)) {
      ns += Number(readFileSync(`/proc/${pid}/task/${thread}/schedstat`, "utf8").split(" ")[0]);
    }
    return Number.isFinite(ns) ? ns / 1000 : undefined;
  } catch {
    return undefined;
  }
}
