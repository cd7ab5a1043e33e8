/**
 * The CPU a traced request with large values adds, per phase: `serve(caseName, traced)` serves one request of
 * lib/large-values.mjs and resolves to `{ requestUs, exportUs }`, the CPU its process used in each phase.
 * Untraced and traced requests alternate, each first as often as second, after warm-up; medians per phase, the
 * untraced request's subtracted from the traced one's.
 */
import { CASES } from "./large-values.mjs";
import { median } from "./stats.mjs";

export async function measurePhases(serve, { runs, warmup }) {
  const rows = [];
  for (const caseName of CASES) {
    for (let i = 0; i < warmup; i++) for (const traced of [false, true]) await serve(caseName, traced);
    const samples = { false: [], true: [] };
    for (let i = 0; i < runs; i++) {
      for (const traced of i % 2 === 0 ? [false, true] : [true, false])
        samples[traced].push(await serve(caseName, traced));
    }
    const phase = (traced, name) => median(samples[traced].map((sample) => sample[name])) / 1000;
    rows.push({
      case: caseName,
      untracedRequestMs: phase(false, "requestUs"),
      requestAddedMs: phase(true, "requestUs") - phase(false, "requestUs"),
      exportMs: phase(true, "exportUs") - phase(false, "exportUs"),
      runs,
    });
  }
  return rows;
}

/** `{ requestUs, exportUs }` from the CPU readings taken at each mark. */
export function phasesOf(readings) {
  return { requestUs: readings.responded - readings.start, exportUs: readings.exported - readings.responded };
}
