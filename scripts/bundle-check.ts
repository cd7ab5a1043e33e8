/**
 * Bundles the cf-worker example (wrangler.toml, no compatibility flags) as `wrangler deploy --dry-run --outdir`
 * does, once as it is and once with moda-edge replaced by a stub, and reports the `node:` imports of the
 * bundle and the size moda-edge adds. Run: `npx tsx scripts/bundle-check.ts`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { exampleBin } from "./app-process";
import { CF_WORKER_DIR } from "./examples";
import { readWranglerToml } from "./wrangler-toml";

const STUB = fileURLToPath(new URL("./bundle-stub/moda-edge.ts", import.meta.url));

export interface Bundle {
  bytes: number;
  gzipBytes: number;
  /** Imports the bundle leaves to the runtime, as esbuild's metafile lists them. */
  externalImports: string[];
}

export interface BundleReport {
  minify: boolean;
  withModa: Bundle;
  withoutModa: Bundle;
}

interface Metafile {
  outputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
}

/**
 * The example's config with moda-edge aliased to the stub. (`wrangler deploy --alias` is ignored by the
 * pinned wrangler, so the alias goes into a config file.)
 */
function stubbedConfig(dir: string): string {
  const { name, main, compatibilityDate } = readWranglerToml(join(CF_WORKER_DIR, "wrangler.toml"));
  const config = {
    name,
    main: join(CF_WORKER_DIR, main),
    compatibility_date: compatibilityDate,
    alias: { "moda-edge": STUB },
  };
  const path = join(dir, "wrangler.json");
  writeFileSync(path, JSON.stringify(config));
  return path;
}

function bundle(minify: boolean, stubbed: boolean): Bundle {
  const outdir = mkdtempSync(join(tmpdir(), "moda-edge-bundle-"));
  try {
    const args = ["deploy", "--dry-run", "--outdir", join(outdir, "out"), "--metafile", join(outdir, "meta.json")];
    if (minify) args.push("--minify");
    if (stubbed) args.push("--config", stubbedConfig(outdir));
    execFileSync(exampleBin(CF_WORKER_DIR, "wrangler"), args, {
      cwd: CF_WORKER_DIR,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
      stdio: "pipe",
    });
    const code = readFileSync(join(outdir, "out", "index.js"));
    const meta = JSON.parse(readFileSync(join(outdir, "meta.json"), "utf8")) as Metafile;
    const externalImports = Object.values(meta.outputs).flatMap((output) => output.imports.map((i) => i.path));
    return { bytes: code.length, gzipBytes: gzipSync(code).length, externalImports };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export function checkBundle(minify: boolean): BundleReport {
  return { minify, withModa: bundle(minify, false), withoutModa: bundle(minify, true) };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export function describeReport({ minify, withModa, withoutModa }: BundleReport): string {
  const added = withModa.bytes - withoutModa.bytes;
  const addedGzip = withModa.gzipBytes - withoutModa.gzipBytes;
  return [
    `cf-worker bundle${minify ? " (--minify)" : ""}: ${kib(withModa.bytes)} (gzip ${kib(withModa.gzipBytes)}); `,
    `without moda-edge ${kib(withoutModa.bytes)} (gzip ${kib(withoutModa.gzipBytes)}); `,
    `moda-edge adds ${kib(added)} (gzip ${kib(addedGzip)}); `,
    `node: imports: ${withModa.externalImports.filter((p) => p.startsWith("node:")).join(", ") || "none"}`,
  ].join("");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const minify of [false, true]) console.log(describeReport(checkBundle(minify)));
}
