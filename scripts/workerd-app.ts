/**
 * An example Worker as `npm run demo` runs it: bundled as `wrangler deploy` bundles it (bench/lib/worker-bundle.mjs:
 * esbuild, the workerd conditions, moda-edge from dist/) and served by workerd through miniflare, both from the
 * root's install, with its wrangler.toml's date, flags and vars. No wrangler: the first command needs neither the
 * example's own install nor the Node 22 that the root's wrangler asks for. The example tests still run it under
 * `wrangler dev`, as its README says (scripts/examples.ts).
 */
import { join } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { bundleWorker } from "../bench/lib/worker-bundle.mjs";
import type { RunningApp } from "./app-process";
import { readWranglerToml } from "./wrangler-toml";

export interface WorkerdApp extends RunningApp {
  /** Runs the Worker's `scheduled` handler for `cron`, as a cron trigger would; resolves to the trigger's status. */
  scheduled(cron: string): Promise<number>;
}

export async function startWorkerdApp(
  dir: string,
  vars: Record<string, string>,
  config = "wrangler.toml",
): Promise<WorkerdApp> {
  const settings = readWranglerToml(join(dir, config));
  const bundle = await bundleWorker(join(dir, settings.main));
  if (!bundle.ok) throw new Error(`bundling ${join(dir, settings.main)} failed:\n${bundle.errors.join("\n")}`);
  let output = "";
  const miniflare = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: bundle.code,
      compatibilityDate: settings.compatibilityDate,
      compatibilityFlags: settings.compatibilityFlags,
      bindings: { ...settings.vars, ...vars },
      host: "127.0.0.1",
      port: 0,
      // Serves /cdn-cgi/local/scheduled, miniflare's cron trigger (wrangler dev's /__scheduled).
      unsafeTriggerHandlers: true,
      handleStructuredLogs: ({ message }) => {
        output += `${message}\n`;
      },
    }),
  );
  const url = await miniflare.ready;
  return {
    url: url.origin,
    output: () => output,
    stop: () => miniflare.dispose(),
    async scheduled(cron) {
      const trigger = await fetch(`${url.origin}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(cron)}`);
      await trigger.body?.cancel();
      return trigger.status;
    },
  };
}
