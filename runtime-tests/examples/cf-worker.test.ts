/**
 * examples/cf-worker under `wrangler dev` (local mode, telemetry off), pointed at the mock providers and the
 * local OTLP receiver. Real HTTP requests in; decoded spans out.
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleBin, type RunningApp } from "../../scripts/app-process";
import { checkBundle, describeReport } from "../../scripts/bundle-check";
import { CF_WORKER_DIR, startCfWorker } from "../../scripts/examples";
import { type LocalSink, type LocalStack, localStackEnv, startLocalStack } from "../../scripts/local-stack";
import { ensureInstalled } from "../../scripts/package-folders";
import { type PacedRelay, startPacedRelay } from "../support/paced-relay";
import { postJson, postSse } from "../support/post";
import {
  type ChatAnswer,
  expectChatTrace,
  expectEndedWithStream,
  llmSpans,
  onlyTrace,
  tracesOf,
} from "../support/traces";

let stack: LocalStack;
let relay: PacedRelay;

beforeAll(async () => {
  ensureInstalled(CF_WORKER_DIR, console.log);
  stack = await startLocalStack();
  relay = await startPacedRelay(stack.anthropicUrl);
});

afterAll(async () => {
  await relay?.close();
  await stack?.close();
});

async function startWorker(
  config: "wrangler.toml" | "wrangler.als.toml",
): Promise<{ app: RunningApp; sink: LocalSink }> {
  const sink = stack.newSink();
  const vars = { ...localStackEnv(stack, sink), ANTHROPIC_BASE_URL: relay.url };
  const started = Date.now();
  const app = await startCfWorker({ vars, config });
  console.log(`wrangler dev --config ${config} ready in ${Date.now() - started} ms`);
  return { app, sink };
}

describe("cf-worker with wrangler.toml (no compatibility flags)", () => {
  let app: RunningApp;
  let sink: LocalSink;

  beforeAll(async () => {
    ({ app, sink } = await startWorker("wrangler.toml"));
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("POST /chat: one trace, the OpenAI span a child of the request span, tokens from the provider", async () => {
    await sink.reset();
    const answer = await postJson<ChatAnswer>(`${app.url}/chat`, { prompt: "What is an edge function?" });
    const trace = onlyTrace(await sink.waitForTraces(1));
    const llm = expectChatTrace(trace, "POST /chat", "moda-edge-example", answer);
    expect(JSON.stringify(llm.attributes["gen_ai.input.messages"])).toContain("What is an edge function?");
  });

  it("POST /stream: the request span ends only after the last server-sent event", async () => {
    await sink.reset();
    const streamed = await postSse(`${app.url}/stream`, { prompt: "Tell me a story." });
    const events = streamed.events.map((event) => event.event);
    expect(events.at(-1)).toBe("done");
    expect(events.filter((name) => name === "delta").length).toBeGreaterThan(1);
    const usage = JSON.parse(streamed.events.find((event) => event.event === "usage")?.data ?? "{}") as {
      output_tokens: number;
    };

    const trace = onlyTrace(await sink.waitForTraces(1));
    expect(trace.root).toMatchObject({ name: "POST /stream", kind: "SERVER" });
    const [llm] = llmSpans(trace);
    expect(llm?.parentSpanId).toBe(trace.root.spanId);
    expect(llm?.attributes).toMatchObject({
      "gen_ai.provider.name": "anthropic",
      "gen_ai.request.stream": true,
      "gen_ai.usage.output_tokens": usage.output_tokens,
    });
    expectEndedWithStream(trace.root, relay.lastStream());
    expect(BigInt(trace.root.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(llm?.endTimeUnixNano ?? "0"));
  });

  it("the cron trigger: the scheduled handler's call in its own trace", async () => {
    await sink.reset();
    const response = await fetch(`${app.url}/__scheduled?cron=${encodeURIComponent("*/30 * * * *")}`);
    expect(response.status).toBe(200);
    const trace = onlyTrace(await sink.waitForTraces(1));
    expect(trace.root).toMatchObject({ name: "scheduled */30 * * * *", attributes: { "faas.cron": "*/30 * * * *" } });
    const [llm] = llmSpans(trace);
    expect(llm?.parentSpanId).toBe(trace.root.spanId);
    expect(llm?.attributes["gen_ai.usage.input_tokens"]).toBeGreaterThan(0);
    expect(llm?.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
  });

  it("concurrent requests: each in its own trace with its own LLM span", async () => {
    await sink.reset();
    const prompts = ["one", "two", "three", "four", "five"].map((word) => `Count to ${word}.`);
    await Promise.all(prompts.map((prompt) => postJson<ChatAnswer>(`${app.url}/chat`, { prompt })));
    const traces = tracesOf(await sink.waitForTraces(prompts.length));
    expect(traces).toHaveLength(prompts.length);
    const promptsSeen = traces.map((trace) => {
      const [llm, ...others] = llmSpans(trace);
      expect(others).toEqual([]);
      expect(llm?.parentSpanId).toBe(trace.root.spanId);
      return prompts.find((prompt) => String(llm?.attributes["gen_ai.input.messages"]).includes(prompt));
    });
    expect(promptsSeen.sort()).toEqual([...prompts].sort());
  });
});

describe("cf-worker with wrangler.als.toml (nodejs_compat, AsyncLocalStorage, module-level clients)", () => {
  let app: RunningApp;
  let sink: LocalSink;

  beforeAll(async () => {
    ({ app, sink } = await startWorker("wrangler.als.toml"));
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("POST /compare: parallel calls and a call after an await all nest under the custom span", async () => {
    await sink.reset();
    await postJson(`${app.url}/compare`, {});
    const trace = onlyTrace(await sink.waitForTraces(1));
    expect(trace.root.name).toBe("POST /compare");
    const compare = trace.named("compare answers");
    expect(compare.parentSpanId).toBe(trace.root.spanId);
    const llms = llmSpans(trace);
    expect(llms).toHaveLength(3);
    for (const llm of llms) expect(llm.parentSpanId).toBe(compare.spanId);
  });

  it("concurrent requests through one module-level client: each call in its own request's trace", async () => {
    await sink.reset();
    const prompts = ["red", "green", "blue", "yellow"].map((colour) => `Describe ${colour}.`);
    await Promise.all(prompts.map((prompt) => postJson<ChatAnswer>(`${app.url}/chat`, { prompt })));
    const traces = tracesOf(await sink.waitForTraces(prompts.length));
    expect(traces).toHaveLength(prompts.length);
    for (const trace of traces) {
      const [llm, ...others] = llmSpans(trace);
      expect(others).toEqual([]);
      expect(llm?.parentSpanId).toBe(trace.root.spanId);
    }
  });
});

describe("the Worker's source", () => {
  it("type-checks against moda-edge's published types and the Workers types", () => {
    expect(() =>
      execFileSync(exampleBin(CF_WORKER_DIR, "tsc"), ["-p", CF_WORKER_DIR], { stdio: "pipe" }),
    ).not.toThrow();
  });
});

describe("the Worker bundle (wrangler deploy --dry-run --outdir)", () => {
  it("has no node: import without compatibility flags, and says what moda-edge adds", () => {
    for (const minify of [false, true]) {
      const report = checkBundle(minify);
      console.log(describeReport(report));
      expect(report.withModa.externalImports.filter((path) => path.startsWith("node:"))).toEqual([]);
      expect(report.withModa.bytes).toBeGreaterThan(report.withoutModa.bytes);
    }
  });
});
