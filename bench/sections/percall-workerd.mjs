/**
 * Per-call overhead in workerd: each tracer's measurement (lib/percall.mjs, the same code as in Node) is
 * bundled into a Worker of its own, the way wrangler bundles, and run in its own isolate, one at a time.
 */
import { measureInOwnWorkerd } from "../lib/workerd.mjs";

function entryFor(tracerFile) {
  return `
import { jsonWorker } from "../lib/json-worker.mjs";
import { measureTracer } from "../lib/percall.mjs";
import { sinkStats } from "../lib/sink.mjs";
import * as tracer from "../tracers/${tracerFile}.mjs";
export default jsonWorker(async (options) => {
  const result = await measureTracer(tracer, {}, options);
  return { ...result, sink: { ...sinkStats } };
});`;
}

/**
 * Measures `tracers` (`{ file, compatibilityFlags? }`) in workerd. Resolves to `{ [file]: result }`, where a
 * result is measureTracer's, or `{ error }` when the tracer does not bundle or run.
 */
export async function measureInWorkerd(tracers, options) {
  const results = {};
  for (const { file, compatibilityFlags = [] } of tracers) {
    results[file] = await measureInOwnWorkerd(entryFor(file), options, { compatibilityFlags });
  }
  return results;
}
