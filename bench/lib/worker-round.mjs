/**
 * A tracer's `round()` for tracers that instrument a Worker handler (`withModa`, `withSentry`): each timed
 * round runs inside one request of the instrumented handler, and the request's `waitUntil` work (the export)
 * is awaited after it, untimed.
 */
import { executionContext } from "./execution-context.mjs";

const ELAPSED_HEADER = "x-bench-elapsed-ms";

export function roundThroughHandler(instrument, env) {
  let run;
  const handler = instrument({
    async fetch() {
      const elapsed = await run();
      return new Response(null, { headers: { [ELAPSED_HEADER]: String(elapsed) } });
    },
  });
  return async (timedRun) => {
    run = timedRun;
    const { ctx, settled } = executionContext();
    const response = await handler.fetch(new Request("https://app.bench.invalid/round"), env, ctx);
    await response.arrayBuffer();
    await settled();
    return Number(response.headers.get(ELAPSED_HEADER));
  };
}
