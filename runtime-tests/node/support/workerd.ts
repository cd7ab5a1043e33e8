/**
 * A Worker run the way a user deploys it: bundled with wrangler's esbuild settings (browser platform, the
 * `workerd`, `worker` and `browser` conditions) and started in workerd with no compatibility flag at all. The
 * vitest workerd pool turns on `nodejs_compat` for its own runner, so these tests start workerd themselves.
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";

const root = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * Bundles Worker source whose imports resolve from the repository root (and the SDKs only the suites install,
 * from test/node_modules), as `wrangler deploy` would.
 */
export async function bundleLikeWrangler(source: string, options: { minify?: boolean } = {}): Promise<string> {
  const bundle = await build({
    stdin: { contents: source, resolveDir: root, loader: "js" },
    nodePaths: [`${root}test/node_modules`],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    minify: options.minify ?? false,
    logLevel: "silent",
  });
  return bundle.outputFiles[0]?.text ?? "";
}

/**
 * Starts the bundled Worker in workerd with no compatibility flags; dispose the result when done. The default
 * date is the last before `nodejs_compat` became the default (2026-08-04): a Worker with no Node APIs at all.
 */
export async function startWithoutFlags(
  source: string,
  bindings: Record<string, string>,
  onLog?: (message: string) => void,
  compatibilityDate = "2026-08-01",
): Promise<Miniflare> {
  return new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: await bundleLikeWrangler(source),
      compatibilityDate,
      compatibilityFlags: [],
      bindings,
      ...(onLog ? { handleStructuredLogs: (log: { message: string }) => onLog(log.message) } : {}),
    }),
  );
}
