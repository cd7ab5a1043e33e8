/**
 * Test Workers run in workerd as a user deploys them: bundled as wrangler bundles (browser platform, the
 * `workerd`, `worker` and `browser` conditions, `cloudflare:` and `node:` left to the runtime) and started with
 * Miniflare, on either side of 2026-08-04 (Node APIs on by default from then; the explicit flag is refused).
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { afterAll, beforeAll } from "vitest";
import { newSink, type Sink } from "../../../test/support/receiver-client";

/** Before 2026-08-04, with no flag: no Node APIs, no AsyncLocalStorage. */
export const DATE_BEFORE = "2026-08-01";
/** After it, with no flag: Node APIs (AsyncLocalStorage among them) by default. */
export const DATE_AFTER = "2026-08-20";
export const BOTH_SIDES = [DATE_BEFORE, DATE_AFTER] as const;

export async function bundleWorker(entry: string): Promise<string> {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL(`../workers/${entry}`, import.meta.url))],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    external: ["cloudflare:*", "node:*"],
    keepNames: true,
    logLevel: "silent",
  });
  return bundle.outputFiles[0]?.text ?? "";
}

/** Miniflare's own options (its v4 shape) besides the script and the date. */
export type WorkerOptions = Record<string, unknown>;

/** Starts a bundled Worker with a compatibility date and no flags; dispose the result when done. */
export async function startWorker(entry: string, date: string, options: WorkerOptions): Promise<Miniflare> {
  const miniflare = new Miniflare(
    convertV4MiniflareOptions({
      name: "main",
      modules: true,
      script: await bundleWorker(entry),
      compatibilityDate: date,
      compatibilityFlags: [],
      ...options,
    }),
  );
  await miniflare.ready;
  return miniflare;
}

export interface RunningWorker {
  worker: Miniflare;
  sink: Sink;
}

/**
 * The Worker `entry`, started for the describe block (or file) this is called in with a sink of its own, and
 * disposed of after it. `options` gets the sink's traces URL.
 */
export function workerFor(entry: string, date: string, options: (tracesUrl: string) => WorkerOptions): RunningWorker {
  const running = {} as RunningWorker;
  beforeAll(async () => {
    running.sink = newSink();
    running.worker = await startWorker(entry, date, options(running.sink.url));
  });
  afterAll(() => running.worker?.dispose());
  return running;
}
