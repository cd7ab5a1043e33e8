/** One mode's figures (chat or stream) from one run of measureTracer. */
export interface ModeResult {
  cleanMs: number;
  afterSetupMs: number;
  rawMs: number;
  wrappedMs: number;
  ratio: number;
  /** Wrapped minus unwrapped, ms per call. */
  addedMs: number;
}

export interface CombinedMode extends ModeResult {
  ratioRange: [low: number, high: number];
}

/** A run: its modes' figures, and anything else the run reported (`sink`, `note`), or `{ error }`. */
export type Run = { error: string } | Record<string, unknown>;

export function combineRuns(runs: readonly Run[]): Record<string, unknown>;

export function ratioOverRuns(
  combined: Pick<CombinedMode, "ratio" | "ratioRange">,
  format: (ratio: number) => string,
  digits: number,
): string;

/** One row of a measurement in rounds: untraced and traced medians for one number of LLM calls per request. */
export interface RoundRow {
  calls: number;
  requests: number;
  untracedUs: number;
  tracedUs: number;
  addedUs: number;
  ratio: number;
  ratioRange: [low: number, high: number];
  exports: number;
}

export function combineRowRuns(
  runs: readonly (RoundRow[] | { error: string })[],
): (RoundRow & { runs: number })[] | { error: string };
