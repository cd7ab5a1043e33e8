import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const shared = ["test/**/*.test.ts"];

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          environment: "node",
          include: [...shared, "runtime-tests/node/**/*.test.ts", "bench/test/**/*.test.ts"],
        },
      },
      { extends: true, test: { name: "edge", environment: "edge-runtime", include: shared } },
      {
        extends: true,
        plugins: [
          cloudflareTest({
            miniflare: { compatibilityDate: "2026-08-01", compatibilityFlags: [] },
          }),
        ],
        test: { name: "workerd", include: [...shared, "runtime-tests/workerd/**/*.test.ts"] },
      },
    ],
  },
});
