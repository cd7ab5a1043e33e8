import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  // Source maps that point at the shipped src/ files rather than carry a copy of them (sourcesContent): stack
  // traces and debuggers still reach the TypeScript, and the package is not mostly maps.
  sourcemap: true,
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  clean: true,
  target: "es2022",
  platform: "neutral",
  treeshake: true,
  // wrangler bundles with keepNames, which keeps every function's name as a string: short names cost less in a
  // Worker (about 0.9 KiB gzip). The source maps give the names back; the exports keep theirs.
  minifyIdentifiers: true,
});
