/**
 * examples/vercel-edge built with `next build` and served by `next start`, its edge routes pointed at the mock
 * OpenAI server and the local OTLP receiver. Real HTTP requests in; decoded spans out.
 */
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
