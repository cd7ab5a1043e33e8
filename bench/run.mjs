/**
 * `npm run bench`: what moda-edge costs — bundle bytes, CPU per call, export and CPU per request with it, response
 * latency and handler time per request, memory — side by side with the alternatives. Prints the report and writes
 * BENCHMARKS.md (full runs only).
 * Flags: --check (exit 1 when a budget is missed), --quick (fewer rounds, for trying the bench out),
 * --only=bundle,percall,export,latency,memory,tracestate,sizes (a subset; BENCHMARKS.md is then left alone).
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { combineRowRuns, combineRuns, ratioOverRuns } from "./lib/repeated-runs.mjs";
import { renderReport } from "./lib/report.mjs";
import { MODA_DIST, ROOT } from "./lib/worker-bundle.mjs";
import { measureBundles } from "./sections/bundle.mjs";
import { measureLargeValuesInWorkerd } from "./sections/large-values-workerd.mjs";
import { measureLatency } from "./sections/latency.mjs";
import { measureInWorkerd } from "./sections/percall-workerd.mjs";
import { measureRequestCpuInWorkerd } from "./sections/request-cpu-workerd.mjs";
import { measureRequestOverheadInWorkerd } from "./sections/request-overhead-workerd.mjs";
import { measureTracestateInWorkerd } from "./sections/tracestate-workerd.mjs";

const BENCH = fileURLToPath(new URL("./", import.meta.url));
const SECTIONS = ["bundle", "percall", "export", "latency", "memory", "tracestate", "sizes"];
const CHAT_RATIO_BUDGET = 1.1;
/** Issue 24: what a 128 KB `tracestate` may add to a request. */
const TRACESTATE_BUDGET_US = 2_000;
const CHUNK_RATIO_BUDGET = 1.03;
/** Issue 27: what tracing adds to a request with one LLM call, over what the floor adds (workerd; Node). */
const FLOOR_RATIO_BUDGET = 1.5;
/** Issue 27: a request with no LLM activity, default options (nothing exported), against the untraced one. */
const NO_LLM_RATIO_BUDGET = 1.05;

const args = process.argv.slice(2);
const check = args.includes("--check");
const quick = args.includes("--quick");
const only = args
  .find((arg) => arg.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
const selected = only ?? SECTIONS;
const unknown = selected.filter((name) => !SECTIONS.includes(name));
if (unknown.length > 0) throw new Error(`unknown section(s) ${unknown.join(", ")}; known: ${SECTIONS.join(", ")}`);

/**
 * Per-call rounds are long (a chat round is 1,000 calls, about 100 ms): a young-generation GC pauses for 2–3 ms,
 * and with 100-call rounds one fell in about a third of them, so that a round's ratio said more about where a GC
 * fell than about the tracer. Long rounds each take their share of the GCs, and workerd's whole-millisecond clock
 * is 1 % of one.
 */
const SETTINGS = quick
  ? {
      rounds: 5,
      perCallRuns: 1,
      calls: { chat: 200, stream: 2 },
      exportRepeats: 5,
      memoryRepeats: 2,
      latencyRequests: 15,
      requestOverhead: { rounds: 3, requests: { 0: 400, 1: 100 } },
      requestCpu: { rounds: 3, requests: { 0: 100, 1: 50 } },
      tracestate: { rounds: 3, requests: 20 },
      largeValues: { runs: 3, warmup: 1 },
    }
  : {
      rounds: 11,
      perCallRuns: 3,
      calls: { chat: 1000, stream: 10 },
      exportRepeats: 15,
      memoryRepeats: 5,
      latencyRequests: 40,
      requestOverhead: { rounds: 11, requests: { 0: 2000, 1: 500 } },
      requestCpu: { rounds: 11, requests: { 0: 400, 1: 200 } },
      tracestate: { rounds: 11, requests: 100 },
      largeValues: { runs: 9, warmup: 2 },
    };

const NODE_TRACERS = [
  ["moda-edge wrap()", "moda"],
  ["LangSmith wrapOpenAI", "langsmith"],
  ["Braintrust wrapOpenAI", "braintrust"],
  ["Sentry instrumentOpenAiClient (@sentry/node)", "sentry-node"],
];
const WORKERD_TRACERS = [
  ["moda-edge wrap()", { file: "moda" }],
  ["LangSmith wrapOpenAI", { file: "langsmith", compatibilityFlags: ["nodejs_compat"] }],
  ["Braintrust wrapOpenAI", { file: "braintrust" }],
  [
    "Sentry instrumentOpenAiClient (@sentry/cloudflare)",
    { file: "sentry-cloudflare", compatibilityFlags: ["nodejs_compat"] },
  ],
];

function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Runs bench/sections/<section>.mjs's `run(...args)` in a Node process of its own; resolves to its JSON. */
function runChild(section, childArgs, nodeFlags = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, "sections/child.mjs", section, ...childArgs], {
      cwd: BENCH,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data) => {
      stdout += data;
    });
    child.stderr.on("data", (data) => {
      stderr += data;
    });
    child.on("exit", (code) => {
      const last = stdout.trim().split("\n").at(-1) ?? "";
      if (code === 0 && (last.startsWith("{") || last.startsWith("["))) return resolve(JSON.parse(last));
      reject(new Error(`${section} ${childArgs.join(" ")} exited ${code}: ${(stderr || stdout).slice(-800)}`));
    });
  });
}

