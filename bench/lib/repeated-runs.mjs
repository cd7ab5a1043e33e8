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

const ROW_FIGURES = ["untracedUs", "tracedUs", "addedUs", "ratio", "floorUs", "floorAddedUs", "floorRatio"];
const ROW_RANGES = ["ratioRange", "ratioIqr", "floorRatioIqr"];

/** The widest of the runs' ranges `name`, where the rows have it. */
function widest(rows, name) {
  if (!rows.every((row) => Array.isArray(row[name]))) return undefined;
  return [Math.min(...rows.map((row) => row[name][0])), Math.max(...rows.map((row) => row[name][1]))];
}

/**
 * Runs of a measurement in rounds (lib/alternating-rounds.mjs: one array of rows per process), combined row by row:
 * each figure's median over the runs (where the rows have it), the widest of their ranges, the exports of every run.
 * A run that failed (`{ error }`) fails the whole.
 */
export function combineRowRuns(runs) {
  if (runs.length === 0) throw new Error("no runs to combine");
  const failed = runs.find((run) => !Array.isArray(run));
  if (failed) return failed;
  return runs[0].map((first, index) => {
    const rows = runs.map((run) => run[index]);
    const figures = ROW_FIGURES.filter((figure) => rows.every((row) => typeof row[figure] === "number"));
    const ranges = ROW_RANGES.map((name) => [name, widest(rows, name)]).filter(([, range]) => range);
    return {
      ...first,
      ...Object.fromEntries(figures.map((figure) => [figure, median(rows.map((row) => row[figure]))])),
      ...Object.fromEntries(ranges),
      exports: rows.reduce((sum, row) => sum + row.exports, 0),
      runs: runs.length,
    };
  });
}
