/**
 * Issue 9, Mistral: the real `@mistralai/mistralai` SDK against the mock Mistral API; each decoded span checked
 * attribute by attribute against what the mock returned.
 */
import { Mistral } from "@mistralai/mistralai";
import { HTTPValidationError, type MistralError, SDKError } from "@mistralai/mistralai/models/errors";
import { describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { wrap } from "../../../src/index";
import {
  EARLIER_CALL,
  EARLIER_RESULT,
  itRoundTripsTheWeatherTool,
  WEATHER_QUESTION,
} from "../../support/conformance/weather-tool";
import { MISTRAL_TEXT } from "../../support/mock-mistral";
import { jsonAttribute, tracedSession } from "../../support/openai-harness";
import {
  itEndsTheSpanOfACallNobodyAwaits,
  itLeavesAnUnhandledRejectionUnhandled,
} from "../../support/promise-contract";
import {
  assistantText,
  callAttributes,
  embeddedTexts,
  greetingAnswered,
  mockCapture,
  readAll,
  SAMPLING_ATTRIBUTES,
  SYNTHESIZED_CONVERSATION,
  timeToFirstChunk,
  usageAttributes,
} from "../../support/provider-spans";
import {
  expectDroppedStreamRecorded,
  itEndsTheSpanWhenTheCallerStopsReading,
  outputMessagesOf,
} from "../../support/stream-contract";
import { WEATHER_TOOL, WEATHER_TOOL_DEFINITION } from "../../support/weather-tool";

const baseUrl = () => inject("mistralUrl");
const raw = () => new Mistral({ apiKey: "test-key", serverURL: baseUrl(), retryConfig: { strategy: "none" } });
const mistral = () => wrap(raw());
const common = (operation: string, model: string) => callAttributes("mistral_ai", operation, model, baseUrl());
const hi = (model: string) => ({ model, messages: [{ role: "user" as const, content: "Hi" }] });

const IMAGE = "https://example.com/cat.png";

describe("chat.complete", () => {
  it("records params, system, text and image input, the answer and its usage", async () => {
    const session = tracedSession();
    const response = await mistral().chat.complete({
      model: "mistral-small-latest",
      messages: [
        { role: "system", content: "You are terse." },
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", imageUrl: IMAGE },
          ],
        },
      ],
      temperature: 0.3,
      topP: 0.9,
      maxTokens: 64,
      stop: ["END"],
      randomSeed: 7,
      presencePenalty: 0.2,
      frequencyPenalty: 0.1,
      responseFormat: { type: "text" },
    });
    const choice = response.choices[0];
    expect(choice?.message?.content).toBe(MISTRAL_TEXT);
    const [span] = await session.spans(1);
    expect(span).toMatchObject({ name: "chat mistral-small-latest", kind: "CLIENT", status: { code: "UNSET" } });
    expect(span?.attributes).toEqual({
      ...common("chat", "mistral-small-latest"),
      ...SYNTHESIZED_CONVERSATION,
      ...SAMPLING_ATTRIBUTES,
      "gen_ai.request.stream": false,
      "gen_ai.output.type": "text",
      "gen_ai.response.id": response.id,
      "gen_ai.response.model": response.model,
      "gen_ai.response.finish_reasons": ["stop"],
      ...usageAttributes(response.usage.promptTokens ?? -1, response.usage.completionTokens),
      "gen_ai.input.messages": JSON.stringify([
        { role: "system", parts: [{ type: "text", content: "You are terse." }] },
        {
          role: "user",
          parts: [
            { type: "text", content: "What is this?" },
            { type: "uri", modality: "image", uri: IMAGE },
          ],
        },
      ]),
      "gen_ai.output.messages": JSON.stringify(assistantText(MISTRAL_TEXT, "stop")),
      "llm.request.type": "chat",
      "llm.request.streaming": false,
      "llm.response.model": response.model,
      "llm.response.finish_reason": "stop",
      "llm.prompts.0.role": "system",
      "llm.prompts.0.content": "You are terse.",
      "llm.prompts.1.role": "user",
      "llm.prompts.1.content": JSON.stringify([
        { type: "text", content: "What is this?" },
        { type: "uri", modality: "image", uri: IMAGE },
      ]),
      "llm.completions.0.role": "assistant",
      "llm.completions.0.content": MISTRAL_TEXT,
      "llm.completions.0.finish_reason": "stop",
    });
  });

  it("records tools, parallel tool calls, and a turn that answers them", async () => {
    const session = tracedSession();
    const question = { role: "user" as const, content: "Weather in Paris and London?" };
    const first = await mistral().chat.complete({ model: "mock-tools", messages: [question], tools: [WEATHER_TOOL] });
    const toolCalls = first.choices[0]?.message?.toolCalls ?? [];
    await mistral().chat.complete({
      model: "mock-text",
      messages: [
        question,
        { role: "assistant", content: "", toolCalls },
        ...toolCalls.map((call, n) => ({
          role: "tool" as const,
          toolCallId: call.id,
          name: call.function.name,
          content: JSON.stringify({ temperature: 20 + n }),
        })),
      ],
      tools: [WEATHER_TOOL],
    });
    const spans = await session.spans(2);
    const asked = spans.find((span) => span.name === "chat mock-tools");
    const answered = spans.find((span) => span.name === "chat mock-text");
    const calls = toolCalls.map((call) => ({
      type: "tool_call",
      id: call.id,
      name: call.function.name,
      arguments: JSON.parse(String(call.function.arguments)),
    }));
    expect(calls.map((call) => call.arguments)).toEqual([{ city: "Paris" }, { city: "London" }]);
    expect(asked?.attributes).toMatchObject({
      "gen_ai.response.finish_reasons": ["tool_call"],
      ...usageAttributes(92, 38),
    });
    expect(jsonAttribute(asked, "gen_ai.tool.definitions")).toEqual([WEATHER_TOOL_DEFINITION]);
    expect(jsonAttribute(asked, "gen_ai.output.messages")).toEqual([
      { role: "assistant", parts: calls, finish_reason: "tool_call" },
    ]);
    expect(jsonAttribute(answered, "gen_ai.input.messages")).toEqual([
      { role: "user", parts: [{ type: "text", content: "Weather in Paris and London?" }] },
      { role: "assistant", parts: calls },
      { role: "tool", parts: [{ type: "tool_call_response", id: calls[0]?.id, response: '{"temperature":20}' }] },
      { role: "tool", parts: [{ type: "tool_call_response", id: calls[1]?.id, response: '{"temperature":21}' }] },
    ]);
  });

  it("records thinking chunks as reasoning, and a cut-off answer as length", async () => {
    const session = tracedSession();
    const thought = await mistral().chat.complete(hi("mock-thinking"));
    await mistral().chat.complete(hi("mock-length"));
    const spans = await session.spans(2);
    const [thinking, text] = (thought.choices[0]?.message?.content ?? []) as { type: string }[];
    expect(thinking?.type).toBe("thinking");
    expect(outputMessagesOf(spans, "chat mock-thinking")).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "reasoning", content: "A greeting. Answer in kind, briefly." },
          { type: "text", content: (text as unknown as { text: string }).text },
        ],
        finish_reason: "stop",
      },
    ]);
    expect(spans.find((s) => s.name === "chat mock-length")?.attributes["gen_ai.response.finish_reasons"]).toEqual([
      "length",
    ]);
  });

  it("never changes the caller's request, and sends what the SDK would", async () => {
    const session = tracedSession();
    const request = Object.freeze({
      ...hi("mock-text"),
      messages: Object.freeze([Object.freeze(hi("x").messages[0])]),
    });
    const before = JSON.stringify(request);
    const sent = mockCapture(baseUrl());
    await mistral().chat.complete(request as Parameters<Mistral["chat"]["complete"]>[0], { headers: sent.headers });
    expect(JSON.stringify(request)).toBe(before);
    const [captured] = await sent.requests();
    expect(captured?.body).toEqual({ model: "mock-text", messages: [{ role: "user", content: "Hi" }], stream: false });
    await session.spans(1);
  });

  it("records HTTP errors and rethrows the SDK's own error objects", async () => {
    const session = tracedSession();
    const limited = mistral().chat.complete(hi("mock-error-429"));
    const error = await limited.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SDKError);
    expect((error as MistralError).statusCode).toBe(429);
    expect(await limited.catch((e: unknown) => e)).toBe(error);
    const invalid = await mistral()
      .chat.complete(hi("mock-error-422"))
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(HTTPValidationError);
    const spans = await session.spans(2);
    const limitedSpan = spans.find((span) => span.name === "chat mock-error-429");
    expect(limitedSpan?.status.code).toBe("ERROR");
    expect(limitedSpan?.attributes).toMatchObject({ "error.type": "SDKError", "http.response.status_code": 429 });
    expect(spans.find((span) => span.name === "chat mock-error-422")?.attributes).toMatchObject({
      "error.type": "HTTPValidationError",
      "http.response.status_code": 422,
    });
  });

  itEndsTheSpanOfACallNobodyAwaits(() => mistral().chat.complete(hi("mock-text")), 10);

  itLeavesAnUnhandledRejectionUnhandled(
    () => mistral().chat.complete(hi("mock-error-429")),
    (reason) => expect(reason).toBeInstanceOf(SDKError),
  );
});

