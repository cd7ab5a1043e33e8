/**
 * A cross-check of worker-bundle.mjs by wrangler itself: `wrangler deploy --dry-run --minify` bundles a Worker
 * of bench/workers/ as a deploy would, writes it without uploading, and prints its size as the dashboard counts
 * it. wrangler 4.86.0 is pinned in bench/package.json: the last release that runs on Node 20.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { MODA_DIST, ROOT, WORKERS_DIR } from "./worker-bundle.mjs";
import { COMPATIBILITY_DATE } from "./workerd.mjs";

const WRANGLER_BIN = `${ROOT}bench/node_modules/.bin/wrangler`;
const TIMEOUT_MS = 180_000;
/** "Total Upload: 619.94 KiB / gzip: 150.95 KiB" */
const SIZE_LINE = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/;

function run(args, env) {
  return new Promise((resolve) => {
    execFile(WRANGLER_BIN, args, { env, timeout: TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ error, output: `${stdout}\n${stderr}` }),
    );
  });
}

/**
 * Bundles `entry` (a file of bench/workers/) with wrangler. Resolves to `{ ok: true, version, kib, gzipKib,
 * gzipBytes }` (wrangler's figures, and `gzipBytes` of its output as worker-bundle.mjs counts bytes) or
 * `{ ok: false, error }`; never rejects.
 */
export async function bundleWithWrangler(entry) {
  const dir = mkdtempSync(join(tmpdir(), "moda-bench-wrangler-"));
  try {
    const config = {
      name: "moda-bench",
      main: `${WORKERS_DIR}${entry}`,
      compatibility_date: COMPATIBILITY_DATE,
      alias: { "moda-edge": MODA_DIST },
    };
    writeFileSync(join(dir, "wrangler.json"), JSON.stringify(config));
    const outdir = join(dir, "out");
    const env = { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_LOG_PATH: join(dir, "logs") };
    const args = ["deploy", "--dry-run", "--minify", "--outdir", outdir, "--config", join(dir, "wrangler.json")];
    const { error, output } = await run(args, env);
    const size = output.match(SIZE_LINE);
    if (error || !size) return { ok: false, error: (error?.message ?? output).trim().slice(0, 300) };
    const bundle = readdirSync(outdir).find((name) => name.endsWith(".js"));
    return {
      ok: true,
      version: output.match(/wrangler (\d+\.\d+\.\d+)/)?.[1] ?? "unknown",
      kib: Number(size[1]),
      gzipKib: Number(size[2]),
      gzipBytes: gzipSync(readFileSync(join(outdir, bundle))).byteLength,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
