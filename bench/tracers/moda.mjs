/**
 * moda-edge from the built dist/, as a Worker uses it: each round is one request of a `withModa` handler,
 * configured from its env, exporting after the response to an in-process sink (the global `fetch`).
 */
import { withModa, wrap } from "../../dist/index.js";
import { sinkFetch } from "../lib/sink.mjs";
import { roundThroughHandler } from "../lib/worker-round.mjs";

export const label = "moda-edge";

const ENV = { MODA_API_KEY: "bench-key", MODA_BASE_URL: "https://ingest.bench.invalid/v1/traces" };

export async function setup() {
  globalThis.fetch = sinkFetch;
  return { wrap, round: roundThroughHandler(withModa, ENV) };
}
