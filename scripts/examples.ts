/** The two example apps: where they are, starting them the way their READMEs say (scripts/package-folders.ts installs them). */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { exampleBin, type RunningApp, startApp } from "./app-process";
import { freePort } from "./free-port.mjs";
import { ROOT } from "./package-folders";

export const CF_WORKER_DIR = join(ROOT, "examples", "cf-worker");
export const VERCEL_EDGE_DIR = join(ROOT, "examples", "vercel-edge");

export interface CfWorkerOptions {
  vars: Record<string, string>;
  /** `wrangler.toml` (no compatibility flags) or `wrangler.als.toml` (nodejs_compat, AsyncLocalStorage). */
  config?: "wrangler.toml" | "wrangler.als.toml";
}

/** `wrangler dev` in local mode, telemetry off, with `/__scheduled` to trigger the cron handler. */
export async function startCfWorker({ vars, config = "wrangler.toml" }: CfWorkerOptions): Promise<RunningApp> {
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const varArgs = Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
  return startApp({
    cwd: CF_WORKER_DIR,
    command: exampleBin(CF_WORKER_DIR, "wrangler"),
    args: [
      "dev",
      "--config",
      config,
      "--local",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspectorPort),
      "--test-scheduled",
      "--show-interactive-dev-session=false",
      ...varArgs,
    ],
    env: { WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
    url: `http://127.0.0.1:${port}`,
    readyLine: /Ready on http/,
  });
}

/** `next build` of the Vercel example, as its README says; returns the seconds it took. */
export function buildNextApp(): number {
  const started = Date.now();
  try {
    execFileSync(exampleBin(VERCEL_EDGE_DIR, "next"), ["build"], {
      cwd: VERCEL_EDGE_DIR,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      stdio: "pipe",
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`next build failed:\n${stdout ?? ""}${stderr ?? ""}`);
  }
  return (Date.now() - started) / 1000;
}

/** `next start` of the built Vercel example; its edge routes read their keys and base URLs from `env`. */
export async function startNextApp(env: Record<string, string>): Promise<RunningApp> {
  const port = await freePort();
  return startApp({
    cwd: VERCEL_EDGE_DIR,
    command: exampleBin(VERCEL_EDGE_DIR, "next"),
    args: ["start", "--port", String(port), "--hostname", "127.0.0.1"],
    env: { ...env, NEXT_TELEMETRY_DISABLED: "1" },
    url: `http://127.0.0.1:${port}`,
    readyLine: /Ready in/,
  });
}
