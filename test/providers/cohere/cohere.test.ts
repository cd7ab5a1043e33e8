/**
 * Issue 9, Cohere: the real `cohere-ai` SDK (CohereClientV2, and the v1 CohereClient with its `v2` resource)
 * against the mock Cohere API; each decoded span checked attribute by attribute against what the mock returned.
 */
import { CohereClient, CohereClientV2, CohereError } from "cohere-ai";
import { describe, expect, inject, it } from "vitest";
import { wrap } from "../../../src/index";
import {
  EARLIER_CALL,
  EARLIER_RESULT,
  itRoundTripsTheWeatherTool,
  WEATHER_QUESTION,
} from "../../support/conformance/weather-tool";
import { COHERE_TEXT } from "../../support/mock-cohere";
import { jsonAttribute, tracedSession } from "../../support/openai-harness";
import {
  itEndsTheSpanOfACallNobodyAwaits,
  itKeepsATracerFailureAwayFromTheCaller,
  itLeavesAnUnhandledRejectionUnhandled,
  userChat,
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
  sleep,
  timeToFirstChunk,
  usageAttributes,
} from "../../support/provider-spans";
import {
  expectDroppedStreamRecorded,
  itEndsTheSpanWhenTheCallerStopsReading,
  outputMessagesOf,
} from "../../support/stream-contract";
import { WEATHER_TOOL, WEATHER_TOOL_DEFINITION } from "../../support/weather-tool";

const baseUrl = () => inject("cohereUrl");
const rawV2 = () => new CohereClientV2({ token: "test-key", baseUrl: baseUrl(), maxRetries: 0 });
const v2 = () => wrap(rawV2());
const v1 = () => wrap(new CohereClient({ token: "test-key", baseUrl: baseUrl(), maxRetries: 0 }));
const common = (operation: string, model: string) => callAttributes("cohere", operation, model, baseUrl());

const IMAGE = "data:image/png;base64,iVBORw0KGgo=";

