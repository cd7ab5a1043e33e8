/**
 * What `withModa` adds to a request's handler time in workerd: the measurement of lib/request-rounds.mjs (the same
 * code as in Node) bundled into a Worker of its own, run inside one request to it.
 */
import { measureInOwnWorkerd } from "../lib/workerd.mjs";

const ENTRY = `
import { jsonWorker } from "../lib/json-worker.mjs";
import { measureRequestOverhead } from "../lib/request-rounds.mjs";
import { sinkFetch } from "../lib/sink.mjs";
export default jsonWorker((options) => {
  globalThis.fetch = sinkFetch;
  return measureRequestOverhead(options);
});`;

/** Resolves to measureRequestOverhead's rows, or to `{ error }`. */
export function measureRequestOverheadInWorkerd(options) {
  return measureInOwnWorkerd(ENTRY, options);
}
