/** `npx moda-edge dev` as a user runs it: the built command in a child process, on the port it picked and printed. */
import { join } from "node:path";
import { type RunningApp, startApp } from "./app-process";
import { ROOT } from "./examples";

export interface RunningDevTool extends RunningApp {
  /** The `MODA_BASE_URL` it printed. */
  tracesUrl: string;
}

const READY = /receiving OTLP traces at (http:\/\/\S+)\/v1\/traces/;

export async function startDevTool(args: string[] = [], env: Record<string, string> = {}): Promise<RunningDevTool> {
  const app = await startApp({
    cwd: ROOT,
    command: process.execPath,
    args: [join(ROOT, "dist", "cli", "moda-edge.js"), "dev", "--port", "0", ...args],
    env,
    url: (ready) => ready[1] as string,
    readyLine: READY,
    readyTimeoutMs: 20_000,
  });
  return { ...app, tracesUrl: `${app.url}/v1/traces` };
}