describe("CohereClientV2.chat", () => {
  it("records params, system, text and image input, the answer and the model's token counts", async () => {
    const session = tracedSession({ captureBinary: true });
    const response = await v2().chat({
      model: "command-a-03-2025",
      messages: [
        { role: "system", content: "You are terse." },
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", imageUrl: { url: IMAGE } },
          ],
        },
      ],
      temperature: 0.3,
      p: 0.9,
      k: 40,
      maxTokens: 64,
      stopSequences: ["END"],
      seed: 7,
      frequencyPenalty: 0.1,
      presencePenalty: 0.2,
    });
    // The SDK's own answer, citations included: tracing reads it and leaves it alone.
    expect(response.message.content).toEqual([{ type: "text", text: COHERE_TEXT }]);
    expect(response.message.citations?.[0]?.text).toBe("Hello!");
    const [span] = await session.spans(1);
    expect(span).toMatchObject({ name: "chat command-a-03-2025", kind: "CLIENT", status: { code: "UNSET" } });
    expect(span?.attributes).toEqual({
      ...common("chat", "command-a-03-2025"),
      ...SYNTHESIZED_CONVERSATION,
      ...SAMPLING_ATTRIBUTES,
      "gen_ai.request.top_k": 40,
      "gen_ai.request.stream": false,
      "gen_ai.response.id": response.id,
      "gen_ai.response.finish_reasons": ["stop"],
      // `tokens` (what the model processed), not `billed_units`; cached tokens are part of the input.
      ...usageAttributes(response.usage?.tokens?.inputTokens ?? -1, response.usage?.tokens?.outputTokens, 64),
      "gen_ai.input.messages": JSON.stringify([
        { role: "system", parts: [{ type: "text", content: "You are terse." }] },
        {
          role: "user",
          parts: [
            { type: "text", content: "What is this?" },
            { type: "blob", modality: "image", mime_type: "image/png", content: "iVBORw0KGgo=" },
          ],
        },
      ]),
      "gen_ai.output.messages": JSON.stringify(assistantText(COHERE_TEXT, "stop")),
      "llm.request.type": "chat",
      "llm.request.streaming": false,
      "llm.response.finish_reason": "COMPLETE",
      "llm.prompts.0.role": "system",
      "llm.prompts.0.content": "You are terse.",
      "llm.prompts.1.role": "user",
      "llm.prompts.1.content": JSON.stringify([
        { type: "text", content: "What is this?" },
        { type: "blob", modality: "image", mime_type: "image/png", content: "iVBORw0KGgo=" },
      ]),
      "llm.completions.0.role": "assistant",
      "llm.completions.0.content": COHERE_TEXT,
      "llm.completions.0.finish_reason": "COMPLETE",
    });
  });

  it("records tools, the tool plan and parallel tool calls, and a turn that answers them", async () => {
    const session = tracedSession();
    const first = await v2().chat({
      model: "mock-tools",
      messages: [{ role: "user", content: "Weather in Paris and London?" }],
      tools: [WEATHER_TOOL],
    });
    const toolCalls = first.message.toolCalls ?? [];
    await v2().chat({
      model: "mock-text",
      messages: [
        { role: "user", content: "Weather in Paris and London?" },
        { role: "assistant", toolPlan: first.message.toolPlan, toolCalls },
        ...toolCalls.map((call, n) => ({
          role: "tool" as const,
          toolCallId: call.id,
          content: [{ type: "document" as const, document: { data: { temperature: 20 + n } } }],
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
      name: call.function?.name,
      arguments: JSON.parse(call.function?.arguments ?? "null"),
    }));
    expect(calls.map((call) => call.arguments)).toEqual([{ city: "Paris" }, { city: "London" }]);
    expect(asked?.attributes["gen_ai.response.finish_reasons"]).toEqual(["tool_call"]);
    expect(jsonAttribute(asked, "gen_ai.tool.definitions")).toEqual([WEATHER_TOOL_DEFINITION]);
    expect(jsonAttribute(asked, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: [{ type: "text", content: first.message.toolPlan }, ...calls],
        finish_reason: "tool_call",
      },
    ]);
    expect(asked?.attributes).toMatchObject(usageAttributes(512, 31));
    expect(jsonAttribute(answered, "gen_ai.input.messages")).toEqual([
      { role: "user", parts: [{ type: "text", content: "Weather in Paris and London?" }] },
      { role: "assistant", parts: [{ type: "text", content: first.message.toolPlan }, ...calls] },
      { role: "tool", parts: [{ type: "tool_call_response", id: "get_weather_1", response: { temperature: 20 } }] },
      { role: "tool", parts: [{ type: "tool_call_response", id: "get_weather_2", response: { temperature: 21 } }] },
    ]);
  });

  it("records thinking as reasoning, and a cut-off answer as length", async () => {
    const session = tracedSession();
    const thought = await v2().chat({
      model: "mock-thinking",
      messages: [{ role: "user", content: "Hi" }],
      thinking: { type: "enabled" },
    });
    await v2().chat(userChat("mock-max-tokens"));
    const spans = await session.spans(2);
    const thinkingSpan = spans.find((span) => span.name === "chat mock-thinking");
    const [thinkingBlock, textBlock] = thought.message.content ?? [];
    expect(jsonAttribute(thinkingSpan, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "reasoning", content: (thinkingBlock as { thinking: string }).thinking },
          { type: "text", content: (textBlock as { text: string }).text },
        ],
        finish_reason: "stop",
      },
    ]);
    const cut = spans.find((span) => span.name === "chat mock-max-tokens");
    expect(cut?.attributes["gen_ai.response.finish_reasons"]).toEqual(["length"]);
  });

  it("keeps withRawResponse(), and the SDK's own promise", async () => {
    const session = tracedSession();
    const wrapped = v2().chat(userChat("mock-text"));
    const unwrapped = rawV2().chat(userChat("mock-text"));
    expect(Object.getPrototypeOf(wrapped)).toBe(Object.getPrototypeOf(unwrapped));
    const { data, rawResponse } = await wrapped.withRawResponse();
    expect(rawResponse.headers.get("x-request-id")).toMatch(/^req_mock_\d+$/);
    expect(data.id).toBe((await wrapped).id);
    await unwrapped;
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.response.id"]).toBe(data.id);
  });

  it("never changes the caller's request", async () => {
    const session = tracedSession();
    const request = Object.freeze({
      model: "mock-text",
      messages: Object.freeze([Object.freeze({ role: "user" as const, content: "Hi" })]),
    });
    const before = JSON.stringify(request);
    const sent = mockCapture(baseUrl());
    await v2().chat(request as Parameters<CohereClientV2["chat"]>[0], { headers: sent.headers });
    expect(JSON.stringify(request)).toBe(before);
    const [captured] = await sent.requests();
    expect(captured?.body).toEqual({ model: "mock-text", messages: [{ role: "user", content: "Hi" }], stream: false });
    await session.spans(1);
  });

  it("records an HTTP error and rethrows the SDK's own error object", async () => {
    const session = tracedSession();
    const promise = v2().chat({ model: "mock-error-429", messages: [{ role: "user", content: "Hi" }] });
    const error = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CohereError);
    expect((error as CohereError).statusCode).toBe(429);
    expect(await promise.catch((e: unknown) => e)).toBe(error);
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("ERROR");
    expect(span?.attributes["error.type"]).toBe("TooManyRequestsError");
    expect(span?.attributes["http.response.status_code"]).toBe(429);
    expect(span?.attributes["gen_ai.output.messages"]).toBeUndefined();
  });

  itLeavesAnUnhandledRejectionUnhandled(
    () => v2().chat(userChat("mock-error-500")),
    (reason) => expect(reason).toBeInstanceOf(CohereError),
  );

  itKeepsATracerFailureAwayFromTheCaller({
    chat: (request) => v2().chat(request),
    expectAnswered: (response) => expect(response.message.content).toEqual([{ type: "text", text: COHERE_TEXT }]),
    tracedModel: "mock-max-tokens",
  });

  itEndsTheSpanOfACallNobodyAwaits(() => v2().chat(userChat("mock-text")), 9);
});

