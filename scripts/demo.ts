/**
 * `npm run demo` (or `npm run demo -- vercel-edge`): an example app run locally with no account and no network.
 * Starts the mock OpenAI and Anthropic servers and a local OTLP receiver, starts the app pointed at them,
 * sends it a few requests, prints the spans that arrived as a tree, with what Moda reads from each LLM span
 * (`--all`: every attribute as sent), and exits.
 */
import { formatSpanTree } from "../cli/view/span-tree";
import type { DecodedSpan } from "../test/support/otlp-types";
import type { RunningApp } from "./app-process";
import { buildNextApp, CF_WORKER_DIR, startNextApp, VERCEL_EDGE_DIR } from "./examples";
import { type LocalStack, localStackEnv, startLocalStack } from "./local-stack";
import { ensureInstalled, ensureLibraryBuilt } from "./package-folders";
import { allAttributeLines, keyAttributeLines } from "./span-attributes";
import { readSse, type SseEvent } from "./sse-client";
import { startWorkerdApp, type WorkerdApp } from "./workerd-app";

const log = (line: string) => console.log(`▸ ${line}`);

interface Demo<App extends RunningApp = RunningApp> {
  dir: string;
  /** Whether the app runs from its own install (examples/<name>/node_modules), not the root's. */
  ownInstall: boolean;
  /** Work before the app can start (a production build); says what it did. */
  prepare?: () => string;
  start(env: Record<string, string>): Promise<App>;
  /** Sends the requests; returns how many traces they make. */
  exercise(app: App): Promise<number>;
}

async function post(app: RunningApp, path: string, prompt: string): Promise<Response> {
  const response = await fetch(`${app.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ prompt }),
  });
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  return response;
}

async function askJson(app: RunningApp, path: string): Promise<void> {
  const { answer } = (await (await post(app, path, "What is an edge function?")).json()) as { answer: string };
  log(`POST ${path} → ${JSON.stringify(answer)}`);
}

/** Streams an answer, printing its text as it arrives; `textOf` picks the text out of an event. */
async function askStreamed(app: RunningApp, path: string, textOf: (event: SseEvent) => string | undefined) {
  process.stdout.write(`▸ POST ${path} → `);
  const { events } = await readSse(await post(app, path, "Tell me a very short story."), (event) => {
    process.stdout.write(textOf(event) ?? "");
  });
  process.stdout.write(`  (${events.length} server-sent events)\n`);
}

const cfWorker: Demo<WorkerdApp> = {
  dir: CF_WORKER_DIR,
  ownInstall: false,
  start: (env) => startWorkerdApp(CF_WORKER_DIR, env),
  async exercise(app) {
    await askJson(app, "/chat");
    await askStreamed(app, "/stream", (event) =>
      event.event === "delta" ? (JSON.parse(event.data) as { text: string }).text : undefined,
    );
    const cron = "*/30 * * * *";
    log(`cron trigger ${cron} → ${await app.scheduled(cron)} (the scheduled handler ran)`);
    return 3;
  },
};

const DEMOS: Record<string, Demo> = {
  "cf-worker": cfWorker as Demo,
  "vercel-edge": {
    dir: VERCEL_EDGE_DIR,
    ownInstall: true,
    prepare: () => `next build took ${buildNextApp().toFixed(0)} s`,
    start: startNextApp,
    async exercise(app) {
      await askJson(app, "/api/chat");
      await askStreamed(app, "/api/stream", (event) => {
        if (event.data === "[DONE]") return undefined;
        const part = JSON.parse(event.data) as { type: string; delta?: string };
        return part.type === "text-delta" ? part.delta : undefined;
      });
      return 2;
    },
  },
};

async function run(name: string, demo: Demo, describe: (span: DecodedSpan) => string[]): Promise<void> {
  ensureLibraryBuilt(log);
  const installSeconds = demo.ownInstall ? ensureInstalled(demo.dir, log) : 0;
  if (installSeconds > 0) log(`installed in ${installSeconds.toFixed(0)} s`);
  if (demo.prepare) log(demo.prepare());

  let stack: LocalStack | undefined;
  let app: RunningApp | undefined;
  try {
    stack = await startLocalStack();
    const sink = stack.newSink();
    log(`mock OpenAI ${stack.openaiUrl}, mock Anthropic ${stack.anthropicUrl}, OTLP receiver ${stack.receiverUrl}`);
    const started = Date.now();
    app = await demo.start(localStackEnv(stack, sink));
    log(`examples/${name} is up at ${app.url} after ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const traces = await demo.exercise(app);
    const spans = await sink.waitForTraces(traces);
    console.log(`\nSpans received by the OTLP receiver (${spans.length}):\n`);
    console.log(formatSpanTree(spans, describe));
  } catch (error) {
    if (app) console.error(`\nThe app's output:\n${app.output()}`);
    throw error;
  } finally {
    await app?.stop();
    await stack?.close();
  }
}

const args = process.argv.slice(2);
const all = args.includes("--all");
const name = args.find((arg) => !arg.startsWith("--")) ?? "cf-worker";
const demo = DEMOS[name];
if (!demo) {
  console.error(
    `no demo named ${name}; choose one of: ${Object.keys(DEMOS).join(", ")} (and --all for every attribute)`,
  );
  process.exitCode = 2;
} else {
  const describe = all
    ? (span: DecodedSpan) => allAttributeLines(span.attributes)
    : (span: DecodedSpan) => keyAttributeLines(span.attributes);
  run(name, demo, describe).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