/**
 * Runs `measureOnce(run)` SETTINGS.perCallRuns times, resolving each time to `{ [label]: result }`, and combines
 * each label's results. Runs follow one another whole (every tracer, then every tracer again), so that drift on
 * the machine falls on every tracer alike.
 */
async function repeatedPerCall(measureOnce) {
  const byLabel = {};
  for (let run = 1; run <= SETTINGS.perCallRuns; run++) {
    for (const [label, result] of Object.entries(await measureOnce(run))) {
      byLabel[label] ??= [];
      byLabel[label].push(result);
    }
  }
  return Object.fromEntries(Object.entries(byLabel).map(([label, runs]) => [label, combineRuns(runs)]));
}

function perCallInNode() {
  const options = JSON.stringify({ rounds: SETTINGS.rounds, calls: SETTINGS.calls });
  return repeatedPerCall(async (run) => {
    const results = {};
    for (const [label, file] of NODE_TRACERS) {
      log(`per-call, Node, run ${run} of ${SETTINGS.perCallRuns}: ${label}`);
      try {
        results[label] = await runChild("percall-node", [file, options]);
      } catch (error) {
        results[label] = { error: error.message };
      }
    }
    return results;
  });
}

function perCallInWorkerd() {
  const options = { rounds: SETTINGS.rounds, calls: SETTINGS.calls };
  return repeatedPerCall(async (run) => {
    log(`per-call, workerd, run ${run} of ${SETTINGS.perCallRuns}: every tracer in its own isolate`);
    const byFile = await measureInWorkerd(
      WORKERD_TRACERS.map(([, tracer]) => tracer),
      options,
    );
    return Object.fromEntries(
      WORKERD_TRACERS.map(([label, tracer]) => {
        const result = byFile[tracer.file];
        if (tracer.compatibilityFlags && !result.error) result.note = `needs ${tracer.compatibilityFlags.join(", ")}`;
        return [label, result];
      }),
    );
  });
}

async function requestOverhead() {
  const options = SETTINGS.requestOverhead;
  log("handler time per request, Node");
  const node = await runChild("request-overhead-node", [JSON.stringify(options)]);
  log("handler time per request, workerd");
  const workerd = await measureRequestOverheadInWorkerd(options);
  return { node, workerd, rounds: options.rounds };
}

/** Like the per-call section, in fresh processes SETTINGS.perCallRuns times: a process's JIT sets its figures apart. */
async function requestCpu() {
  const options = SETTINGS.requestCpu;
  const runs = { node: [], workerd: [] };
  for (let run = 1; run <= SETTINGS.perCallRuns; run++) {
    log(`CPU per request, export included, run ${run} of ${SETTINGS.perCallRuns}: Node, workerd`);
    runs.node.push(await runChild("request-cpu-node", [JSON.stringify(options)]));
    runs.workerd.push(await measureRequestCpuInWorkerd(options));
  }
  return {
    node: combineRowRuns(runs.node),
    workerd: combineRowRuns(runs.workerd),
    rounds: options.rounds,
    runs: SETTINGS.perCallRuns,
  };
}

function packageVersion(name) {
  for (const base of [`${BENCH}node_modules/`, `${ROOT}node_modules/`]) {
    const file = `${base}${name}/package.json`;
    if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")).version;
  }
  return "not installed";
}

function versions() {
  const names = [
    "openai",
    "@anthropic-ai/sdk",
    "esbuild",
    "wrangler",
    "workerd",
    "@microlabs/otel-cf-workers",
    "moda-ai",
    "@traceloop/node-server-sdk",
    "langsmith",
    "braintrust",
    "@sentry/node",
    "@sentry/cloudflare",
  ];
  return {
    "moda-edge": `${JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")).version} (dist/)`,
    node: process.version,
    ...Object.fromEntries(names.map((name) => [name, packageVersion(name)])),
  };
}

