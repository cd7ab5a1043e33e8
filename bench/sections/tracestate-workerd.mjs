/** What a 128 KB `tracestate` adds to a request in workerd: lib/tracestate-rounds.mjs in a Worker of its own. */
import { measureLibInOwnWorkerd } from "../lib/workerd.mjs";

/** Resolves to measureTracestate's row, or to `{ error }`. */
export function measureTracestateInWorkerd(options) {
  return measureLibInOwnWorkerd("tracestate-rounds.mjs", "measureTracestate", options);
}
