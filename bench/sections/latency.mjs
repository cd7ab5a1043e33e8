/**
 * Response latency in workerd: time to the last byte of the minimal Worker's response (one OpenAI and one
 * Anthropic call to a loopback fake API), untraced, and traced by moda-edge (built dist/) while the ingest
 * answers at once, answers after 5 s, or is down (a closed port); and, to tell the request span from the LLM
 * spans, traced by `withModa` alone. Requests alternate between the Workers.
 */

import { startIngest, startProviderServer } from "../lib/loopback-servers.mjs";
import { halfIqr, median, quantile } from "../lib/stats.mjs";
import { bundleWorker } from "../lib/worker-bundle.mjs";
import { freePort, startWorkerd } from "../lib/workerd.mjs";

const SLOW_INGEST_MS = 5000;
const WARMUP = 5;

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
  ];
  const workerd = await startWorkerd(variants.map((v) => ({ name: v.name, code: v.code, env: v.env })));
  try {
    const samples = Object.fromEntries(variants.map((v) => [v.name, []]));
    for (let i = 0; i < WARMUP + requests; i++) {
      // Rotate the order, so that no Worker always follows another.
      const order = variants.map((_, k) => variants[(i + k) % variants.length]);
      for (const { name } of order) {
        const time = await timeToLastByte(`${workerd.urls[name]}/?q=hello`);
        if (i >= WARMUP) samples[name].push(time);
      }
    }
    // Let the fast ingest's exports land before counting them.
    await new Promise((resolve) => setTimeout(resolve, 500));
    return {
      requests,
      rows: variants.map(({ name, diagnostic }) => ({
        name,
        diagnostic: diagnostic === true,
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
