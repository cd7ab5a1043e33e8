/**
 * Response latency in workerd: time to the last byte of the minimal Worker's response (one OpenAI and one
 * Anthropic call to a loopback fake API), untraced, and traced by moda-edge (built dist/) while the ingest
 * answers at once, answers after 5 s, or is down (a closed port); and, to tell the request span from the LLM
 * spans, traced by `withModa` alone. Requests alternate between the Workers in a balanced order (see
 * `balancedCycle`). Then, as diagnostics, the untraced Worker and the one whose ingest answers at once are
 * timed back to back (see `sample`): what a request's export costs the next request to the same Worker.
 */

import { freePort } from "../../scripts/free-port.mjs";
import { startIngest, startProviderServer } from "../lib/loopback-servers.mjs";
import { halfIqr, median, quantile } from "../lib/stats.mjs";
import { bundleWorker } from "../lib/worker-bundle.mjs";
import { startWorkerd } from "../lib/workerd.mjs";

const SLOW_INGEST_MS = 5000;
const UNTRACED = "untraced";
const AT_ONCE = "ingest answers at once";
const WARMUP_REQUESTS = 5;

/**
 * One cycle of visits to `count` Workers (count ≥ 2) in which each Worker comes right after every other exactly
 * once: an Eulerian circuit of the complete directed graph, closed (the cycle repeats). A request's export runs
 * while the next request is served, whichever Worker that is; a fixed or rotated order would make some Worker
 * always follow a traced one (or the untraced one) and move its median by that export alone.
 */
function balancedCycle(count) {
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

/**
 * Times `requests` requests to each Worker of `names` (after warm-up), visited in balanced cycles. `backToBack`
 * sends each measured request right after an unmeasured one to the same Worker: the measured request then
 * meets that Worker's own export, as under back-to-back traffic, and not the previous Worker's.
 */
async function sample(urls, names, { requests, backToBack }) {
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  const cycle = balancedCycle(names.length);
  const perCycle = names.length - 1;
  const warmupCycles = Math.ceil(WARMUP_REQUESTS / perCycle);
  for (let c = 0; c < warmupCycles + Math.ceil(requests / perCycle); c++) {
    for (const index of cycle) {
      const name = names[index];
      if (backToBack) await timeToLastByte(`${urls[name]}/?q=hello`);
      const time = await timeToLastByte(`${urls[name]}/?q=hello`);
      if (c >= warmupCycles && samples[name].length < requests) samples[name].push(time);
    }
  }
  return samples;
}

function row(name, samples, baseline, diagnostic) {
  return {
    name,
    diagnostic,
    baseline,
    medianMs: median(samples),
    p90Ms: quantile(samples, 0.9),
    noiseMs: halfIqr(samples),
  };
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
    { name: UNTRACED, code: plain, env: baseEnv },
    { name: AT_ONCE, code: traced, env: { ...baseEnv, MODA_BASE_URL: fastIngest.url } },
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
  ];
  const workerd = await startWorkerd(variants.map((v) => ({ name: v.name, code: v.code, env: v.env })));
  try {
    const names = variants.map((v) => v.name);
    const alternating = await sample(workerd.urls, names, { requests, backToBack: false });
    const backToBack = await sample(workerd.urls, [UNTRACED, AT_ONCE], { requests, backToBack: true });
    // Let the fast ingest's exports land before counting them.
    await new Promise((resolve) => setTimeout(resolve, 500));
    return {
      requests,
      rows: [
        ...variants.map(({ name, diagnostic }) => row(name, alternating[name], UNTRACED, diagnostic === true)),
        row(`${UNTRACED}, back to back`, backToBack[UNTRACED], `${UNTRACED}, back to back`, true),
        row(`${AT_ONCE}, back to back`, backToBack[AT_ONCE], `${UNTRACED}, back to back`, true),
      ],
      exportsReceived: { fast: fastIngest.stats.requests, slow: slowIngest.stats.requests },
    };
  } finally {
    await workerd.stop();
    await Promise.all([providers.close(), fastIngest.close(), slowIngest.close()]);
  }
}
