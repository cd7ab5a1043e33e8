import type { RoundOptions, RoundRow } from "./alternating-rounds.mjs";

/** Serves one round of `count` requests to a handler making `calls` LLM calls; resolves to the exports it sent. */
export type ServeRound = (handler: "untraced" | "floor" | "traced", calls: number, count: number) => Promise<number>;

export function measureRequestCpu(
  serveRound: ServeRound,
  cpuUs: () => number,
  options: RoundOptions,
): Promise<RoundRow[]>;
