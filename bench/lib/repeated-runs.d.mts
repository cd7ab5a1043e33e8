import type { RoundRow } from "./alternating-rounds.mjs";

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

export function combineRowRuns(
  runs: readonly (RoundRow[] | { error: string })[],
): (RoundRow & { runs: number })[] | { error: string };
