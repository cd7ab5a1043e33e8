import { existsSync } from "node:fs";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import type { RemoteProxyConnectionString } from "miniflare";
import { configDefaults, defineConfig } from "vitest/config";

// The suites import SDKs that only test/package.json installs (docs/testing.md).
if (!existsSync(new URL("./test/node_modules/.package-lock.json", import.meta.url))) {
  throw new Error("test/node_modules is missing: run `npm run test:install` (npm test runs it first)");
}

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
/** Both sides of 2026-08-04, from which Node APIs are on by default and the explicit flag is refused; no flags. */
const WORKERD = { compatibilityDate: "2026-08-01", compatibilityFlags: [] };
const WORKERD_CURRENT = { compatibilityDate: "2026-08-20", compatibilityFlags: [] };
/**
 * The suites whose code paths a compatibility date changes (the handlers, the context and scopes, the export,
 * config): run on the later date too. The provider suites wrap SDKs the same way on any date, and stay on one.
 */
const DATE_SENSITIVE = ["test/{handler,core,export,config,entities,integrations}/**/*.test.ts"];

/**
 * The Worker runtime of the workerd projects. `verbose: false`: workerd would log "uncaught exception … Network
 * connection lost." for every fetch whose connection the export tests drop on purpose, handled or not.
 * `env.AI` is workerd's own AI binding, its remote service the mock of test/support/mock-workers-ai.ts (whose
 * port global-setup.ts provides, hence a function of `inject`).
 */
const workerdPool = (miniflare: typeof WORKERD) =>
  cloudflareTest(({ inject }) => ({
    miniflare: {
      ...miniflare,
      ai: {
        binding: "AI",
        remoteProxyConnectionString: new URL(inject("workersAiUrl")) as RemoteProxyConnectionString,
      },
    },
    verbose: false,
  }));

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 20_000,
    // Notices that are not failures, kept out of the log: the AWS SDK's that its releases from 2027 need Node 22
    // (the suites run on Node 20 on purpose), and Node's when a test handles, late and on purpose, a rejection it
    // let go unhandled (the promise contract: unhandled exactly when the caller leaves it unhandled).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    execArgv: ["--disable-warning=PromiseRejectionHandledWarning"],
    provide: { geminiApiVersion: "v1beta" },
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          environment: "node",
          include: [
            ...SHARED,
            "runtime-tests/{node,bun,deno,cloudflare,lambda}/**/*.test.ts",
            "bench/test/**/*.test.ts",
            "scripts/**/*.test.ts",
            "cli/test/**/*.test.ts",
          ],
        },
      },
      { extends: true, test: { name: "edge", environment: "edge-runtime", include: SHARED, exclude: NOT_EDGE } },
      {
        extends: true,
        plugins: [workerdPool(WORKERD)],
        test: { name: "workerd", include: [...SHARED, "runtime-tests/workerd/**/*.test.ts"], exclude: NODE_ONLY },
      },
      {
        extends: true,
        plugins: [workerdPool(WORKERD_CURRENT)],
        test: { name: "workerd, 2026-08-20", include: [...DATE_SENSITIVE, "runtime-tests/workerd/**/*.test.ts"] },
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
        plugins: [workerdPool(WORKERD)],
        test: { name: "workerd, @google/genai 3", include: GOOGLE_SUITES, provide: GOOGLE_GENAI_3_API },
      },
    ],
  },
});