describe("CohereClientV2 tool use", () => {
  itRoundTripsTheWeatherTool({
    call: () =>
      v2().chat({
        model: "mock-tools",
        messages: [
          { role: "user", content: WEATHER_QUESTION },
          {
            role: "assistant",
            toolPlan: "I will look up the weather in Paris.",
            toolCalls: [
              {
                id: EARLIER_CALL.id,
                type: "function",
                function: { name: EARLIER_CALL.name, arguments: JSON.stringify(EARLIER_CALL.arguments) },
              },
            ],
          },
          { role: "tool", toolCallId: EARLIER_CALL.id, content: EARLIER_RESULT },
        ],
        tools: [WEATHER_TOOL],
      }),
    toolCalls: (answer) =>
      (answer.message.toolCalls ?? []).map((call) => ({
        id: call.id,
        name: String(call.function?.name),
        arguments: JSON.parse(String(call.function?.arguments)),
      })),
    finishReason: (answer) => String(answer.finishReason),
  });
});

describe("CohereClientV2.chatStream", () => {
  it("keeps the SDK's stream and every event, and records what they spell", async () => {
    const session = tracedSession();
    const stream = await v2().chatStream(userChat("mock-text"));
    const unwrapped = await rawV2().chatStream(userChat("mock-text"));
    expect(Object.getPrototypeOf(stream)).toBe(Object.getPrototypeOf(unwrapped));
    const { events, error } = await readAll(stream);
    const { events: unwrappedEvents } = await readAll(unwrapped);
    expect(error).toBeUndefined();
    expect(events).toEqual(
      unwrappedEvents.map((event) => ("id" in event ? { ...event, id: expect.any(String) } : event)),
    );
    const text = events
      .map((event) => (event.type === "content-delta" ? event.delta?.message?.content?.text : ""))
      .join("");
    expect(text).toBe(COHERE_TEXT);
    const end = events.find((event) => event.type === "message-end");
    const [span] = await session.spans(1);
    expect(span?.attributes).toEqual({
      ...common("chat", "mock-text"),
      ...SYNTHESIZED_CONVERSATION,
      "gen_ai.request.stream": true,
      "gen_ai.response.id": events[0]?.type === "message-start" ? events[0].id : "",
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.response.time_to_first_chunk": expect.any(Number),
      ...usageAttributes(end?.type === "message-end" ? (end.delta?.usage?.tokens?.inputTokens ?? -1) : -1, 9, 64),
      ...greetingAnswered(text, "COMPLETE"),
      "llm.request.type": "chat",
      "llm.request.streaming": true,
    });
    expect(timeToFirstChunk(span)).toBeGreaterThan(0);
  });

  it("accumulates streamed thinking, the tool plan and tool calls by index", async () => {
    const session = tracedSession();
    const toolStream = await v2().chatStream({
      model: "mock-tools",
      messages: [{ role: "user", content: "Weather in Paris and London?" }],
      tools: [WEATHER_TOOL],
    });
    const { events } = await readAll(toolStream);
    await readAll(await v2().chatStream(userChat("mock-thinking")));
    const spans = await session.spans(2);
    const plan = events
      .map((event) => (event.type === "tool-plan-delta" ? event.delta?.message?.toolPlan : ""))
      .join("");
    expect(plan).toBe("I will look up the weather in Paris and London.");
    expect(outputMessagesOf(spans, "chat mock-tools")).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "text", content: plan },
          { type: "tool_call", id: "get_weather_1", name: "get_weather", arguments: { city: "Paris" } },
          { type: "tool_call", id: "get_weather_2", name: "get_weather", arguments: { city: "London" } },
        ],
        finish_reason: "tool_call",
      },
    ]);
    expect(outputMessagesOf(spans, "chat mock-thinking")).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "reasoning", content: "The user says hi. A short greeting back is best." },
          { type: "text", content: COHERE_TEXT },
        ],
        finish_reason: "stop",
      },
    ]);
  });

  itEndsTheSpanWhenTheCallerStopsReading((model) => v2().chatStream(userChat(model)), 5);

  it("records a dropped connection as an error, with the partial answer, and rethrows it", async () => {
    await expectDroppedStreamRecorded(() => v2().chatStream(userChat("mock-stream-drop")));
  });
});

