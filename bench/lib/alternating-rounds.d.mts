/** One row of a measurement in rounds: untraced and traced medians for one number of LLM calls per request. */
export interface RoundRow {
  calls: number;
  requests: number;
  untracedUs: number;
  tracedUs: number;
  addedUs: number;
  ratio: number;
  ratioRange: [low: number, high: number];
  /** Exports that reached the sink, warm-up rounds included. */
  exports: number;
}

export interface RoundOptions {
  rounds: number;
  /** Requests per round, by number of LLM calls per request. */
  requests: Record<number, number>;
}

export function roundsRun(rounds: number): number;
