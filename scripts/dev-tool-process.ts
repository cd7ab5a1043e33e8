/**
 * `npx moda-edge dev` as a user runs it in their project: the package's bin, as npm linked it into an example's
 * node_modules/.bin, in a child process on the port it picked and printed.
 */
import { exampleBin, type RunningApp, startApp } from "./app-process";

export interface RunningDevTool extends RunningApp {
  /** The `MODA_BASE_URL` it printed. */
  tracesUrl: string;
}

const READY = /receiving OTLP traces at (http:\/\/\S+)\/v1\/traces/;

export async function startDevTool(
  projectDir: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<RunningDevTool> {
  const app = await startApp({
    cwd: projectDir,
    command: exampleBin(projectDir, "moda-edge"),
    args: ["dev", "--port", "0", ...args],
    env,
    url: (ready) => ready[1] as string,
    readyLine: READY,
    readyTimeoutMs: 20_000,
  });
  return { ...app, tracesUrl: `${app.url}/v1/traces` };
}
