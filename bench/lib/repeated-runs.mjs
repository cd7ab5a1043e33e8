/**
 * One per-call result from several runs of the same measurement, each in a fresh process (Node) or workerd: a
 * process's JIT and heap can set its ratio apart from the next one's, so the median over processes is reported,
 * with the range it came from (which tells, too, whether the runs agree).
 */
import { median } from "./stats.mjs";

/**
 * Each combined by its own median over the runs: `addedMs` is the median of the runs' differences, so that it
 * agrees with `ratio` (the difference of the median raw and wrapped times could even take the other sign).
 */
const FIGURES = ["cleanMs", "afterSetupMs", "rawMs", "wrappedMs", "ratio", "addedMs"];

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

/** A combined ratio as `format` writes it, then the range of the runs it is the median of, when they differ. */
export function ratioOverRuns({ ratio, ratioRange: [low, high] }, format, digits) {
  return low === high ? format(ratio) : `${format(ratio)} (${low.toFixed(digits)}–${high.toFixed(digits)})`;
}
