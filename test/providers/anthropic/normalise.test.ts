/**
 * The Anthropic normaliser and stream accumulator, fed with what the real SDK hands back from the mock server.
 */
import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import {
  blockToParts,
  finishReason,
  inputMessages,
  outputMessage,
  requestParams,
  systemInstructions,
  usage,
} from "../../../src/instrument/anthropic-messages/content";
import { CompletionAccumulator, MessageAccumulator } from "../../../src/instrument/anthropic-messages/stream";
import { rawAnthropic } from "../../support/anthropic-harness";

const client = rawAnthropic(Anthropic);
const ask = (model: string) => ({ model, max_tokens: 256, messages: [{ role: "user" as const, content: "Hi" }] });

async function accumulate(model: string): Promise<MessageAccumulator> {
  const accumulator = new MessageAccumulator();
  for await (const event of await client.messages.create({ ...ask(model), stream: true })) accumulator.add(event);
  return accumulator;
}

describe("MessageAccumulator", () => {
  it.each(["text", "tools", "thinking", "redacted-thinking", "cache", "web-search"])(
    "rebuilds the %s message from its stream events",
    async (scenario) => {
      const whole = await client.messages.create(ask(`mock-${scenario}`));
      const rebuilt = (await accumulate(`mock-${scenario}`)).answer();
      expect(rebuilt.content).toEqual(whole.content);
      expect(rebuilt.stop_reason).toBe(whole.stop_reason);
      expect(rebuilt.model).toBe(whole.model);
      expect(usage(rebuilt.usage)).toEqual(usage(whole.usage));
    },
  );

  it("parses each parallel tool call's input from its own fragments", async () => {
    const parts = outputMessage((await accumulate("mock-tools")).answer(), "stop").parts;
    expect(parts.filter((part) => part.type === "tool_call")).toEqual([
      {
        type: "tool_call",
        id: "toolu_01A09q90qw90lq917835lq9",
        name: "get_weather",
        arguments: { location: "Paris, France", unit: "celsius" },
      },
      {
        type: "tool_call",
        id: "toolu_01B19r91rx91mr918936mr0",
        name: "get_weather",
        arguments: { location: "London, UK", unit: "celsius" },
      },
    ]);
  });

  it("treats message_delta usage as running totals", () => {
    const accumulator = new MessageAccumulator();
    accumulator.add({
      type: "message_start",
      message: { id: "m", content: [], usage: { input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 1 } },
    });
    accumulator.add({ type: "message_delta", delta: { stop_reason: null }, usage: { output_tokens: 7 } });
    accumulator.add({
      type: "message_delta",
      delta: { stop_reason: "end_turn" },
      usage: { input_tokens: 10, output_tokens: 12, cache_read_input_tokens: null },
    });
    expect(usage(accumulator.answer().usage)).toMatchObject({
      inputTokens: 15,
      outputTokens: 12,
      cacheReadInputTokens: 5,
    });
  });

  it("keeps the text and the raw tool input of a stream cut mid-way", () => {
    const accumulator = new MessageAccumulator();
    accumulator.add({
      type: "message_start",
      message: { id: "m", content: [], usage: { input_tokens: 3, output_tokens: 1 } },
    });
    accumulator.add({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
    accumulator.add({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Let me" } });
    accumulator.add({ type: "content_block_stop", index: 0 });
    accumulator.add({
      type: "content_block_start",
      index: 1,
      content_block: { type: "tool_use", id: "t", name: "f", input: {} },
    });
    accumulator.add({
      type: "content_block_delta",
      index: 1,
      delta: { type: "input_json_delta", partial_json: '{"a":' },
    });
    const message = accumulator.answer();
    expect(message.content).toEqual([
      { type: "text", text: "Let me" },
      { type: "tool_use", id: "t", name: "f", input: '{"a":' },
    ]);
    expect(message.stop_reason).toBeUndefined();
  });

  it("does not change the events it reads", async () => {
    const events: unknown[] = [];
    const accumulator = new MessageAccumulator();
    for await (const event of await client.messages.create({ ...ask("mock-tools"), stream: true })) {
      const before = structuredClone(event);
      accumulator.add(event);
      events.push(event);
      expect(event).toEqual(before);
    }
    expect(events.length).toBeGreaterThan(5);
  });
});

describe("normalising Messages API shapes", () => {
  it("reads request params, the system prompt in either form and tool definitions", () => {
    const params = {
      model: "claude-x",
      max_tokens: 100,
      temperature: 0.3,
      top_p: 0.9,
      top_k: 5,
      stop_sequences: ["END"],
      stream: true,
      tools: [
        { name: "get_weather", description: "Weather", input_schema: { type: "object", properties: {} } },
        { type: "web_search_20250305", name: "web_search", max_uses: 3 },
      ],
      output_config: { format: { type: "json_schema", schema: {} } },
    };
    expect(requestParams(params)).toEqual({
      model: "claude-x",
      maxTokens: 100,
      temperature: 0.3,
      topP: 0.9,
      topK: 5,
      stopSequences: ["END"],
      stream: true,
      outputType: "json",
      tools: [
        {
          type: "function",
          name: "get_weather",
          description: "Weather",
          parameters: { type: "object", properties: {} },
        },
        { type: "web_search_20250305", name: "web_search", description: undefined, parameters: undefined },
      ],
    });
    expect(systemInstructions("Be brief.")).toEqual([{ type: "text", content: "Be brief." }]);
    expect(
      systemInstructions([
        { type: "text", text: "A" },
        { type: "text", text: "B", cache_control: { type: "ephemeral" } },
      ]),
    ).toEqual([
      { type: "text", content: "A" },
      { type: "text", content: "B" },
    ]);
    expect(systemInstructions(undefined)).toBeUndefined();
  });

  it("turns every input block into its typed part", () => {
    const messages = [
      {
        role: "user",
        content: [
          { type: "text", text: "What is in these?" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
          { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
          { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" } },
          { type: "document", source: { type: "text", media_type: "text/plain", data: "Plain doc" } },
          { type: "document", source: { type: "file", file_id: "file_011" } },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "hmm", signature: "sig" },
          { type: "redacted_thinking", data: "abcdef" },
          { type: "tool_use", id: "toolu_1", name: "f", input: { x: 1 } },
          { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: { query: "q" } },
          {
            type: "web_search_tool_result",
            tool_use_id: "srvtoolu_1",
            content: [{ type: "web_search_result", url: "u" }],
          },
        ],
      },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "42" }] }],
      },
    ];
    expect(inputMessages(messages)).toEqual([
      {
        role: "user",
        parts: [
          { type: "text", content: "What is in these?" },
          { type: "blob", modality: "image", mime_type: "image/png", content: "iVBORw0KGgo=" },
          { type: "uri", modality: "image", mime_type: undefined, uri: "https://example.com/cat.jpg" },
          { type: "blob", modality: "document", mime_type: "application/pdf", content: "JVBERi0=" },
          { type: "text", content: "Plain doc" },
          { type: "file", modality: "document", mime_type: undefined, file_id: "file_011" },
        ],
      },
      {
        role: "assistant",
        parts: [
          { type: "reasoning", content: "hmm", signature: "sig" },
          { type: "redacted_reasoning", size: 6 },
          { type: "tool_call", id: "toolu_1", name: "f", arguments: { x: 1 } },
          {
            type: "server_tool_call",
            id: "srvtoolu_1",
            name: "web_search",
            server_tool_call: { type: "web_search", query: "q" },
          },
          {
            type: "server_tool_call_response",
            id: "srvtoolu_1",
            server_tool_call_response: { type: "web_search", content: [{ type: "web_search_result", url: "u" }] },
          },
        ],
      },
      { role: "user", parts: [{ type: "tool_call_response", id: "toolu_1", response: "42" }] },
    ]);
  });

  it("puts an image of a tool result in a blob part of its own, so the binary policy covers it", () => {
    const parts = blockToParts({
      type: "tool_result",
      tool_use_id: "t",
      content: [
        { type: "text", text: "chart:" },
        { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } },
      ],
    });
    expect(parts).toEqual([
      { type: "tool_call_response", id: "t", response: "chart:" },
      { type: "blob", modality: "image", mime_type: "image/png", content: "AAAA" },
    ]);
  });

  it("maps stop reasons to finish reasons", () => {
    expect(
      ["end_turn", "stop_sequence", "max_tokens", "tool_use", "refusal", "pause_turn", null].map(finishReason),
    ).toEqual(["stop", "stop", "length", "tool_call", "content_filter", "pause_turn", undefined]);
  });

  it("counts cached tokens inside the input tokens, and reports them on their own", async () => {
    const message = await client.messages.create(ask("mock-cache"));
    expect(usage(message.usage)).toEqual({
      inputTokens: 21 + 2048 + 188,
      outputTokens: 14,
      cacheReadInputTokens: 2048,
      cacheCreationInputTokens: 188,
      reasoningOutputTokens: undefined,
    });
  });

  it("reports thinking tokens as reasoning tokens", async () => {
    const message = await client.messages.create(ask("mock-thinking"));
    expect(usage(message.usage)?.reasoningOutputTokens).toBe(82);
  });
});

describe("CompletionAccumulator", () => {
  it("joins the pieces of a legacy completion and keeps the last stop reason", () => {
    const accumulator = new CompletionAccumulator();
    accumulator.add({ type: "completion", id: "c", model: "claude-2.1", completion: " Hel", stop_reason: null });
    accumulator.add({ type: "completion", id: "c", model: "claude-2.1", completion: "lo", stop_reason: null });
    accumulator.add({ type: "completion", id: "c", model: "claude-2.1", completion: "", stop_reason: "stop_sequence" });
    expect(accumulator.answer()).toEqual({
      id: "c",
      model: "claude-2.1",
      completion: " Hello",
      stop_reason: "stop_sequence",
    });
  });
});
