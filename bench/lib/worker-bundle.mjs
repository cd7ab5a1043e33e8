/**
 * Bundles a Worker the way `wrangler deploy --minify` does (esbuild: ESM, platform "browser", conditions
 * workerd/worker/browser, target es2024, minified, names kept, NODE_ENV "production", no nodejs_compat) and
 * measures it as wrangler reports it: bytes, and bytes after `zlib.gzipSync` at its default level.
 * Shared by `npm run bench` and runtime-tests/node/bundle-size.test.ts, so the test and the table agree.
 */
import { builtinModules } from "node:module";
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { bytesBySource } from "./source-bytes.mjs";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const WORKERS_DIR = fileURLToPath(new URL("../workers/", import.meta.url));
/** The built package, as an application importing "moda-edge" gets it. */
export const MODA_DIST = `${ROOT}dist/index.js`;
/** The budget of issue 8: what moda-edge may add, gzipped, to a Worker using both wrappers (KiB, as wrangler counts). */
export const MODA_BUNDLE_BUDGET_BYTES = 15 * 1024;

const NODE_ENV = JSON.stringify("production");
/**
 * Packages an application has once: resolved from the repository root whichever node_modules the importer
 * sits in, as npm would hoist them (bench/ has its own tree for the competitors).
 */
const SHARED_PACKAGES = ["@opentelemetry/api", "openai", "@anthropic-ai/sdk"];
const NODE_BUILTINS = ["node:*", ...builtinModules.filter((name) => !name.startsWith("_"))];
const FROM_ROOT = Symbol("resolved from the repository root");
/** Where the bundle would be written (it is not): source map paths are relative to it. */
const OUT_FILE = `${ROOT}bench/.bundle/worker.js`;

/** Resolves `import "moda-edge"` to the built dist/, and each package of SHARED_PACKAGES from the root. */
function resolvePlugin() {
  return {
    name: "bench-resolve",
    setup(builder) {
      builder.onResolve({ filter: /.*/ }, (args) => {
        if (args.pluginData === FROM_ROOT) return undefined;
        if (args.path === "moda-edge") return { path: MODA_DIST };
        if (!SHARED_PACKAGES.some((name) => args.path === name || args.path.startsWith(`${name}/`))) return undefined;
        return builder.resolve(args.path, { kind: args.kind, resolveDir: ROOT, pluginData: FROM_ROOT });
      });
    },
  };
}

/**
 * Bundles `entry`: a file in bench/workers/, an absolute path, or `{ contents }` (source resolved from
 * bench/workers/). `nodeCompat` leaves Node's built-in modules to the runtime, as wrangler does with the
 * `nodejs_compat` flag (without its polyfills, so the size is a lower bound); `sources` follows the source maps
 * (dist/'s included) to count the bytes of each original file.
 * Resolves to `{ ok: true, bytes, gzipBytes, code, inputs, sources? }` or `{ ok: false, errors }` with esbuild's
 * messages; never rejects on a build error.
 */
export async function bundleWorker(entry, { nodeCompat = false, sources = false } = {}) {
  const source =
    typeof entry === "string"
      ? { entryPoints: [entry.startsWith("/") ? entry : `${WORKERS_DIR}${entry}`] }
      : { stdin: { contents: entry.contents, resolveDir: WORKERS_DIR, loader: "js", sourcefile: "entry.js" } };
  try {
    const result = await build({
      ...source,
      bundle: true,
      write: false,
      format: "esm",
      target: "es2024",
      supported: { "import-source": true, using: true },
      platform: "browser",
      conditions: ["workerd", "worker", "browser"],
      minify: true,
      keepNames: true,
      metafile: true,
      ...(sources ? { sourcemap: "external", outfile: OUT_FILE } : {}),
      define: {
        "process.env.NODE_ENV": NODE_ENV,
        "global.process.env.NODE_ENV": NODE_ENV,
        "globalThis.process.env.NODE_ENV": NODE_ENV,
      },
      external: ["__STATIC_CONTENT_MANIFEST", "cloudflare:*", ...(nodeCompat ? NODE_BUILTINS : [])],
      plugins: [resolvePlugin()],
      logLevel: "silent",
    });
    const output = result.outputFiles.find((file) => !file.path.endsWith(".map"));
    const map = result.outputFiles.find((file) => file.path.endsWith(".map"));
    return {
      ok: true,
      bytes: output.contents.byteLength,
      gzipBytes: gzipSync(output.contents).byteLength,
      code: output.text,
      inputs: inputBytes(result.metafile),
      ...(map ? { sources: sourceBytes(output.text, JSON.parse(map.text)) } : {}),
    };
  } catch (error) {
    return { ok: false, errors: (error.errors ?? [{ text: String(error) }]).map(describeMessage) };
  }
}

/** Output bytes contributed by each package (minified, before gzip), largest first. */
function inputBytes(metafile) {
  const byPackage = new Map();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(path);
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...byPackage].sort((a, b) => b[1] - a[1]);
}

/** Output bytes of each original file (path from the repository root), largest first. */
function sourceBytes(code, map) {
  const bySource = bytesBySource(code, map);
  return [...bySource]
    .map(([source, bytes]) => [relative(ROOT, resolve(OUT_FILE, "..", source)), bytes])
    .sort((a, b) => b[1] - a[1]);
}

function packageOf(path) {
  const match = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/);
  if (match) return path.includes("/build/src/") || path.includes("/build/cjs/") ? `${match[1]} (CJS)` : match[1];
  if (path.includes("dist/index.js")) return "moda-edge";
  return "(worker)";
}

function describeMessage(message) {
  const where = message.location ? ` (${message.location.file}:${message.location.line})` : "";
  return `${message.text}${where}`;
}