function machine() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpus: os.availableParallelism?.() ?? cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    load: os
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(" "),
  };
}

function modaResult(results) {
  const moda = results?.["moda-edge wrap()"];
  return moda && !moda.error ? moda : undefined;
}

const threeDigits = (value) => value.toFixed(3);

function budgetsOf(sections) {
  const budgets = [];
  if (sections.bundle) {
    const { limit, measured } = sections.bundle.budget;
    budgets.push({
      name: `bundle: moda-edge adds ≤ ${limit} B (15 KiB) gzip with both wrappers`,
      measured: `${measured} B`,
      pass: measured <= limit,
    });
  }
  for (const runtime of ["node", "workerd"]) {
    if (!sections.perCall) break;
    const moda = modaResult(sections.perCall[runtime]);
    const where = runtime === "node" ? "Node" : "workerd";
    budgets.push({
      name: `per call (${where}): wrapped/unwrapped ≤ ${CHAT_RATIO_BUDGET.toFixed(2)}, not streamed`,
      measured: moda ? ratioOverRuns(moda.chat, threeDigits, 3) : "no result",
      pass: !!moda && moda.chat.ratio <= CHAT_RATIO_BUDGET,
    });
    budgets.push({
      name: `per chunk (${where}): wrapped/unwrapped ≤ ${CHUNK_RATIO_BUDGET.toFixed(2)}, 2,000-chunk stream`,
      measured: moda ? ratioOverRuns(moda.stream, threeDigits, 3) : "no result",
      pass: !!moda && moda.stream.ratio <= CHUNK_RATIO_BUDGET,
    });
  }
  for (const runtime of ["node", "workerd"]) {
    const row = sections.tracestate?.[runtime];
    if (!row) break;
    budgets.push({
      name: `128 KB tracestate (${runtime === "node" ? "Node" : "workerd"}): adds ≤ ${TRACESTATE_BUDGET_US / 1000} ms per request`,
      measured: row.error ? "no result" : `${(row.addedUs / 1000).toFixed(3)} ms`,
      pass: !row.error && row.addedUs <= TRACESTATE_BUDGET_US,
    });
  }
  budgets.push(...requestCpuBudgets(sections.requestCpu));
  if (sections.latency) {
    const [untraced, ...traced] = sections.latency.rows;
    for (const row of traced.filter((r) => !r.diagnostic)) {
      const difference = row.medianMs - untraced.medianMs;
      const noise = Math.max(row.noiseMs, untraced.noiseMs);
      budgets.push({
        name: `latency, ${row.name}: median within the noise (½ IQR) of the untraced Worker's`,
        measured: `${difference >= 0 ? "+" : ""}${difference.toFixed(2)} ms (noise ${noise.toFixed(2)} ms)`,
        pass: difference <= noise,
      });
    }
  }
  if (sections.largeValues) budgets.push(...largeValueBudgets(sections.largeValues));
  return budgets;
}

/** Issue 27's budgets for the CPU per request, its export included: against the floor, and with nothing to export. */
function requestCpuBudgets(requestCpu) {
  if (!requestCpu) return [];
  const budgets = [];
  const iqr = (range) => (range ? ` (IQR ${range.map((value) => value.toFixed(2)).join("–")})` : "");
  for (const [runtime, where] of [
    ["workerd", "workerd"],
    ["node", "Node"],
  ]) {
    const rows = Array.isArray(requestCpu[runtime]) ? requestCpu[runtime] : [];
    const one = rows.find((row) => row.calls === 1);
    budgets.push({
      name: `CPU per request (${where}), 1 LLM call, export included: added ≤ ${FLOOR_RATIO_BUDGET}× the floor's`,
      measured:
        one?.floorRatio === undefined ? "no result" : `${threeDigits(one.floorRatio)}×${iqr(one.floorRatioIqr)}`,
      pass: one?.floorRatio !== undefined && one.floorRatio <= FLOOR_RATIO_BUDGET,
    });
    if (runtime !== "workerd") continue;
    const none = rows.find((row) => row.calls === 0);
    budgets.push({
      name: `CPU per request (${where}), no LLM activity, nothing exported: ≤ ${NO_LLM_RATIO_BUDGET}× untraced`,
      measured: none ? `${threeDigits(none.ratio)}×${iqr(none.ratioIqr)}` : "no result",
      pass: !!none && none.ratio <= NO_LLM_RATIO_BUDGET,
    });
  }
  return budgets;
}

