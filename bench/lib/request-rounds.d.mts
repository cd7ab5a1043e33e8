import type { RoundOptions, RoundRow } from "./alternating-rounds.mjs";

interface FetchHandler {
  fetch(request: Request, env: unknown, ctx: unknown): Response | Promise<Response>;
}

export function timeRound(handler: FetchHandler, count: number): Promise<number>;

/** What `withModa` adds to a request's handler time, a row per number of LLM calls per request. */
export function measureRequestOverhead(options: RoundOptions): Promise<RoundRow[]>;
