import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { configDefaults, defineConfig } from "vitest/config";

const SHARED = ["test/**/*.test.ts"];
/** Suites that read the source tree: Node only. */
const NODE_ONLY = [...configDefaults.exclude, "test/architecture/**"];
/**
 * Issue 23's concurrency matrix runs in Node and workerd; the edge project is Node with edge globals, where its
 * 2,400 requests would add time and nothing else (test/core/async-context.test.ts covers discovery there).
 */
const NOT_EDGE = [...NODE_ONLY, "test/handler/request-attribution.test.ts"];
const GOOGLE_SUITES = ["test/providers/google/*.test.ts"];
const GOOGLE_GENAI_3 = [{ find: /^@google\/genai$/, replacement: "google-genai-v3" }];
/** The Gemini API version the SDK under test calls: a check that the alias is in effect. */
const GOOGLE_GENAI_3_API = { geminiApiVersion: "v1" };
const WORKERD = { compatibilityDate: "2026-08-01", compatibilityFlags: [] };

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 20_000,
    provide: { geminiApiVersion: "v1beta" },
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          environment: "node",
          include: [
            ...SHARED,
            "runtime-tests/{node,bun,deno}/**/*.test.ts",
            "bench/test/**/*.test.ts",
            "scripts/**/*.test.ts",
          ],
        },
      },
      { extends: true, test: { name: "edge", environment: "edge-runtime", include: SHARED, exclude: NOT_EDGE } },
      {
        extends: true,
        plugins: [
          cloudflareTest({
            miniflare: WORKERD,
          }),
        ],
        test: { name: "workerd", include: [...SHARED, "runtime-tests/workerd/**/*.test.ts"], exclude: NODE_ONLY },
      },
      // The Google suites again on @google/genai 3, the newest major (it asks for Node 22 and runs on 20), through
      // its Node build and, in workerd, its web build.
      {
        extends: true,
        resolve: { alias: GOOGLE_GENAI_3 },
        test: {
          name: "node, @google/genai 3",
          environment: "node",
          include: GOOGLE_SUITES,
          provide: GOOGLE_GENAI_3_API,
        },
      },
      {
        extends: true,
        resolve: { alias: GOOGLE_GENAI_3 },
        plugins: [cloudflareTest({ miniflare: WORKERD })],
        test: { name: "workerd, @google/genai 3", include: GOOGLE_SUITES, provide: GOOGLE_GENAI_3_API },
      },
    ],
  },
});
