/** Starting an example app as a user would (a dev or production server in a child process), and stopping it. */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface RunningApp {
  url: string;
  /** Everything the app printed so far, stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

export interface AppCommand {
  cwd: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Where the app serves: known in advance, or read from its ready line (an app on a port the system picked). */
  url: string | ((readyLine: RegExpExecArray) => string);
  /** What the app prints once it serves requests (waiting for it sends no request, so no trace is made). */
  readyLine: RegExp;
  readyTimeoutMs?: number;
}

export async function startApp(app: AppCommand): Promise<RunningApp> {
  // Its own process group, so stopping it also stops what it started (wrangler runs workerd, next runs workers).
  const child = spawn(app.command, app.args, {
    cwd: app.cwd,
    env: { ...process.env, ...app.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const stop = () => stopProcessGroup(child, exited);
  try {
    const readyLine = await waitUntilReady(app, exited, () => output);
    const url = typeof app.url === "string" ? app.url : app.url(readyLine);
    return { url, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitUntilReady(
  app: AppCommand,
  exited: Promise<number | null>,
  output: () => string,
): Promise<RegExpExecArray> {
  const giveUpAt = Date.now() + (app.readyTimeoutMs ?? 120_000);
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  for (;;) {
    const readyLine = app.readyLine.exec(output());
    if (readyLine) return readyLine;
    if (exitCode !== undefined)
      throw new Error(`${app.command} exited with ${exitCode} before it was ready:\n${output()}`);
    if (Date.now() >= giveUpAt) throw new Error(`${app.command} not ready after waiting:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopProcessGroup(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // The group is gone already.
    }
  };
  signalGroup("SIGTERM");
  const stopped = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 5_000))]);
  if (!stopped) {
    signalGroup("SIGKILL");
    await exited;
  }
}

/** The bin of a package installed in an example, run with this Node. */
export function exampleBin(exampleDir: string, packageBin: string): string {
  const path = join(exampleDir, "node_modules", ".bin", packageBin);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm ci --prefix ${exampleDir}\` first`);
  return path;
}