describe("tool use", () => {
  itRoundTripsTheWeatherTool({
    call: () =>
      mistral().chat.complete({
        model: "mock-tools",
        messages: [
          { role: "user", content: WEATHER_QUESTION },
          {
            role: "assistant",
            content: "",
            toolCalls: [
              {
                id: EARLIER_CALL.id,
                type: "function",
                function: { name: EARLIER_CALL.name, arguments: JSON.stringify(EARLIER_CALL.arguments) },
              },
            ],
          },
          { role: "tool", toolCallId: EARLIER_CALL.id, name: EARLIER_CALL.name, content: EARLIER_RESULT },
        ],
        tools: [WEATHER_TOOL],
      }),
    toolCalls: (answer) =>
      (answer.choices?.[0]?.message?.toolCalls ?? []).map((call) => ({
        id: call.id,
        name: call.function.name,
        arguments:
          typeof call.function.arguments === "string" ? JSON.parse(call.function.arguments) : call.function.arguments,
      })),
    finishReason: (answer) => String(answer.choices?.[0]?.finishReason),
  });
});

describe("chat.stream", () => {
  it("keeps the SDK's EventStream and every event, and records what they spell", async () => {
    const session = tracedSession();
    const stream = await mistral().chat.stream(hi("mock-text"));
    const unwrapped = await raw().chat.stream(hi("mock-text"));
    expect(Object.getPrototypeOf(stream)).toBe(Object.getPrototypeOf(unwrapped));
    expect(stream).toBeInstanceOf(ReadableStream);
    const { events, error } = await readAll(stream);
    const { events: unwrappedEvents } = await readAll(unwrapped);
    expect(error).toBeUndefined();
    const withoutId = (event: (typeof events)[number]) => ({ ...event.data, id: "" });
    expect(events.map(withoutId)).toEqual(unwrappedEvents.map(withoutId));
    const text = events.map((event) => event.data.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe(MISTRAL_TEXT);
    const last = events.at(-1)?.data;
    const [span] = await session.spans(1);
    expect(span?.attributes).toEqual({
      ...common("chat", "mock-text"),
      ...SYNTHESIZED_CONVERSATION,
      "gen_ai.request.stream": true,
      "gen_ai.response.id": last?.id,
      "gen_ai.response.model": last?.model,
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.response.time_to_first_chunk": expect.any(Number),
      ...usageAttributes(last?.usage?.promptTokens ?? -1, last?.usage?.completionTokens),
      ...greetingAnswered(text),
      "llm.request.type": "chat",
      "llm.request.streaming": true,
      "llm.response.model": last?.model,
    });
    expect(timeToFirstChunk(span)).toBeGreaterThan(0);
  });

  it("accumulates streamed tool calls and thinking", async () => {
    const session = tracedSession();
    await readAll(await mistral().chat.stream({ ...hi("mock-tools"), tools: [WEATHER_TOOL] }));
    await readAll(await mistral().chat.stream(hi("mock-thinking")));
    const spans = await session.spans(2);
    expect(outputMessagesOf(spans, "chat mock-tools")).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "tool_call", id: "call_paris01", name: "get_weather", arguments: { city: "Paris" } },
          { type: "tool_call", id: "call_london2", name: "get_weather", arguments: { city: "London" } },
        ],
        finish_reason: "tool_call",
      },
    ]);
    expect(outputMessagesOf(spans, "chat mock-thinking")).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "reasoning", content: "A greeting. Answer in kind, briefly." },
          { type: "text", content: MISTRAL_TEXT },
        ],
        finish_reason: "stop",
      },
    ]);
  });

  it('records a tool call sent without an id with no id, not the SDK\'s stand-in "null"', async () => {
    const session = tracedSession();
    const answer = await mistral().chat.complete({ ...hi("mock-tools-no-id"), tools: [WEATHER_TOOL] });
    expect(answer.choices?.[0]?.message?.toolCalls?.[0]?.id).toBe("null");
    await readAll(await mistral().chat.stream({ ...hi("mock-tools-no-id"), tools: [WEATHER_TOOL] }));
    const spans = await session.spans(2);
    const expected = [
      {
        role: "assistant",
        parts: [{ type: "tool_call", name: "get_weather", arguments: { city: "Paris" } }],
        finish_reason: "tool_call",
      },
    ];
    expect(spans.map((span) => jsonAttribute(span, "gen_ai.output.messages"))).toEqual([expected, expected]);
  });

  itEndsTheSpanWhenTheCallerStopsReading((model) => mistral().chat.stream(hi(model)), 4);

  it("records a dropped connection as an error, with the partial answer", async () => {
    await expectDroppedStreamRecorded(() => mistral().chat.stream(hi("mock-stream-drop")));
  });
});

