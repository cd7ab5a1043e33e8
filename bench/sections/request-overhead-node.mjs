/** What `withModa` adds to a request's handler time in Node (run through child.mjs: a process of its own). */
import { measureRequestOverhead } from "../lib/request-rounds.mjs";
import { sinkFetch } from "../lib/sink.mjs";

export function run(optionsJson) {
  globalThis.fetch = sinkFetch;
  return measureRequestOverhead(JSON.parse(optionsJson));
}
