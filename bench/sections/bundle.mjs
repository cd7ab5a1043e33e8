/**
 * Bundle cost: the minimal Worker (one OpenAI and one Anthropic call) bundled as wrangler bundles it, untraced,
 * with moda-edge (built dist/: the budget's Worker with `wrapOpenAI` + `wrapAnthropic`, then the generic `wrap()`
 * and `withModa` alone, to show what each part costs), with @microlabs/otel-cf-workers, moda-ai and
 * @traceloop/node-server-sdk; then what moda-edge would cost with its dependencies changed (the measurements
 * behind a proposal, not shipped).
 */
import { fileURLToPath } from "node:url";
import { bundleWorker, MODA_BUNDLE_BUDGET_BYTES } from "../lib/worker-bundle.mjs";

const LIB = fileURLToPath(new URL("../lib/", import.meta.url));
const MODA_OR_SERIALIZER = /dist\/index\.js$|otlp-transformer/;
const API_SHIM = { specifier: "@opentelemetry/api", path: `${LIB}otel-api-shim.mjs`, importer: MODA_OR_SERIALIZER };
const NO_SERIALIZER = { specifier: "@opentelemetry/otlp-transformer", path: `${LIB}otlp-transformer-stub.mjs` };
const WITH_MODULE_CONDITION = ["workerd", "worker", "browser", "module"];

const COMPETITORS = [
  { name: "@microlabs/otel-cf-workers", entry: "otel-cf-workers.js" },
  { name: "moda-ai", entry: "moda-ai.js" },
  { name: "@traceloop/node-server-sdk", entry: "traceloop.js" },
];

const WHAT_IF = [
  {
    name: "moda-edge, @opentelemetry/api replaced by a 30-line shim",
    entry: "moda.js",
    options: { substitutions: [API_SHIM] },
  },
  {
    name: "moda-edge, @opentelemetry/api resolved to its ESM build",
    entry: "moda.js",
    options: { conditions: WITH_MODULE_CONDITION },
    baseline: "plain.js",
    baselineOptions: { conditions: WITH_MODULE_CONDITION },
  },
  {
    name: "moda-edge, without @opentelemetry/otlp-transformer (serializer cost 0)",
    entry: "moda.js",
    options: { substitutions: [NO_SERIALIZER] },
  },
  {
    name: "moda-edge's own code only (api shim, serializer cost 0)",
    entry: "moda.js",
    options: { substitutions: [API_SHIM, NO_SERIALIZER] },
  },
  { name: "OpenAI-only Worker + moda-edge", entry: "openai-only-moda.js", baseline: "openai-only-plain.js" },
  {
    name: "OpenAI-only Worker + moda-edge, api shim",
    entry: "openai-only-moda.js",
    options: { substitutions: [API_SHIM] },
    baseline: "openai-only-plain.js",
  },
  {
    name: "OpenAI-only Worker + moda-edge, api ESM build",
    entry: "openai-only-moda.js",
    options: { conditions: WITH_MODULE_CONDITION },
    baseline: "openai-only-plain.js",
    baselineOptions: { conditions: WITH_MODULE_CONDITION },
  },
];

async function mustBundle(entry, options) {
  const result = await bundleWorker(entry, options);
  if (!result.ok) throw new Error(`${entry} does not bundle: ${result.errors.join("; ")}`);
  return result;
}

function row(name, result, baseline, note = "") {
  return {
    name,
    bytes: result.bytes,
    gzipBytes: result.gzipBytes,
    addedGzip: result.gzipBytes - baseline.gzipBytes,
    note,
  };
}

async function competitorRow({ name, entry }, baseline) {
  const strict = await bundleWorker(entry);
  if (strict.ok) return row(`+ ${name}`, strict, baseline, "bundles without nodejs_compat");
  const firstError = strict.errors[0];
  const compat = await bundleWorker(entry, { nodeCompat: true });
  const note = `without nodejs_compat: ${strict.errors.length} error(s), first: ${firstError}`;
  if (!compat.ok) return { name: `+ ${name}`, note: `${note}; with nodejs_compat: ${compat.errors[0]}` };
  return row(
    `+ ${name}`,
    compat,
    baseline,
    `${note}. Size with nodejs_compat (Node built-ins left to workerd: a lower bound)`,
  );
}

export async function measureBundles() {
  const plain = await mustBundle("plain.js");
  const moda = await mustBundle("moda.js", { sources: true });
  const rows = [
    row("Worker calling OpenAI + Anthropic, untraced", plain, plain),
    row("+ moda-edge (withModa, wrapOpenAI, wrapAnthropic)", moda, plain),
    row("+ moda-edge (withModa, wrap() ×2: every provider's code)", await mustBundle("moda-wrap.js"), plain),
    row("+ moda-edge (withModa alone, clients unwrapped)", await mustBundle("moda-handler-only.js"), plain),
  ];
  for (const competitor of COMPETITORS) rows.push(await competitorRow(competitor, plain));
  const whatIf = [];
  for (const variant of WHAT_IF) {
    const baseline = variant.baseline ? await mustBundle(variant.baseline, variant.baselineOptions) : plain;
    whatIf.push(row(variant.name, await mustBundle(variant.entry, variant.options), baseline));
  }
  return {
    rows,
    whatIf,
    modaInputs: moda.inputs.slice(0, 8),
    modaFiles: moda.sources.filter(([path]) => path.startsWith("src/")),
    budget: { limit: MODA_BUNDLE_BUDGET_BYTES, measured: moda.gzipBytes - plain.gzipBytes },
  };
}
