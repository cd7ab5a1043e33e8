/**
 * What `withModa` adds to a request's handler time in workerd: the measurement of lib/request-rounds.mjs (the same
 * code as in Node) bundled into a Worker of its own, run inside one request to it.
 */
import { measureLibInOwnWorkerd } from "../lib/workerd.mjs";

/** Resolves to measureRequestOverhead's rows, or to `{ error }`. */
export function measureRequestOverheadInWorkerd(options) {
  return measureLibInOwnWorkerd("request-rounds.mjs", "measureRequestOverhead", options);
}
