/**
 * Reading LLM and entity spans the library really sends (real SDKs, mock providers, the independent decoder):
 * the conversation read from Moda's `llm.*` names is the one read from the GenAI conventions' JSON.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, inject, it } from "vitest";
import type { SemconvFamily } from "../../src/config/options";
import { modaTelemetry, tool, wrap } from "../../src/index";
import { aiTool, createOpenAI, generateText, jsonSchema, stepCountIs } from "../../test/support/sdks";
import { traceRequest } from "../../test/support/trace-request";
import { WEATHER_TOOL } from "../../test/support/weather-tool";
import type { DecodedSpan } from "../otlp/decoded-span";
import { conversationOf } from "../view/conversation";
import { entityOf } from "../view/entity";
import { isLlmSpan, llmCallOf } from "../view/llm-call";

const openai = wrap(new OpenAI({ apiKey: "test-key", baseURL: `${inject("openaiUrl")}/v1`, maxRetries: 0 }));
const anthropic = wrap(new Anthropic({ apiKey: "test-key", baseURL: inject("anthropicUrl"), maxRetries: 0 }));

/** A call that answers a tool result: system, user, the assistant's tool call, the tool's result, the answer. */
async function toolRoundTrip(semconv: SemconvFamily[]): Promise<DecodedSpan> {
  const { spans } = await traceRequest(
    2,
    () =>
      openai.chat.completions.create({
        model: "mock-agent",
        tools: [WEATHER_TOOL],
        messages: [
          { role: "system", content: "Check the weather first." },
          { role: "user", content: "A day in Paris?" },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            ],
          },
          { role: "tool", tool_call_id: "call_1", content: '{"sky":"sunny"}' },
        ],
      }),
    { options: { semconv } },
  );
  return spans.find(isLlmSpan) as DecodedSpan;
}

async function thinkingCall(semconv: SemconvFamily[]): Promise<DecodedSpan> {
  const { spans } = await traceRequest(
    2,
    () =>
      anthropic.messages.create({
        model: "mock-thinking",
        max_tokens: 256,
        messages: [{ role: "user", content: "What is 27 * 453?" }],
      }),
    { options: { semconv } },
  );
  return spans.find(isLlmSpan) as DecodedSpan;
}

describe("an LLM span's conversation", () => {
  it("is read from gen_ai.* JSON: system, user, the tool call with its arguments, the tool's result, the answer", async () => {
    const { conversation, tools } = llmCallOf(await toolRoundTrip(["gen_ai", "moda"]));
    expect(conversation.source).toBe("gen_ai");
    expect(conversation.turns.map((turn) => [turn.role, turn.output])).toEqual([
      ["system", false],
      ["user", false],
      ["assistant", false],
      ["tool", false],
      ["assistant", true],
    ]);
    expect(conversation.turns[2]?.parts).toEqual([
      { type: "tool_call", id: "call_1", name: "get_weather", arguments: { city: "Paris" } },
    ]);
    expect(conversation.turns[3]?.parts).toEqual([
      { type: "tool_call_response", id: "call_1", response: JSON.stringify({ sky: "sunny" }) },
    ]);
    expect(conversation.turns[4]?.finishReason).toBe("stop");
    expect(tools.map((definition) => definition.name)).toEqual(["get_weather"]);
  });

  it("is the same when only Moda's llm.prompts / llm.completions names are sent", async () => {
    const both = llmCallOf(await toolRoundTrip(["gen_ai", "moda"])).conversation;
    const legacy = llmCallOf(await toolRoundTrip(["moda"])).conversation;
    expect(legacy.source).toBe("llm");
    expect(legacy.turns).toEqual(both.turns);
  });

  it("keeps the model's thinking, in both families, with the reasoning tokens", async () => {
    const both = llmCallOf(await thinkingCall(["gen_ai", "moda"]));
    const legacy = llmCallOf(await thinkingCall(["moda"]));
    const answer = both.conversation.turns.at(-1);
    expect(answer?.parts.map((part) => part.type)).toEqual(["reasoning", "text"]);
    expect(String(answer?.parts[0]?.content)).toContain("27 * 453");
    expect(legacy.conversation.turns.at(-1)?.parts).toEqual(answer?.parts);
    expect(both.tokens.reasoning).toBeGreaterThan(0);
    expect(both).toMatchObject({ provider: "anthropic", requestModel: "mock-thinking", finishReasons: ["stop"] });
  });

  it("keeps a value that is not JSON (cut by a size cap) as text rather than dropping it", () => {
    const cut = '[{"role":"user","parts":[{"type":"text","content":"Hello…[truncated 40 chars]';
    expect(conversationOf({ "gen_ai.input.messages": cut }).turns).toEqual([
      { role: "user", parts: [{ type: "text", content: cut }], output: false },
    ]);
  });

  it("is empty, with no source, when the span carries no content", () => {
    expect(conversationOf({ "gen_ai.operation.name": "chat" })).toEqual({ turns: [] });
  });
});

