/** What a 128 KB `tracestate` adds to a request in Node (run through child.mjs: a process of its own). */
import { sinkFetch } from "../lib/sink.mjs";
import { measureTracestate } from "../lib/tracestate-rounds.mjs";

export function run(optionsJson) {
  globalThis.fetch = sinkFetch;
  return measureTracestate(JSON.parse(optionsJson));
}
