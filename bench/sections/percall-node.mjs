/** Per-call overhead of one tracer in Node (run through child.mjs: one process per tracer). */
import { measureTracer } from "../lib/percall.mjs";
import { sinkStats } from "../lib/sink.mjs";

export async function run(tracerFile, optionsJson) {
  const tracer = await import(`../tracers/${tracerFile}.mjs`);
  const result = await measureTracer(tracer, {}, JSON.parse(optionsJson));
  return { ...result, sink: { ...sinkStats } };
}