describe("the v1 CohereClient", () => {
  it("chat: preamble, history, v1 tools and tool calls, usage from billed units", async () => {
    const session = tracedSession();
    const response = await v1().chat({
      model: "mock-tools",
      preamble: "You are a weather bot.",
      chatHistory: [
        { role: "USER", message: "Hello" },
        { role: "CHATBOT", message: "Hi! Ask me about the weather." },
      ],
      message: "Weather in Paris?",
      tools: [
        {
          name: "get_weather",
          description: "The weather in a city",
          parameterDefinitions: { city: { type: "str", description: "The city", required: true } },
        },
      ],
    });
    const [span] = await session.spans(1);
    expect(span?.attributes).toEqual({
      ...common("chat", "mock-tools"),
      ...SYNTHESIZED_CONVERSATION,
      "gen_ai.request.stream": false,
      "gen_ai.response.id": response.responseId,
      "gen_ai.response.finish_reasons": ["stop"],
      ...usageAttributes(12, 9),
      "gen_ai.system_instructions": JSON.stringify([{ type: "text", content: "You are a weather bot." }]),
      "gen_ai.tool.definitions": JSON.stringify([
        {
          type: "function",
          name: "get_weather",
          description: "The weather in a city",
          parameters: { city: { type: "str", description: "The city", required: true } },
        },
      ]),
      "gen_ai.input.messages": JSON.stringify([
        { role: "user", parts: [{ type: "text", content: "Hello" }] },
        { role: "assistant", parts: [{ type: "text", content: "Hi! Ask me about the weather." }] },
        { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] },
      ]),
      "gen_ai.output.messages": JSON.stringify([
        {
          role: "assistant",
          parts: [
            { type: "text", content: response.text },
            { type: "tool_call", name: "get_weather", arguments: { city: "Paris" } },
          ],
          finish_reason: "stop",
        },
      ]),
      "llm.request.type": "chat",
      "llm.request.streaming": false,
      "llm.response.finish_reason": "COMPLETE",
      "llm.request.functions.0.name": "get_weather",
      "llm.request.functions.0.description": "The weather in a city",
      "llm.request.functions.0.parameters": JSON.stringify({
        city: { type: "str", description: "The city", required: true },
      }),
      "llm.prompts.0.role": "system",
      "llm.prompts.0.content": "You are a weather bot.",
      "llm.prompts.1.role": "user",
      "llm.prompts.1.content": "Hello",
      "llm.prompts.2.role": "assistant",
      "llm.prompts.2.content": "Hi! Ask me about the weather.",
      "llm.prompts.3.role": "user",
      "llm.prompts.3.content": "Weather in Paris?",
      "llm.completions.0.role": "assistant",
      "llm.completions.0.content": expect.any(String),
      "llm.completions.0.finish_reason": "COMPLETE",
      // Cohere v1's tool calls have no id.
      "llm.completions.0.tool_calls.0.name": "get_weather",
      "llm.completions.0.tool_calls.0.arguments": JSON.stringify({ city: "Paris" }),
    });
  });

  it("chatStream: JSON-line events, recorded from the stream-end response; tool results as input", async () => {
    const session = tracedSession();
    const stream = await v1().chatStream({
      model: "mock-text",
      message: "",
      toolResults: [{ call: { name: "get_weather", parameters: { city: "Paris" } }, outputs: [{ temperature: 21 }] }],
    });
    const { events, error } = await readAll(stream);
    expect(error).toBeUndefined();
    const text = events.map((event) => (event.eventType === "text-generation" ? event.text : "")).join("");
    expect(text).toBe(COHERE_TEXT);
    const [span] = await session.spans(1);
    expect(span?.attributes).toMatchObject({
      "gen_ai.request.stream": true,
      "gen_ai.response.finish_reasons": ["stop"],
      ...usageAttributes(12, 9),
    });
    expect(span?.attributes["gen_ai.response.id"]).toMatch(/^mock-\d+$/);
    expect(jsonAttribute(span, "gen_ai.input.messages")).toEqual([
      { role: "tool", parts: [{ type: "tool_call_response", response: [{ temperature: 21 }] }] },
    ]);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual(assistantText(text, "stop"));
  });

  it("v2.chat on a v1 client is a v2 call", async () => {
    const session = tracedSession();
    const response = await v1().v2.chat(userChat("mock-text"));
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.response.id"]).toBe(response.id);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual(assistantText(COHERE_TEXT, "stop"));
  });
});

