import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    // Source maps that point at the shipped src/ files rather than carry a copy of them (sourcesContent): stack
    // traces and debuggers still reach the TypeScript, and the package is not mostly maps.
    sourcemap: true,
    esbuildOptions(options) {
      options.sourcesContent = false;
    },
    // dist/cli/ is the dev tool's, built by the entries below.
    clean: ["!cli/**"],
    target: "es2022",
    platform: "neutral",
    treeshake: true,
    // wrangler bundles with keepNames, which keeps every function's name as a string: short names cost less in a
    // Worker (about 0.9 KiB gzip). The source maps give the names back; the exports keep theirs.
    minifyIdentifiers: true,
  },
  // `npx moda-edge dev` (cli/): Node only, never imported by the library. Its decoder (protobufjs, long) is bundled
  // in, so that the package keeps its one dependency.
  {
    entry: { "moda-edge": "cli/moda-edge.ts" },
    outDir: "dist/cli",
    format: ["esm"],
    platform: "node",
    target: "node20",
    clean: ["!page/**"],
  },
  // The dev tool's page: one script and one stylesheet, served by the tool (no CDN, works offline).
  {
    entry: { page: "cli/page/main.ts" },
    outDir: "dist/cli/page",
    format: ["iife"],
    platform: "browser",
    target: "es2022",
    clean: true,
    outExtension: () => ({ js: ".js" }),
  },
]);
