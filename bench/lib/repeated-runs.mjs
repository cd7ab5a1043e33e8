/**
 * One per-call result from several runs of the same measurement, each in a fresh process (Node) or workerd.
 * A process's JIT and heap make its ratio differ from the next one's by more than its rounds differ from each
 * other (here, moda-edge's Node chat ratio spans 1.16–1.48 across processes; 105 rounds instead of 21 did not
 * narrow it), so the median over processes is what is reported, with the range it came from.
 */
import { median } from "./stats.mjs";

const FIGURES = ["cleanMs", "afterSetupMs", "rawMs", "wrappedMs", "ratio"];

function combineMode(modes) {
  const combined = Object.fromEntries(FIGURES.map((figure) => [figure, median(modes.map((mode) => mode[figure]))]));
  const ratios = modes.map((mode) => mode.ratio);
  return { ...combined, ratioRange: [Math.min(...ratios), Math.max(...ratios)] };
}

/**
 * `runs`: one tracer's results (measureTracer's, plus `sink` and `note`), one per process. A run that failed
 * (`{ error }`) fails the whole: a tracer that breaks once in three is reported, not averaged away.
 */
export function combineRuns(runs) {
  if (runs.length === 0) throw new Error("no runs to combine");
  const failed = runs.find((run) => run.error);
  if (failed) return failed;
  const [first] = runs;
  const modes = Object.keys(first).filter((key) => FIGURES.every((figure) => figure in Object(first[key])));
  return {
    ...first,
    ...Object.fromEntries(modes.map((mode) => [mode, combineMode(runs.map((run) => run[mode]))])),
    runs: runs.length,
  };
}