describe("Cohere embed", () => {
  it("records v2 and v1 embeddings with their billed input tokens, not the vectors", async () => {
    const session = tracedSession();
    const byType = await v2().embed({
      model: "embed-v4.0",
      texts: ["hello", "world"],
      inputType: "search_document",
      embeddingTypes: ["float"],
      outputDimension: 256,
    });
    expect(byType.embeddings.float).toHaveLength(2);
    await v1().embed({ model: "embed-english-v3.0", texts: ["hello"], inputType: "search_query" });
    const spans = await session.spans(2);
    const v2Span = spans.find((span) => span.name === "embeddings embed-v4.0");
    expect(v2Span?.attributes).toEqual({
      ...common("embeddings", "embed-v4.0"),
      ...SYNTHESIZED_CONVERSATION,
      ...embeddedTexts("hello", "world"),
      "gen_ai.request.encoding_formats": ["float"],
      "gen_ai.embeddings.dimension.count": 256,
      "gen_ai.response.id": byType.id,
      ...usageAttributes(6),
      "llm.request.type": "embedding",
    });
    const v1Span = spans.find((span) => span.name === "embeddings embed-english-v3.0");
    expect(v1Span?.attributes).toMatchObject({
      "gen_ai.operation.name": "embeddings",
      ...usageAttributes(3),
      ...embeddedTexts("hello"),
    });
  });
});

describe("untraced Cohere methods", () => {
  it("pass through and make no span", async () => {
    const session = tracedSession();
    const error = await v2()
      .rerank({ model: "rerank-v3.5", query: "q", documents: ["a"] })
      .catch((e: unknown) => e);
    expect((error as CohereError).statusCode).toBe(404);
    await v2().chat(userChat("mock-text"));
    await sleep(20);
    const spans = await session.spans(1);
    expect(spans.map((span) => span.name)).toEqual(["chat mock-text"]);
  });
});
