/**
 * Issue 4, item 2: every traced OpenAI call, its decoded span checked attribute by attribute (the whole
 * attribute map, so a missing or an extra attribute fails too).
 */
import OpenAIV6 from "openai";
import { describe, expect, inject, it } from "vitest";
import {
  EARLIER_CALL,
  EARLIER_RESULT,
  itRoundTripsTheWeatherTool,
  WEATHER_QUESTION,
} from "../../support/conformance/weather-tool";
import { jsonAttribute, tracedSession, wrappedClient } from "../../support/openai-harness";
import { OPENAI_SDKS } from "../../support/openai-sdks";
import { embeddedTexts, greetingAnswered } from "../../support/provider-spans";
import type { DecodedSpan } from "../../support/receiver-client";
import { WEATHER_TOOL } from "../../support/weather-tool";

const ANSWER = "Hello! How can I help you today?";
const PORT = Number(new URL(inject("openaiUrl")).port);
const WEATHER_TOOL_PARAMETERS = WEATHER_TOOL.function.parameters;

/** The weather tool as `runTools()` runs it: parsed arguments in, the tool's answer out. */
function runnableWeatherTool() {
  return {
    type: "function" as const,
    function: {
      name: "get_weather",
      description: "Weather in a city",
      parameters: WEATHER_TOOL_PARAMETERS,
      parse: JSON.parse,
      function: (args: { city: string }) => `21C and sunny in ${args.city}`,
    },
  };
}

/** What every span of a call to the mock carries, whatever the call. */
function common(operation: string, model: string): Record<string, unknown> {
  return {
    "server.address": "127.0.0.1",
    "server.port": PORT,
    "gen_ai.operation.name": operation,
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": model,
    "llm.system": "openai",
    "llm.vendor": "openai",
    "llm.request.model": model,
  };
}

/** The attributes of a call with a conversation (a user message): the synthesized id is hashed, so its shape is checked. */
function conversational(operation: string, model: string): Record<string, unknown> {
  return { ...common(operation, model), "moda.conversation_id": expect.stringMatching(/^conv_[0-9a-f]{16}$/) };
}

function usageAttributes(input: number, output: number, cached?: number, reasoning?: number): Record<string, unknown> {
  return {
    "gen_ai.usage.input_tokens": input,
    "gen_ai.usage.output_tokens": output,
    "llm.usage.prompt_tokens": input,
    "llm.usage.completion_tokens": output,
    "llm.usage.total_tokens": input + output,
    ...(cached === undefined
      ? {}
      : { "gen_ai.usage.cache_read.input_tokens": cached, "llm.usage.cache_read_input_tokens": cached }),
    ...(reasoning === undefined
      ? {}
      : { "gen_ai.usage.reasoning.output_tokens": reasoning, "llm.usage.reasoning_tokens": reasoning }),
  };
}

function byStart(spans: DecodedSpan[]): DecodedSpan[] {
  return [...spans].sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));
}

