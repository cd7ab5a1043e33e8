import { defineConfig } from "vitest/config";

/**
 * The example apps, started as their READMEs say (wrangler dev; next build + next start) and driven over
 * HTTP. Slow, so kept out of the three-runtime projects: `npm run test:examples`, run by `npm test` after them.
 */
export default defineConfig({
  test: {
    include: ["runtime-tests/examples/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
