/**
 * examples/vercel-edge built with `next build` and served by `next start`, its edge and Node.js routes pointed at the
 * mock OpenAI server and the local OTLP receiver. Real HTTP requests in; decoded spans out.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../scripts/app-process";
import { buildNextApp, startNextApp, VERCEL_EDGE_DIR } from "../../scripts/examples";
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

interface UiMessagePart {
  type: string;
  messageMetadata?: { usage?: { inputTokens: number; outputTokens: number } };
}

let stack: LocalStack;
let relay: PacedRelay;
let app: RunningApp;
let sink: LocalSink;

beforeAll(async () => {
  ensureInstalled(VERCEL_EDGE_DIR, console.log);
  console.log(`next build took ${buildNextApp().toFixed(1)} s`);
  stack = await startLocalStack();
  relay = await startPacedRelay(stack.openaiUrl);
  sink = stack.newSink();
  app = await startNextApp({ ...localStackEnv(stack, sink), OPENAI_BASE_URL: `${relay.url}/v1` });
});

afterAll(async () => {
  await app?.stop();
  await relay?.close();
  await stack?.close();
});

describe("vercel-edge under next start", () => {
  it("POST /api/chat: one trace, the OpenAI span a child of the request span, tokens from the provider", async () => {
    await sink.reset();
    const answer = await postJson<ChatAnswer>(`${app.url}/api/chat`, { prompt: "What is an edge function?" });
    expectChatTrace(onlyTrace(await sink.waitForTraces(1)), "POST /api/chat", "moda-edge-vercel-example", answer);
  });

  it("POST /api/stream: the AI SDK's spans nest under the request span, which ends after the last event", async () => {
    await sink.reset();
    const streamed = await postSse(`${app.url}/api/stream`, { prompt: "Tell me a story." });
    const parts = streamed.events
      .map((event) => event.data)
      .filter((data) => data !== "[DONE]")
      .map((data) => JSON.parse(data) as UiMessagePart);
    expect(parts.filter((part) => part.type === "text-delta").length).toBeGreaterThan(1);
    const usage = parts.find((part) => part.type === "finish")?.messageMetadata?.usage;
    expect(usage?.outputTokens).toBeGreaterThan(0);

    const trace = onlyTrace(await sink.waitForTraces(1));
    expect(trace.root).toMatchObject({ name: "POST /api/stream", kind: "SERVER" });
    const streamText = trace.named("ai.streamText");
    const doStream = trace.named("ai.streamText.doStream");
    expect(streamText.parentSpanId).toBe(trace.root.spanId);
    expect(doStream.parentSpanId).toBe(streamText.spanId);
    expect(doStream.attributes).toMatchObject({
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.usage.input_tokens": usage?.inputTokens,
      "gen_ai.usage.output_tokens": usage?.outputTokens,
    });
    expectEndedWithStream(trace.root, relay.lastStream());
    expect(BigInt(trace.root.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(streamText.endTimeUnixNano));
  });

  it("POST /api/node-chat: a route on the Node.js runtime, traced the same way", async () => {
    await sink.reset();
    const answer = await postJson<ChatAnswer>(`${app.url}/api/node-chat`, { prompt: "What is Fluid compute?" });
    expectChatTrace(onlyTrace(await sink.waitForTraces(1)), "POST /api/node-chat", "moda-edge-vercel-example", answer);
  });

  it("POST /api/pages-chat: a Pages Router API route, Node's (req, res)", async () => {
    await sink.reset();
    const answer = await postJson<ChatAnswer>(`${app.url}/api/pages-chat`, { prompt: "What is a Pages route?" });
    expectChatTrace(onlyTrace(await sink.waitForTraces(1)), "POST /api/pages-chat", "moda-edge-vercel-example", answer);
  });

  it("concurrent requests through the shared client: each call in its own request's trace", async () => {
    await sink.reset();
    const prompts = ["red", "green", "blue", "yellow"].map((colour) => `Describe ${colour}.`);
    await Promise.all(prompts.map((prompt) => postJson<ChatAnswer>(`${app.url}/api/chat`, { prompt })));
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

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether the app accepts a new TCP connection (a fresh one each time: a kept-alive one would hold it open). */
function isListening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("the Node.js route's export is kept alive by after()'s waitUntil", () => {
  it("next start, stopped right after the answer, delivers the spans before it exits", async () => {
    const ownSink = stack.newSink();
    const own = await startNextApp({ ...localStackEnv(stack, ownSink), OPENAI_BASE_URL: `${stack.openaiUrl}/v1` });
    // The ingest holds its answer. Told to stop, the server closes its port, then must wait for the export: it may not
    // exit while the answer is held (without after()'s waitUntil it exits within milliseconds of closing its port;
    // the second it is given here only bounds how long the test looks for that).
    await ownSink.script([{ hold: true }]);
    await postJson<ChatAnswer>(`${own.url}/api/node-chat`, { prompt: "Stop right after this." });
    while ((await ownSink.requests()).length === 0) await pause(25);
    const stopped = own.stop().then(() => "exited");
    while (await isListening(own.url)) await pause(25);
    expect(await Promise.race([stopped, pause(1_000).then(() => "still waiting for the export")])).toBe(
      "still waiting for the export",
    );
    await ownSink.release();
    await stopped;
    const requests = await ownSink.requests();
    expect(requests.map((request) => request.answeredStatus)).toEqual([200]);
    const trace = onlyTrace(await ownSink.spans());
    expect(trace.root.name).toBe("POST /api/node-chat");
  });
});
