/**
 * Runs bundled Workers in `workerd` (the runtime of Cloudflare Workers, as wrangler and miniflare run it
 * locally): one process, one isolate and one loopback port per Worker, outbound fetch allowed to loopback. And
 * a measurement's Worker, bundled from its source, run alone.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import workerdModule from "workerd";
import { freePort } from "../../scripts/free-port.mjs";
import { askWorker } from "./json-worker.mjs";
import { bundleWorker } from "./worker-bundle.mjs";

const workerdPackage = workerdModule.default ?? workerdModule;
export const WORKERD_BIN = workerdPackage.default ?? workerdPackage;
export const COMPATIBILITY_DATE = "2026-08-01";
const READY_TIMEOUT_MS = 20_000;

function capnpString(value) {
  return JSON.stringify(String(value));
}

function workerConfig(worker, index) {
  const bindings = Object.entries(worker.env ?? {})
    .map(([name, value]) => `(name = ${capnpString(name)}, text = ${capnpString(value)})`)
    .join(", ");
  const flags = (worker.compatibilityFlags ?? []).map(capnpString).join(", ");
  return `const worker${index} :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker${index}.js") ],
  compatibilityDate = ${capnpString(COMPATIBILITY_DATE)},
  compatibilityFlags = [ ${flags} ],
  bindings = [ ${bindings} ],
  globalOutbound = "internet",
);`;
}

function config(workers) {
  const services = workers.map((w, i) => `(name = ${capnpString(w.name)}, worker = .worker${i})`);
  const sockets = workers.map(
    (w) =>
      `(name = ${capnpString(w.name)}, address = "127.0.0.1:${w.port}", http = (), service = ${capnpString(w.name)})`,
  );
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    ${services.join(",\n    ")},
    (name = "internet", network = (allow = ["public", "private", "local"], tlsOptions = (trustBrowserCas = true))),
  ],
  sockets = [ ${sockets.join(",\n    ")} ],
);
${workers.map(workerConfig).join("\n")}
`;
}

async function waitUntilServing(url, child, output) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`workerd exited (${child.exitCode}):\n${output.join("")}`);
    try {
      await fetch(url, { method: "HEAD" });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`workerd did not answer within ${READY_TIMEOUT_MS} ms:\n${output.join("")}`);
}

/**
 * Starts workerd serving `workers` (`{ name, code, env?, compatibilityFlags? }`); resolves to
 * `{ urls: { [name]: baseUrl }, pid, output, stop() }` once every Worker answers.
 */
export async function startWorkerd(workers) {
  const dir = mkdtempSync(join(tmpdir(), "moda-bench-workerd-"));
  const placed = [];
  for (const [i, worker] of workers.entries()) {
    writeFileSync(join(dir, `worker${i}.js`), worker.code);
    placed.push({ ...worker, port: await freePort() });
  }
  writeFileSync(join(dir, "config.capnp"), config(placed));
  const child = spawn(WORKERD_BIN, ["serve", join(dir, "config.capnp"), "--verbose"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = [];
  child.stdout.on("data", (data) => output.push(String(data)));
  child.stderr.on("data", (data) => output.push(String(data)));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const urls = Object.fromEntries(placed.map((w) => [w.name, `http://127.0.0.1:${w.port}`]));
  try {
    for (const url of Object.values(urls)) await waitUntilServing(url, child, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { urls, pid: child.pid, output, stop };
}

/**
 * Bundles `entry` (a Worker's source, its imports resolved from bench/workers/) the way wrangler does, serves it
 * alone in a workerd of its own, and resolves to what `measure({ url, pid })` resolves to (the Worker's base URL,
 * the workerd process), or to `{ error }` when it does not bundle, start or answer; never rejects.
 */
export async function inOwnWorkerd(entry, measure, { compatibilityFlags = [] } = {}) {
  const bundle = await bundleWorker({ contents: entry }, { nodeCompat: compatibilityFlags.length > 0 });
  if (!bundle.ok) return { error: `does not bundle: ${bundle.errors.slice(0, 3).join("; ")}` };
  let workerd;
  try {
    workerd = await startWorkerd([{ name: "measured", code: bundle.code, compatibilityFlags }]);
    return await measure({ url: workerd.urls.measured, pid: workerd.pid });
  } catch (error) {
    return { error: String(error.message ?? error).slice(0, 500) };
  } finally {
    await workerd?.stop();
  }
}

/** `inOwnWorkerd`, asking its `jsonWorker` to measure once with `options`: resolves to the JSON, or to `{ error }`. */
export function measureInOwnWorkerd(entry, options, workerdOptions) {
  return inOwnWorkerd(entry, ({ url }) => askWorker(url, options), workerdOptions);
}

/**
 * `measureInOwnWorkerd` for a measurement of bench/lib/: a Worker that answers with `exported(options)` from
 * `module`, the Worker's own exports going to the in-process sink.
 */
export function measureLibInOwnWorkerd(module, exported, options) {
  const entry = `
import { jsonWorker } from "../lib/json-worker.mjs";
import { sinkFetch } from "../lib/sink.mjs";
import { ${exported} } from "../lib/${module}";
export default jsonWorker((options) => {
  globalThis.fetch = sinkFetch;
  return ${exported}(options);
});`;
  return measureInOwnWorkerd(entry, options);
}
