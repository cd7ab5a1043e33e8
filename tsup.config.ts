import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
  treeshake: true,
  // wrangler bundles with keepNames, which keeps every function's name as a string: short names cost less in a
  // Worker (about 0.9 KiB gzip). The source maps give the names back; the exports keep theirs.
  minifyIdentifiers: true,
});