describe("an entity span", () => {
  it("a tool's input and output, parsed from the JSON the library sends", async () => {
    const getWeather = tool("get_weather", ({ city }: { city: string }) => ({ city, sky: "sunny" }));
    const { spans } = await traceRequest(2, () => getWeather({ city: "Paris" }));
    const span = spans.find((candidate) => candidate.kind !== "SERVER") as DecodedSpan;
    expect(isLlmSpan(span)).toBe(false);
    expect(entityOf(span)).toMatchObject({
      kind: "tool",
      name: "get_weather",
      input: { city: "Paris" },
      output: { city: "Paris", sky: "sunny" },
    });
  });
});

describe("a Vercel AI SDK call (its own ai.* attributes)", () => {
  it("each step's conversation, the tool call and its result, the SDK's tool span, the tokens", async () => {
    const model = createOpenAI({ apiKey: "test-key", baseURL: `${inject("openaiUrl")}/v1` }).chat("mock-agent");
    const weather = aiTool({
      description: "The weather in a city",
      inputSchema: jsonSchema<{ city: string }>({ type: "object", properties: { city: { type: "string" } } }),
      execute: async ({ city }) => ({ city, celsius: 21 }),
    });
    const { spans } = await traceRequest(5, () =>
      generateText({
        model,
        system: "Be brief.",
        prompt: "Weather in Paris?",
        tools: { get_weather: weather },
        stopWhen: stepCountIs(3),
        experimental_telemetry: modaTelemetry(),
      }),
    );
    const steps = spans.filter((span) => span.name === "ai.generateText.doGenerate").map(llmCallOf);
    const second = steps.find((step) => step.conversation.turns.some((turn) => turn.role === "tool"));
    expect(second?.conversation.source).toBe("ai");
    expect(second?.conversation.turns.map((turn) => [turn.role, turn.parts.map((part) => part.type)])).toEqual([
      ["system", ["text"]],
      ["user", ["text"]],
      ["assistant", ["tool_call"]],
      ["tool", ["tool_call_response"]],
      ["assistant", ["text"]],
    ]);
    expect(second?.conversation.turns[2]?.parts[0]).toMatchObject({
      name: "get_weather",
      arguments: { city: "Paris" },
    });
    expect(second?.conversation.turns[3]?.parts[0]).toMatchObject({ response: { city: "Paris", celsius: 21 } });
    expect(second?.tools.map((definition) => definition.name)).toEqual(["get_weather"]);
    expect(second?.tokens.input).toBeGreaterThan(0);
    const toolSpan = spans.find((span) => span.name === "ai.toolCall") as DecodedSpan;
    expect(isLlmSpan(toolSpan)).toBe(false);
    expect(entityOf(toolSpan)).toMatchObject({ kind: "tool", name: "get_weather", input: { city: "Paris" } });
    const whole = llmCallOf(spans.find((span) => span.name === "ai.generateText") as DecodedSpan);
    expect(whole.conversation.turns.map((turn) => turn.role)).toEqual(["system", "user", "assistant"]);
  });
});
