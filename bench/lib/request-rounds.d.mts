/** What `withModa` adds to a request's handler time, for one number of LLM calls per request. */
export interface RequestOverheadRow {
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

export interface RequestOverheadOptions {
  rounds: number;
  /** Requests per round, by number of LLM calls per request. */
  requests: Record<number, number>;
}

interface FetchHandler {
  fetch(request: Request, env: unknown, ctx: unknown): Response | Promise<Response>;
}

export function timeRound(handler: FetchHandler, count: number): Promise<number>;

export function measureRequestOverhead(options: RequestOverheadOptions): Promise<RequestOverheadRow[]>;