describe.each(OPENAI_SDKS)("spans of %s calls", (_name, OpenAI, major) => {
  /** The chat helpers (`parse`, `runTools`): under `beta` in openai v4. */
  const chatHelpersOf = (client: InstanceType<typeof OpenAI>) =>
    major >= 6 ? client.chat.completions : (client as unknown as V4Beta).beta.chat.completions;

  it("chat.completions.create: sampling params, n > 1, system and user messages", async () => {
    const session = tracedSession();
    await wrappedClient(OpenAI).chat.completions.create({
      model: "gpt-4o",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "Hi" },
      ],
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 64,
      stop: ["\n\n"],
      seed: 7,
      frequency_penalty: 0.1,
      presence_penalty: 0.3,
      n: 2,
    });
    const [span] = await session.spans(1);
    expect(span).toMatchObject({ name: "chat gpt-4o", kind: "CLIENT", status: { code: "UNSET" } });
    const output = (content: string) => ({
      role: "assistant",
      parts: [{ type: "text", content }],
      finish_reason: "stop",
    });
    expect(span?.attributes).toEqual({
      ...conversational("chat", "gpt-4o"),
      "gen_ai.request.temperature": 0.2,
      "gen_ai.request.top_p": 0.9,
      "gen_ai.request.max_tokens": 64,
      "gen_ai.request.seed": 7,
      "gen_ai.request.frequency_penalty": 0.1,
      "gen_ai.request.presence_penalty": 0.3,
      "gen_ai.request.stream": false,
      "gen_ai.request.stop_sequences": ["\n\n"],
      "gen_ai.request.choice.count": 2,
      "gen_ai.response.id": expect.stringMatching(/^chatcmpl-mock\d+$/),
      "gen_ai.response.model": "gpt-4o-2026-01-01",
      "gen_ai.response.finish_reasons": ["stop", "stop"],
      ...usageAttributes(19, 10, 6, 0),
      "gen_ai.input.messages": JSON.stringify([
        { role: "system", parts: [{ type: "text", content: "You are terse." }] },
        { role: "user", parts: [{ type: "text", content: "Hi" }] },
      ]),
      "gen_ai.output.messages": JSON.stringify([output(ANSWER), output(`${ANSWER} [1]`)]),
      "llm.request.type": "chat",
      "llm.request.max_tokens": 64,
      "llm.request.temperature": 0.2,
      "llm.request.streaming": false,
      "llm.response.model": "gpt-4o-2026-01-01",
      "llm.response.finish_reason": "stop",
      "llm.prompts.0.role": "system",
      "llm.prompts.0.content": "You are terse.",
      "llm.prompts.1.role": "user",
      "llm.prompts.1.content": "Hi",
      "llm.completions.0.role": "assistant",
      "llm.completions.0.content": ANSWER,
      "llm.completions.1.role": "assistant",
      "llm.completions.0.finish_reason": "stop",
      "llm.completions.1.content": `${ANSWER} [1]`,
      "llm.completions.1.finish_reason": "stop",
    });
  });

  it("records the conversation as the call sent it, though the caller goes on with it before the flush", async () => {
    const session = tracedSession();
    const client = wrappedClient(OpenAI);
    const messages: { role: "user" | "assistant"; content: string }[] = [{ role: "user", content: "Hi" }];
    const params = { model: "gpt-4o", messages, temperature: 0.2 };
    const completion = await client.chat.completions.create(params);
    messages.push({ role: "assistant", content: completion.choices[0]?.message.content ?? "" });
    params.temperature = 1;
    const input: { role: "user" | "assistant"; content: string }[] = [{ role: "user", content: "Hi" }];
    const response = await client.responses.create({ model: "gpt-4o", input });
    input.push({ role: "assistant", content: response.output_text });
    const spans = byStart(await session.spans(2));
    const userHi = [{ role: "user", parts: [{ type: "text", content: "Hi" }] }];
    expect(spans.map((span) => jsonAttribute(span, "gen_ai.input.messages"))).toEqual([userHi, userHi]);
    expect(spans[0]?.attributes["gen_ai.request.temperature"]).toBe(0.2);
  });

  it("chat.completions.create streamed: the same call, with time to first chunk", async () => {
    const session = tracedSession();
    const stream = await wrappedClient(OpenAI).chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
    });
    for await (const _chunk of stream);
    const [span] = await session.spans(1);
    const duration = Number(BigInt(span?.endTimeUnixNano ?? 0) - BigInt(span?.startTimeUnixNano ?? 0)) / 1e9;
    expect(span?.attributes).toEqual({
      ...conversational("chat", "gpt-4o"),
      "gen_ai.request.stream": true,
      "gen_ai.response.id": expect.stringMatching(/^chatcmpl-mock\d+$/),
      "gen_ai.response.model": "gpt-4o-2026-01-01",
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.response.time_to_first_chunk": expect.any(Number),
      ...usageAttributes(19, 10, 6, 0),
      ...greetingAnswered(ANSWER),
      "llm.request.type": "chat",
      "llm.request.streaming": true,
      "llm.response.model": "gpt-4o-2026-01-01",
    });
    const ttfc = span?.attributes["gen_ai.response.time_to_first_chunk"] as number;
    expect(ttfc).toBeGreaterThan(0);
    expect(ttfc).toBeLessThanOrEqual(duration);
  });

  it("chat.completions.create streamed: a long answer is recorded whole, in order", async () => {
    const session = tracedSession();
    const stream = await wrappedClient(OpenAI).chat.completions.create({
      model: "mock-long",
      messages: [{ role: "user", content: "Count to 800." }],
      stream: true,
    });
    let seen = "";
    let deltas = 0;
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content;
      if (content) deltas++;
      seen += content ?? "";
    }
    expect(deltas).toBeGreaterThan(900);
    const [span] = await session.spans(1);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      { role: "assistant", parts: [{ type: "text", content: seen }], finish_reason: "stop" },
    ]);
  });

  itRoundTripsTheWeatherTool({
    call: () =>
      wrappedClient(OpenAI).chat.completions.create({
        model: "mock-tools",
        messages: [
          { role: "user", content: WEATHER_QUESTION },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                id: EARLIER_CALL.id,
                type: "function",
                function: { name: EARLIER_CALL.name, arguments: JSON.stringify(EARLIER_CALL.arguments) },
              },
            ],
          },
          { role: "tool", tool_call_id: EARLIER_CALL.id, content: EARLIER_RESULT },
        ],
        tools: [WEATHER_TOOL],
      }),
    toolCalls: (answer) =>
      (answer.choices[0]?.message.tool_calls ?? []).map((call) => {
        const fn = (call as { function: { name: string; arguments: string } }).function;
        return { id: call.id, name: fn.name, arguments: JSON.parse(fn.arguments) };
      }),
    finishReason: (answer) => String(answer.choices[0]?.finish_reason),
  });

  it("chat.completions.create with tools: definitions, a tool-use history, parallel tool calls", async () => {
    const session = tracedSession();
    await wrappedClient(OpenAI).chat.completions.create({
      model: "mock-tools",
      messages: [
        { role: "user", content: "Weather in Paris?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "21C, sunny" },
        { role: "user", content: "And both Paris and Tokyo?" },
      ],
      tools: [
        {
          type: "function",
          function: { name: "get_weather", description: "Weather in a city", parameters: WEATHER_TOOL_PARAMETERS },
        },
      ],
    });
    const [span] = await session.spans(1);
    const call = (id: string, city: string) => ({
      type: "tool_call",
      id,
      name: "get_weather",
      arguments: { city, unit: "celsius" },
    });
    const history = [
      { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] },
      {
        role: "assistant",
        parts: [{ type: "tool_call", id: "call_1", name: "get_weather", arguments: { city: "Paris" } }],
      },
      { role: "tool", parts: [{ type: "tool_call_response", id: "call_1", response: "21C, sunny" }] },
      { role: "user", parts: [{ type: "text", content: "And both Paris and Tokyo?" }] },
    ];
    const outputParts = [call("call_paris", "Paris"), call("call_tokyo", "Tokyo")];
    expect(span?.attributes).toEqual({
      ...conversational("chat", "mock-tools"),
      "gen_ai.request.stream": false,
      "gen_ai.response.id": expect.stringMatching(/^chatcmpl-mock\d+$/),
      "gen_ai.response.model": "mock-tools-2026-01-01",
      "gen_ai.response.finish_reasons": ["tool_call"],
      ...usageAttributes(82, 51, 0, 0),
      "gen_ai.tool.definitions": JSON.stringify([
        {
          type: "function",
          name: "get_weather",
          description: "Weather in a city",
          parameters: WEATHER_TOOL_PARAMETERS,
        },
      ]),
      "gen_ai.input.messages": JSON.stringify(history),
      "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: outputParts, finish_reason: "tool_call" }]),
      "llm.request.type": "chat",
      "llm.request.streaming": false,
      "llm.response.model": "mock-tools-2026-01-01",
      "llm.response.finish_reason": "tool_calls",
      "llm.request.functions.0.name": "get_weather",
      "llm.request.functions.0.description": "Weather in a city",
      "llm.request.functions.0.parameters": JSON.stringify(WEATHER_TOOL_PARAMETERS),
      "llm.prompts.0.role": "user",
      "llm.prompts.0.content": "Weather in Paris?",
      "llm.prompts.1.role": "assistant",
      "llm.prompts.1.content": JSON.stringify(history[1]?.parts),
      "llm.prompts.1.tool_calls.0.id": "call_1",
      "llm.prompts.1.tool_calls.0.name": "get_weather",
      "llm.prompts.1.tool_calls.0.arguments": '{"city":"Paris"}',
      "llm.prompts.2.role": "tool",
      "llm.prompts.2.content": JSON.stringify(history[2]?.parts),
      "llm.prompts.2.tool_call_id": "call_1",
      "llm.prompts.3.role": "user",
      "llm.prompts.3.content": "And both Paris and Tokyo?",
      "llm.completions.0.role": "assistant",
      "llm.completions.0.content": JSON.stringify(outputParts),
      "llm.completions.0.finish_reason": "tool_calls",
      "llm.completions.0.tool_calls.0.id": "call_paris",
      "llm.completions.0.tool_calls.0.name": "get_weather",
      "llm.completions.0.tool_calls.0.arguments": JSON.stringify({ city: "Paris", unit: "celsius" }),
      "llm.completions.0.tool_calls.1.id": "call_tokyo",
      "llm.completions.0.tool_calls.1.name": "get_weather",
      "llm.completions.0.tool_calls.1.arguments": JSON.stringify({ city: "Tokyo", unit: "celsius" }),
    });
  });

  it("chat.completions.create with image and audio input, and audio output", async () => {
    const session = tracedSession();
    await wrappedClient(OpenAI).chat.completions.create({
      model: "mock-audio",
      modalities: ["text", "audio"],
      audio: { voice: "alloy", format: "wav" },
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is in this image and this sound?" },
            { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
          ],
        },
      ],
    });
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.output.type"]).toBe("speech");
    expect(jsonAttribute(span, "gen_ai.input.messages")).toEqual([
      {
        role: "user",
        parts: [
          { type: "text", content: "What is in this image and this sound?" },
          { type: "uri", modality: "image", uri: "https://example.com/cat.png" },
          { type: "blob_omitted", modality: "image", mime_type: "image/png", byte_size: 8 },
          { type: "blob_omitted", modality: "audio", mime_type: "audio/wav", byte_size: 4 },
        ],
      },
    ]);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "text", content: "Hello there!" },
          { type: "blob_omitted", modality: "audio", mime_type: "audio/wav", byte_size: 44 },
        ],
        finish_reason: "stop",
      },
    ]);
    expect(JSON.stringify(span?.attributes)).not.toContain("UklGRiQAAABXQVZF");
  });

  it("files and images in input, by id, by URL and inline", async () => {
    const session = tracedSession();
    const client = wrappedClient(OpenAI);
    await client.chat.completions.create({
      model: "gpt-4o",
      messages: [
        {
          role: "user",
          content: [
            { type: "file", file: { file_id: "file-abc123" } },
            { type: "file", file: { filename: "a.pdf", file_data: "data:application/pdf;base64,JVBERi0=" } },
          ],
        },
      ],
    });
    await client.responses.create({
      model: "gpt-4o",
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "Compare" },
            { type: "input_image", image_url: "https://example.com/a.png", detail: "auto" },
            { type: "input_image", file_id: "file-img1", detail: "auto" },
            { type: "input_file", file_id: "file-doc1" },
          ],
        },
      ],
    });
    const [chat, responses] = byStart(await session.spans(2));
    expect(jsonAttribute(chat, "gen_ai.input.messages")).toEqual([
      {
        role: "user",
        parts: [
          { type: "file", modality: "document", file_id: "file-abc123" },
          { type: "blob_omitted", modality: "document", mime_type: "application/pdf", byte_size: 5 },
        ],
      },
    ]);
    expect(jsonAttribute(responses, "gen_ai.input.messages")).toEqual([
      {
        role: "user",
        parts: [
          { type: "text", content: "Compare" },
          { type: "uri", modality: "image", uri: "https://example.com/a.png" },
          { type: "file", modality: "image", file_id: "file-img1" },
          { type: "file", modality: "document", file_id: "file-doc1" },
        ],
      },
    ]);
  });

  it("chat.completions.create: reasoning content, a refusal, a length stop", async () => {
    const session = tracedSession();
    const client = wrappedClient(OpenAI);
    const ask = (model: string) =>
      client.chat.completions.create({ model, messages: [{ role: "user", content: "Hi" }] });
    await ask("mock-reasoning");
    await ask("mock-refusal");
    await ask("mock-length");
    const [reasoning, refusal, length] = byStart(await session.spans(3));
    expect(jsonAttribute(reasoning, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "reasoning", content: "The user says hi. A short friendly greeting back is enough." },
          { type: "text", content: "Hi there! What can I do for you?" },
        ],
        finish_reason: "stop",
      },
    ]);
    expect(reasoning?.attributes).toMatchObject({
      "llm.completions.0.role": "thinking",
      "llm.completions.0.content": "The user says hi. A short friendly greeting back is enough.",
      "llm.completions.1.role": "assistant",
      "llm.completions.1.content": "Hi there! What can I do for you?",
      "gen_ai.usage.reasoning.output_tokens": 18,
    });
    expect(refusal?.attributes["llm.completions.0.content"]).toBe("I'm sorry, I can't help with that.");
    expect(length?.attributes["gen_ai.response.finish_reasons"]).toEqual(["length"]);
  });

  it("chat.completions.parse and structured output: one span, output type json", async () => {
    const session = tracedSession();
    const client = wrappedClient(OpenAI);
    const completions = chatHelpersOf(client);
    const schema = {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
      additionalProperties: true,
    };
    const parsed = await completions.parse({
      model: "mock-json",
      messages: [{ role: "user", content: "Weather in Paris as JSON" }],
      response_format: { type: "json_schema", json_schema: { name: "weather", schema, strict: true } },
    });
    expect(parsed.choices[0]?.message.parsed).toEqual({ city: "Paris", temperature_c: 21, conditions: "sunny" });
    const spans = await session.spans(1);
    expect(spans).toHaveLength(1);
    expect(spans[0]?.attributes).toMatchObject({
      "gen_ai.output.type": "json",
      "llm.completions.0.content": '{"city":"Paris","temperature_c":21,"conditions":"sunny"}',
    });
  });

  it("chat.completions.parse refusing a truncated answer: the caller gets the SDK's error, the span the answer", async () => {
    const session = tracedSession();
    const completions = chatHelpersOf(wrappedClient(OpenAI));
    const refused = completions.parse({
      model: "mock-length",
      messages: [{ role: "user", content: "Weather in Paris as JSON" }],
      response_format: { type: "json_object" },
    });
    await expect(refused).rejects.toThrow("Could not parse response content as the length limit was reached");
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("UNSET");
    expect(span?.attributes["error.type"]).toBeUndefined();
    expect(span?.attributes["gen_ai.response.finish_reasons"]).toEqual(["length"]);
    expect(span?.attributes["gen_ai.usage.output_tokens"]).toEqual(expect.any(Number));
  });

  it("chat.completions.runTools: one span per model call, the tool result in the second", async () => {
    const session = tracedSession();
    const client = wrappedClient(OpenAI);
    const completions = chatHelpersOf(client);
    const runner = completions.runTools({
      model: "mock-agent",
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools: [runnableWeatherTool()],
    });
    expect(await runner.finalContent()).toBe("It is 21 °C and sunny in Paris.");
    const [first, second] = byStart(await session.spans(2));
    expect(jsonAttribute(first, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: [{ type: "tool_call", id: "call_agent_1", name: "get_weather", arguments: { city: "Paris" } }],
        finish_reason: "tool_call",
      },
    ]);
    expect(jsonAttribute(second, "gen_ai.input.messages")).toEqual([
      { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] },
      {
        role: "assistant",
        parts: [{ type: "tool_call", id: "call_agent_1", name: "get_weather", arguments: { city: "Paris" } }],
      },
      { role: "tool", parts: [{ type: "tool_call_response", id: "call_agent_1", response: "21C and sunny in Paris" }] },
    ]);
    expect(second?.attributes["llm.completions.0.content"]).toBe("It is 21 °C and sunny in Paris.");
  });

  it("chat.completions.runTools streamed: one streamed span per model call", async () => {
    const session = tracedSession();
    const client = wrappedClient(OpenAI);
    const completions = chatHelpersOf(client);
    const runner = completions.runTools({
      model: "mock-agent",
      stream: true,
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools: [runnableWeatherTool()],
    });
    expect(await runner.finalContent()).toBe("It is 21 °C and sunny in Paris.");
    const [first, second] = byStart(await session.spans(2));
    expect(first?.attributes).toMatchObject({
      "gen_ai.request.stream": true,
      "gen_ai.response.finish_reasons": ["tool_call"],
      "gen_ai.usage.output_tokens": 51,
    });
    expect(second?.attributes).toMatchObject({
      "gen_ai.request.stream": true,
      "gen_ai.response.finish_reasons": ["stop"],
      "llm.completions.0.content": "It is 21 °C and sunny in Paris.",
      "llm.prompts.2.role": "tool",
    });
  });

  it("responses.create: instructions, input items, usage", async () => {
    const session = tracedSession();
    await wrappedClient(OpenAI).responses.create({
      model: "gpt-4o",
      instructions: "Be brief.",
      input: [{ role: "user", content: [{ type: "input_text", text: "Hi" }] }],
      temperature: 0.5,
      top_p: 0.8,
      max_output_tokens: 100,
    });
    const [span] = await session.spans(1);
    expect(span?.name).toBe("chat gpt-4o");
    expect(span?.attributes).toEqual({
      ...conversational("chat", "gpt-4o"),
      "gen_ai.request.temperature": 0.5,
      "gen_ai.request.top_p": 0.8,
      "gen_ai.request.max_tokens": 100,
      "gen_ai.request.stream": false,
      "gen_ai.response.id": expect.stringMatching(/^resp_mock\d+$/),
      "gen_ai.response.model": "gpt-4o-2026-01-01",
      "gen_ai.response.finish_reasons": ["stop"],
      ...usageAttributes(21, 11, 8, 0),
      "gen_ai.system_instructions": JSON.stringify([{ type: "text", content: "Be brief." }]),
      "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: "Hi" }] }]),
      "gen_ai.output.messages": JSON.stringify([
        { role: "assistant", parts: [{ type: "text", content: ANSWER }], finish_reason: "stop" },
      ]),
      "llm.request.type": "chat",
      "llm.request.max_tokens": 100,
      "llm.request.temperature": 0.5,
      "llm.request.streaming": false,
      "llm.response.model": "gpt-4o-2026-01-01",
      "llm.response.finish_reason": "stop",
      "llm.prompts.0.role": "system",
      "llm.prompts.0.content": "Be brief.",
      "llm.prompts.1.role": "user",
      "llm.prompts.1.content": "Hi",
      "llm.completions.0.role": "assistant",
      "llm.completions.0.content": ANSWER,
      "llm.completions.0.finish_reason": "stop",
    });
  });

  it("responses.create: function calls, with a function-call history in the input", async () => {
    const session = tracedSession();
    await wrappedClient(OpenAI).responses.create({
      model: "mock-function-call",
      input: [
        { role: "user", content: "Weather in Paris?" },
        { type: "function_call", call_id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' },
        { type: "function_call_output", call_id: "call_1", output: "21C" },
        { role: "user", content: "And Tokyo?" },
      ],
      tools: [
        {
          type: "function",
          name: "get_weather",
          description: "Weather in a city",
          parameters: WEATHER_TOOL_PARAMETERS,
          strict: false,
        },
      ],
    });
    const [span] = await session.spans(1);
    expect(jsonAttribute(span, "gen_ai.input.messages")).toEqual([
      { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] },
      {
        role: "assistant",
        parts: [{ type: "tool_call", id: "call_1", name: "get_weather", arguments: { city: "Paris" } }],
      },
      { role: "tool", parts: [{ type: "tool_call_response", id: "call_1", response: "21C" }] },
      { role: "user", parts: [{ type: "text", content: "And Tokyo?" }] },
    ]);
    expect(jsonAttribute(span, "gen_ai.tool.definitions")).toEqual([
      { type: "function", name: "get_weather", description: "Weather in a city", parameters: WEATHER_TOOL_PARAMETERS },
    ]);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "tool_call", id: "call_paris", name: "get_weather", arguments: { city: "Paris", unit: "celsius" } },
          { type: "tool_call", id: "call_tokyo", name: "get_weather", arguments: { city: "Tokyo", unit: "celsius" } },
        ],
        finish_reason: "tool_call",
      },
    ]);
    expect(span?.attributes["gen_ai.response.finish_reasons"]).toEqual(["tool_call"]);
  });

  it("responses.create: reasoning summaries and encrypted reasoning", async () => {
    const session = tracedSession();
    await wrappedClient(OpenAI).responses.create({
      model: "mock-reasoning",
      input: "Hi",
      reasoning: { effort: "low", summary: "auto" },
    });
    const [span] = await session.spans(1);
    const thinking = [
      { type: "reasoning", content: "**Answering a greeting**\n\nThe user says hello; a brief reply is enough." },
      { type: "redacted_reasoning", size: 60 },
    ];
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: [...thinking, { type: "text", content: "Hi! What would you like to talk about?" }],
        finish_reason: "stop",
      },
    ]);
    expect(span?.attributes).toMatchObject({
      "gen_ai.usage.reasoning.output_tokens": 64,
      "llm.completions.0.role": "thinking",
      "llm.completions.0.content": JSON.stringify(thinking),
      "llm.completions.1.role": "assistant",
      "llm.completions.1.content": "Hi! What would you like to talk about?",
    });
    expect(JSON.stringify(span?.attributes)).not.toContain("gAAAAAB");
  });

  it("responses.create: a built-in tool as a server tool call", async () => {
    const session = tracedSession();
    await wrappedClient(OpenAI).responses.create({
      model: "mock-web-search",
      input: "Weather in Paris today?",
      tools: [{ type: "web_search" }],
    });
    const [span] = await session.spans(1);
    expect(jsonAttribute(span, "gen_ai.tool.definitions")).toEqual([{ type: "web_search", name: "web_search" }]);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: [
          {
            type: "server_tool_call",
            id: "ws_mock_search",
            name: "web_search",
            server_tool_call: { type: "web_search_call", action: { type: "search", query: "weather in Paris today" } },
          },
          { type: "text", content: "It is sunny in Paris today, around 21 °C." },
        ],
        finish_reason: "stop",
      },
    ]);
  });

  it("responses.create streamed: completed, incomplete, and failed", async () => {
    const session = tracedSession();
    const client = wrappedClient(OpenAI);
    for (const model of ["gpt-4o", "mock-incomplete", "mock-failed"]) {
      for await (const _event of await client.responses.create({ model, input: "Hi", stream: true }));
    }
    const [completed, incomplete, failed] = byStart(await session.spans(3));
    expect(completed?.attributes).toEqual({
      ...conversational("chat", "gpt-4o"),
      "gen_ai.request.stream": true,
      "gen_ai.response.id": expect.stringMatching(/^resp_mock\d+$/),
      "gen_ai.response.model": "gpt-4o-2026-01-01",
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.response.time_to_first_chunk": expect.any(Number),
      ...usageAttributes(21, 11, 8, 0),
      ...greetingAnswered(ANSWER),
      "llm.request.type": "chat",
      "llm.request.streaming": true,
      "llm.response.model": "gpt-4o-2026-01-01",
    });
    expect(incomplete?.attributes).toMatchObject({
      "gen_ai.response.finish_reasons": ["length"],
      "gen_ai.usage.output_tokens": 8,
      "llm.completions.0.content": "Once upon a time, in a land far",
    });
    expect(incomplete?.status.code).toBe("UNSET");
    expect(failed?.status).toEqual({ code: "ERROR", message: "The model failed to generate a response." });
    expect(failed?.attributes).toMatchObject({ "error.type": "server_error", "gen_ai.usage.input_tokens": 15 });
  });

  it("responses.parse and responses.stream: one span each", async () => {
    const session = tracedSession();
    const client = wrappedClient(OpenAI);
    const schema = {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
      additionalProperties: true,
    };
    const parsed = await client.responses.parse({
      model: "mock-json",
      input: "Weather in Paris as JSON",
      text: { format: { type: "json_schema", name: "weather", schema, strict: true } },
    });
    expect(parsed.output_parsed).toEqual({ city: "Paris", temperature_c: 21, conditions: "sunny" });
    await client.responses.stream({ model: "mock-reasoning", input: "Hi" }).finalResponse();
    const [parseSpan, streamSpan] = byStart(await session.spans(2));
    expect(parseSpan?.attributes).toMatchObject({ "gen_ai.output.type": "json", "gen_ai.request.stream": false });
    expect(streamSpan?.attributes).toMatchObject({
      "gen_ai.request.stream": true,
      "gen_ai.usage.reasoning.output_tokens": 64,
      "llm.completions.1.content": "Hi! What would you like to talk about?",
    });
  });

  it("completions.create (legacy)", async () => {
    const session = tracedSession();
    await wrappedClient(OpenAI).completions.create({
      model: "gpt-3.5-turbo-instruct",
      prompt: "Once upon a time",
      max_tokens: 16,
    });
    const [span] = await session.spans(1);
    expect(span?.name).toBe("text_completion gpt-3.5-turbo-instruct");
    expect(span?.attributes).toEqual({
      ...conversational("text_completion", "gpt-3.5-turbo-instruct"),
      "gen_ai.request.max_tokens": 16,
      "gen_ai.request.stream": false,
      "gen_ai.response.id": expect.stringMatching(/^cmpl-mock\d+$/),
      "gen_ai.response.model": "gpt-3.5-turbo-instruct-2026-01-01",
      "gen_ai.response.finish_reasons": ["stop"],
      ...usageAttributes(5, 7),
      "gen_ai.input.messages": JSON.stringify([
        { role: "user", parts: [{ type: "text", content: "Once upon a time" }] },
      ]),
      "gen_ai.output.messages": JSON.stringify([
        {
          role: "assistant",
          parts: [{ type: "text", content: " a quiet village by the sea." }],
          finish_reason: "stop",
        },
      ]),
      "llm.request.type": "completion",
      "llm.request.max_tokens": 16,
      "llm.request.streaming": false,
      "llm.response.model": "gpt-3.5-turbo-instruct-2026-01-01",
      "llm.response.finish_reason": "stop",
      "llm.prompts.0.role": "user",
      "llm.prompts.0.content": "Once upon a time",
      "llm.completions.0.role": "assistant",
      "llm.completions.0.content": " a quiet village by the sea.",
      "llm.completions.0.finish_reason": "stop",
    });
  });

  it("embeddings.create", async () => {
    const session = tracedSession();
    const result = await wrappedClient(OpenAI).embeddings.create({
      model: "text-embedding-3-small",
      input: ["a", "bb"],
      dimensions: 8,
      encoding_format: "float",
    });
    expect(result.data).toHaveLength(2);
    const [span] = await session.spans(1);
    expect(span?.name).toBe("embeddings text-embedding-3-small");
    expect(span?.attributes).toEqual({
      ...common("embeddings", "text-embedding-3-small"),
      "moda.conversation_id": expect.stringMatching(/^conv_[0-9a-f]{16}$/),
      "gen_ai.embeddings.dimension.count": 8,
      "gen_ai.request.encoding_formats": ["float"],
      ...embeddedTexts("a", "bb"),
      "gen_ai.response.model": "text-embedding-3-small-2026-01-01",
      "gen_ai.usage.input_tokens": 2,
      "llm.usage.prompt_tokens": 2,
      "llm.usage.total_tokens": 2,
      "llm.request.type": "embedding",
      "llm.response.model": "text-embedding-3-small-2026-01-01",
    });
  });
});

describe("embedded inputs", () => {
  it("are content: cut to maxAttributeLength, and left out with traceContent: false", async () => {
    const long = "embed me ".repeat(100);
    const ask = { model: "text-embedding-3-small", input: long };
    const capped = tracedSession({ limits: { maxAttributeLength: 100 } });
    await wrappedClient(OpenAIV6).embeddings.create(ask);
    const [span] = await capped.spans(1);
    const content = String(span?.attributes["llm.prompts.0.content"]);
    expect(content.length).toBeLessThanOrEqual(100);
    expect(content).toMatch(/^embed me embed me .*truncated/);
    const quiet = tracedSession({ traceContent: false });
    await wrappedClient(OpenAIV6).embeddings.create(ask);
    const [quietSpan] = await quiet.spans(1);
    expect(Object.keys(quietSpan?.attributes ?? {}).filter((name) => /prompts|messages/.test(name))).toEqual([]);
    expect(quietSpan?.attributes["gen_ai.operation.name"]).toBe("embeddings");
  });
});

interface V4Beta {
  beta: { chat: { completions: InstanceType<(typeof OPENAI_SDKS)[0][1]>["chat"]["completions"] } };
}
