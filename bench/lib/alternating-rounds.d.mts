/** One row of a measurement in rounds: untraced and traced medians for one number of LLM calls per request. */
export interface RoundRow {
  calls: number;
  requests: number;
  untracedUs: number;
  tracedUs: number;
  addedUs: number;
  ratio: number;
  /** The interquartile range of the traced/untraced ratio, round by round. */
  ratioIqr?: [q1: number, q3: number];
  ratioRange: [low: number, high: number];
  /** The floor (untraced, plus one `waitUntil(fetch)` of the traced export's bytes), where it was measured. */
  floorUs?: number;
  floorAddedUs?: number;
  /** (traced − untraced) / (floor − untraced), from the medians. */
  floorRatio?: number;
  floorRatioIqr?: [q1: number, q3: number];
  /** Exports that reached the sink, warm-up rounds included. */
  exports: number;
}

export interface RoundOptions {
  rounds: number;
  /** Requests per round, by number of LLM calls per request. */
  requests: Record<number, number>;
}

export function roundsRun(rounds: number): number;