describe("chat.parse", () => {
  it("is one span, the answer JSON, and the SDK's parsed result intact", async () => {
    const session = tracedSession();
    const Weather = z.object({ city: z.string(), temperature: z.number() });
    const response = await mistral().chat.parse({ ...hi("mock-json"), responseFormat: Weather });
    expect(response.choices?.[0]?.message?.parsed).toEqual({ city: "Paris", temperature: 21 });
    const [span] = await session.spans(1);
    expect(span?.attributes).toMatchObject({
      "gen_ai.output.type": "json",
      "gen_ai.response.finish_reasons": ["stop"],
    });
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: [{ type: "text", content: '{"city":"Paris","temperature":21}' }],
        finish_reason: "stop",
      },
    ]);
  });
});

describe("fim and embeddings", () => {
  it("fim.complete and fim.stream: text completions of the prompt", async () => {
    const session = tracedSession();
    const request = { model: "codestral-latest", prompt: "def add(a, b):", suffix: "return c", maxTokens: 32 };
    const completion = await mistral().fim.complete(request);
    await readAll(await mistral().fim.stream(request));
    const spans = await session.spans(2);
    const done = spans.find((span) => span.attributes["gen_ai.request.stream"] === false);
    expect(done?.attributes).toEqual({
      ...common("text_completion", "codestral-latest"),
      ...SYNTHESIZED_CONVERSATION,
      "gen_ai.request.max_tokens": 32,
      "gen_ai.request.stream": false,
      "gen_ai.response.id": completion.id,
      "gen_ai.response.model": completion.model,
      "gen_ai.response.finish_reasons": ["stop"],
      ...usageAttributes(9, 10),
      "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: request.prompt }] }]),
      "gen_ai.output.messages": JSON.stringify(assistantText(MISTRAL_TEXT, "stop")),
      "llm.request.type": "completion",
      "llm.request.max_tokens": 32,
      "llm.request.streaming": false,
      "llm.response.model": completion.model,
      "llm.response.finish_reason": "stop",
      "llm.prompts.0.role": "user",
      "llm.prompts.0.content": request.prompt,
      "llm.completions.0.role": "assistant",
      "llm.completions.0.content": MISTRAL_TEXT,
      "llm.completions.0.finish_reason": "stop",
    });
    const streamed = spans.find((span) => span.attributes["gen_ai.request.stream"] === true);
    expect(jsonAttribute(streamed, "gen_ai.output.messages")).toEqual(jsonAttribute(done, "gen_ai.output.messages"));
  });

  it("embeddings.create: the request and its usage, not the vectors", async () => {
    const session = tracedSession();
    const response = await mistral().embeddings.create({ model: "mistral-embed", inputs: ["hello", "world"] });
    expect(response.data).toHaveLength(2);
    const [span] = await session.spans(1);
    expect(span?.attributes).toEqual({
      ...common("embeddings", "mistral-embed"),
      ...SYNTHESIZED_CONVERSATION,
      ...embeddedTexts("hello", "world"),
      "gen_ai.response.id": response.id,
      "gen_ai.response.model": response.model,
      ...usageAttributes(8, 0),
      "llm.request.type": "embedding",
      "llm.response.model": response.model,
    });
  });

  it("models.list passes through, untraced", async () => {
    const session = tracedSession();
    const models = await mistral().models.list();
    expect((models.data?.[0] as { id?: string } | undefined)?.id).toBe("mistral-small-latest");
    await mistral().chat.complete(hi("mock-text"));
    expect((await session.spans(1)).map((span) => span.name)).toEqual(["chat mock-text"]);
  });
});
