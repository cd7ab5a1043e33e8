/**
 * Bundle cost: the minimal Worker (one OpenAI and one Anthropic call) bundled as wrangler bundles it, untraced,
 * with moda-edge (built dist/: the budget's Worker with `wrapOpenAI` + `wrapAnthropic`, then the generic `wrap()`
 * and `withModa` alone, to show what each part costs), with @microlabs/otel-cf-workers, moda-ai and
 * @traceloop/node-server-sdk; then a Worker that calls OpenAI only, untraced and with moda-edge, where no SDK
 * brings `@opentelemetry/api`. Then the untraced and the budget's Worker again, bundled by wrangler itself, as
 * a check that worker-bundle.mjs counts what a deploy would.
 */
import { bundleWorker, MODA_BUNDLE_BUDGET_BYTES } from "../lib/worker-bundle.mjs";
import { bundleWithWrangler } from "../lib/wrangler-bundle.mjs";

const COMPETITORS = [
  { name: "@microlabs/otel-cf-workers", entry: "otel-cf-workers.js" },
  { name: "moda-ai", entry: "moda-ai.js" },
  { name: "@traceloop/node-server-sdk", entry: "traceloop.js" },
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
  const openAIOnlyPlain = await mustBundle("openai-only-plain.js");
  const openAIOnly = [
    row("Worker calling OpenAI, untraced", openAIOnlyPlain, openAIOnlyPlain),
    row("+ moda-edge (withModa, wrapOpenAI)", await mustBundle("openai-only-moda.js"), openAIOnlyPlain),
  ];
  return {
    rows,
    openAIOnly,
    wrangler: { plain: await bundleWithWrangler("plain.js"), moda: await bundleWithWrangler("moda.js") },
    modaInputs: moda.inputs.slice(0, 8),
    modaFiles: moda.sources.filter(([path]) => path.startsWith("src/")),
    budget: { limit: MODA_BUNDLE_BUDGET_BYTES, measured: moda.gzipBytes - plain.gzipBytes },
  };
}
