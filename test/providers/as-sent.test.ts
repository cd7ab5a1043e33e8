/**
 * What a span shows is what its call sent, though the caller goes on with its objects before the flush: the agent
 * loop (the answer and the tool result pushed onto the same array, the next call made with it, the tools list
 * grown), and a message changed in place after the call. Through the real openai and @anthropic-ai/sdk packages.
 */
import Anthropic from "@anthropic-ai/sdk";
import type { MessageParam, Tool } from "@anthropic-ai/sdk/resources/messages";
import OpenAI from "openai";
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import { describe, expect, inject, it } from "vitest";
import { wrap } from "../../src/index";
import { jsonAttribute, openaiBaseURL, tracedSession } from "../support/openai-harness";
import type { DecodedSpan } from "../support/receiver-client";
import { WEATHER_TOOL } from "../support/weather-tool";

const byStart = (spans: DecodedSpan[]) =>
  [...spans].sort((a, b) => Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano)));
const inputOf = (span: DecodedSpan | undefined) => jsonAttribute(span, "gen_ai.input.messages");
const toolNamesOf = (span: DecodedSpan | undefined) =>
  (jsonAttribute(span, "gen_ai.tool.definitions") as { name: string }[]).map((tool) => tool.name);
const userText = (content: string) => ({ role: "user", parts: [{ type: "text", content }] });

/** Two spans of the loop: the question alone with one tool, then the question, the tool call and its result with two. */
function expectEachAsSent(spans: DecodedSpan[], toolCall: unknown, toolResult: unknown): void {
  const [firstSpan, secondSpan] = byStart(spans);
  expect(inputOf(firstSpan)).toEqual([userText("Weather in Paris?")]);
  expect(toolNamesOf(firstSpan)).toEqual(["get_weather"]);
  expect(inputOf(secondSpan)).toEqual([userText("Weather in Paris?"), toolCall, toolResult]);
  expect(toolNamesOf(secondSpan)).toEqual(["get_weather", "get_time"]);
}

describe("the OpenAI agent loop", () => {
  it("records each call's messages and tools as sent, not as the loop left them", async () => {
    const session = tracedSession();
    const client = wrap(new OpenAI({ apiKey: "test-key", baseURL: openaiBaseURL(), maxRetries: 0 }));
    const tools: ChatCompletionTool[] = [WEATHER_TOOL];
    const messages: ChatCompletionMessageParam[] = [{ role: "user", content: "Weather in Paris?" }];
    const first = await client.chat.completions.create({ model: "mock-agent", messages, tools });
    const call = first.choices[0]?.message;
    if (!call?.tool_calls?.[0]) throw new Error("the mock asked for no tool");
    messages.push(call, { role: "tool", tool_call_id: call.tool_calls[0].id, content: "21 °C, sunny" });
    tools.push({ type: "function", function: { name: "get_time", parameters: { type: "object" } } });
    await client.chat.completions.create({ model: "mock-agent", messages, tools });
    // The loop compacts its history in place once the answer is in.
    messages[0] = { role: "user", content: "[summarised]" };
    (messages[1] as { content: string | null }).content = "[summarised]";
    expectEachAsSent(
      await session.spans(2),
      {
        role: "assistant",
        parts: [{ type: "tool_call", id: "call_agent_1", name: "get_weather", arguments: { city: "Paris" } }],
      },
      { role: "tool", parts: [{ type: "tool_call_response", id: "call_agent_1", response: "21 °C, sunny" }] },
    );
  });
});

describe("the Anthropic agent loop", () => {
  it("records each call's messages and tools as sent, not as the loop left them", async () => {
    const session = tracedSession();
    const client = wrap(new Anthropic({ apiKey: "test-key", baseURL: inject("anthropicUrl"), maxRetries: 0 }));
    const tools: Tool[] = [{ name: "get_weather", input_schema: { type: "object" } }];
    const question: MessageParam = { role: "user", content: [{ type: "text", text: "Weather in Paris?" }] };
    const messages: MessageParam[] = [question];
    const first = await client.messages.create({ model: "mock-agent", max_tokens: 64, messages, tools });
    const use = first.content.find((block) => block.type === "tool_use");
    if (use?.type !== "tool_use") throw new Error("the mock asked for no tool");
    messages.push({ role: "assistant", content: first.content });
    const result: MessageParam = {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: use.id, content: "21 °C, sunny" }],
    };
    messages.push(result);
    tools.push({ name: "get_time", input_schema: { type: "object" } });
    await client.messages.create({ model: "mock-agent", max_tokens: 64, messages, tools });
    // The loop goes on in place: a note added to the question's blocks, a follow-up to the tool result's.
    (question.content as unknown[]).push({ type: "text", text: "[note]" });
    (result.content as unknown[]).push({ type: "text", text: "And tomorrow?" });
    expectEachAsSent(
      await session.spans(2),
      {
        role: "assistant",
        parts: [{ type: "tool_call", id: "toolu_agent_1", name: "get_weather", arguments: { location: "Paris" } }],
      },
      { role: "user", parts: [{ type: "tool_call_response", id: "toolu_agent_1", response: "21 °C, sunny" }] },
    );
  });
});
