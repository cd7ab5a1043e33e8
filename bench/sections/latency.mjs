/**
 * Response latency in workerd: time to the last byte of the minimal Worker's response (one OpenAI and one
 * Anthropic call to a loopback fake API), untraced, and traced by moda-edge (built dist/) while the ingest
 * answers at once, answers after 5 s, or is down (a closed port); and, to tell the request span from the LLM
 * spans, traced by `withModa` alone. Requests alternate between the Workers in a balanced order (see
 * `balancedCycle`). Two diagnostic rows measure each request right after one to the same Worker, as a Worker
 * under back-to-back traffic serves it: the previous request's export then lands on the measured one.
 */

import { startIngest, startProviderServer } from "../lib/loopback-servers.mjs";
import { halfIqr, median, quantile } from "../lib/stats.mjs";
import { bundleWorker } from "../lib/worker-bundle.mjs";
import { freePort, startWorkerd } from "../lib/workerd.mjs";

const SLOW_INGEST_MS = 5000;
const BACK_TO_BACK_UNTRACED = "untraced, back to back";
const WARMUP_CYCLES = 1;

/**
 * One cycle of visits to `count` Workers (count ≥ 2) in which each Worker comes right after every other exactly
 * once: an Eulerian circuit of the complete directed graph, closed (the cycle repeats). A request's export runs
 * while the next request is served, whichever Worker that is; a fixed or rotated order would make some Worker
 * always follow a traced one (or the untraced one) and move its median by that export alone.
 */
export function balancedCycle(count) {
  const unvisited = Array.from({ length: count }, (_, from) =>
    Array.from({ length: count - 1 }, (_, k) => (from + k + 1) % count),
  );
  const path = [0];
  const circuit = [];
  while (path.length > 0) {
    const at = path.at(-1);
    if (unvisited[at].length > 0) path.push(unvisited[at].shift());
    else circuit.push(path.pop());
  }
  return circuit.reverse().slice(0, -1);
}

async function timeToLastByte(url) {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return performance.now() - started;
}

async function bundled(entry) {
  const result = await bundleWorker(entry);
  if (!result.ok) throw new Error(`${entry} does not bundle: ${result.errors.join("; ")}`);
  return result.code;
}

export async function measureLatency({ requests }) {
  const providers = await startProviderServer();
  const fastIngest = await startIngest(0);
  const slowIngest = await startIngest(SLOW_INGEST_MS);
  const downUrl = `http://127.0.0.1:${await freePort()}/v1/traces`;
  const baseEnv = {
    OPENAI_API_KEY: "sk-bench",
    OPENAI_BASE_URL: `${providers.url}/v1`,
    ANTHROPIC_API_KEY: "sk-ant-bench",
    ANTHROPIC_BASE_URL: providers.url,
    MODA_API_KEY: "bench-key",
  };
  const [plain, traced, handlerOnly] = [
    await bundled("plain.js"),
    await bundled("moda.js"),
    await bundled("moda-handler-only.js"),
  ];
  const variants = [
    { name: "untraced", code: plain, env: baseEnv },
    { name: "ingest answers at once", code: traced, env: { ...baseEnv, MODA_BASE_URL: fastIngest.url } },
    {
      name: `ingest takes ${SLOW_INGEST_MS / 1000} s`,
      code: traced,
      env: { ...baseEnv, MODA_BASE_URL: slowIngest.url },
    },
    { name: "ingest down", code: traced, env: { ...baseEnv, MODA_BASE_URL: downUrl } },
    {
      name: "withModa only, clients unwrapped (ingest at once)",
      code: handlerOnly,
      env: { ...baseEnv, MODA_BASE_URL: fastIngest.url },
      diagnostic: true,
    },
    { name: BACK_TO_BACK_UNTRACED, code: plain, env: baseEnv, diagnostic: true, backToBack: true },
    {
      name: "ingest at once, back to back",
      code: traced,
      env: { ...baseEnv, MODA_BASE_URL: fastIngest.url },
      diagnostic: true,
      backToBack: true,
      baseline: BACK_TO_BACK_UNTRACED,
    },
  ];
  const workerd = await startWorkerd(variants.map((v) => ({ name: v.name, code: v.code, env: v.env })));
  try {
    const samples = Object.fromEntries(variants.map((v) => [v.name, []]));
    const cycle = balancedCycle(variants.length);
    const cycles = Math.ceil(requests / (variants.length - 1));
    for (let c = 0; c < WARMUP_CYCLES + cycles; c++) {
      for (const index of cycle) {
        const { name, backToBack } = variants[index];
        const url = `${workerd.urls[name]}/?q=hello`;
        if (backToBack) await timeToLastByte(url);
        const time = await timeToLastByte(url);
        if (c >= WARMUP_CYCLES) samples[name].push(time);
      }
    }
    // Let the fast ingest's exports land before counting them.
    await new Promise((resolve) => setTimeout(resolve, 500));
    return {
      requests: cycles * (variants.length - 1),
      rows: variants.map(({ name, diagnostic, baseline }) => ({
        name,
        diagnostic: diagnostic === true,
        baseline: baseline ?? variants[0].name,
        medianMs: median(samples[name]),
        p90Ms: quantile(samples[name], 0.9),
        noiseMs: halfIqr(samples[name]),
      })),
      exportsReceived: { fast: fastIngest.stats.requests, slow: slowIngest.stats.requests },
    };
  } finally {
    await workerd.stop();
    await Promise.all([providers.close(), fastIngest.close(), slowIngest.close()]);
  }
}
