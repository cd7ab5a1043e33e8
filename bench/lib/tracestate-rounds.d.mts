import type { RoundRow } from "./alternating-rounds.mjs";

export const TRACESTATE_BYTES: number;
export function hostileTracestate(): string;
/** What a 128 KB tracestate adds to a request: `addedUs` per request, the rounds with the header as "traced". */
export function measureTracestate(options: {
  rounds: number;
  requests: number;
}): Promise<Omit<RoundRow, "calls" | "exports">>;