/** Issue 24's budgets for large values: CPU added on the request path, and spent on the export, per request. */
const LARGE_VALUE_BUDGETS = [
  ["conversation-10mb", "requestAddedMs", 50, "a 10 MB conversation adds ≤ 50 ms of CPU on the request path"],
  ["conversation-10mb", "exportMs", 250, "a 10 MB conversation's export takes ≤ 250 ms of CPU"],
  ["tool-2000-documents", "requestAddedMs", 20, "tool() given 2,000 × 1,000-char documents adds ≤ 20 ms"],
];
/** The credential scrub stays linear: its cost per MB on 10 MB within this factor of its cost on 1 MB: a 10 MB text leaves the
 * CPU caches, a quadratic cost would show as 10. */
const SCRUB_LINEARITY = 3;

function largeValueBudgets({ node, workerd }) {
  const budgets = [];
  for (const [where, result] of [
    ["Node", node],
    ["workerd", workerd],
  ]) {
    for (const [caseName, field, limit, name] of LARGE_VALUE_BUDGETS) {
      const row = result?.phases?.find((r) => r.case === caseName);
      budgets.push({
        name: `large values (${where}): ${name}`,
        measured: row ? `${row[field].toFixed(1)} ms` : (result?.error ?? "no result"),
        pass: !!row && row[field] <= limit,
      });
    }
  }
  const [, oneMb, tenMb] = node?.scrub ?? [];
  budgets.push({
    name: `credential scrub (Node): linear, ms per MB on 10 MB ≤ ${SCRUB_LINEARITY}× that on 1 MB`,
    measured: oneMb && tenMb ? `${tenMb.msPerMb.toFixed(2)} vs ${oneMb.msPerMb.toFixed(2)} ms/MB` : "no result",
    pass: !!oneMb && !!tenMb && tenMb.msPerMb <= SCRUB_LINEARITY * oneMb.msPerMb,
  });
  return budgets;
}

async function main() {
  if (!existsSync(MODA_DIST)) throw new Error("dist/ is missing: run `npm run build` first (`npm run bench` does)");
  const started = performance.now();
  const info = machine();
  const sections = {};
  if (selected.includes("bundle")) {
    log("bundle sizes");
    sections.bundle = await measureBundles();
  }
  if (selected.includes("percall"))
    sections.perCall = {
      node: await perCallInNode(),
      workerd: await perCallInWorkerd(),
      rounds: SETTINGS.rounds,
      runs: SETTINGS.perCallRuns,
      calls: SETTINGS.calls,
    };
  if (selected.includes("export")) {
    log("export cost");
    sections.exportCost = await runChild("export-cost", [String(SETTINGS.exportRepeats)]);
    sections.requestCpu = await requestCpu();
  }
  if (selected.includes("latency")) {
    log("response latency in workerd");
    sections.latency = await measureLatency({ requests: SETTINGS.latencyRequests });
    sections.requestOverhead = await requestOverhead();
  }
  if (selected.includes("sizes")) {
    log("large values: Node");
    const node = await runChild("large-values-node", [JSON.stringify(SETTINGS.largeValues)]);
    log("large values: workerd");
    const workerd = await measureLargeValuesInWorkerd(SETTINGS.largeValues);
    sections.largeValues = { node, workerd, ...SETTINGS.largeValues };
  }
  if (selected.includes("memory")) {
    log("memory");
    sections.memory = await runChild("memory", [String(SETTINGS.memoryRepeats)], ["--expose-gc"]);
  }
  if (selected.includes("tracestate")) {
    log("a 128 KB tracestate, Node and workerd");
    sections.tracestate = {
      node: await runChild("tracestate-node", [JSON.stringify(SETTINGS.tracestate)]),
      workerd: await measureTracestateInWorkerd(SETTINGS.tracestate),
      ...SETTINGS.tracestate,
    };
  }
  const budgets = budgetsOf(sections);
  info.loadAtEnd = machine().load;
  const report = renderReport({
    machine: info,
    versions: versions(),
    sections,
    budgets,
    durationS: (performance.now() - started) / 1000,
  });
  process.stdout.write(report);
  if (!only && !quick) {
    writeFileSync(`${ROOT}BENCHMARKS.md`, report);
    log("wrote BENCHMARKS.md");
  }
  const missed = budgets.filter((budget) => !budget.pass);
  if (missed.length > 0) log(`${missed.length} budget(s) missed: ${missed.map((b) => b.name).join("; ")}`);
  if (check && missed.length > 0) process.exitCode = 1;
}

await main();
