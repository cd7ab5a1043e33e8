/**
 * Issue 9, Ollama: the real `ollama` SDK through its `ollama/browser` entry (the one that runs on the edge)
 * against the mock Ollama API, NDJSON streams included; each decoded span checked attribute by attribute against
 * what the mock returned.
 */
import ollamaDefault, { Ollama } from "ollama/browser";
import { describe, expect, inject, it } from "vitest";
import { wrap } from "../../../src/index";
import {
  EARLIER_CALL,
  EARLIER_RESULT,
  itRoundTripsTheWeatherTool,
  WEATHER_QUESTION,
} from "../../support/conformance/weather-tool";
import { OLLAMA_TEXT } from "../../support/mock-ollama";
import { jsonAttribute, tracedSession } from "../../support/openai-harness";
import {
  itEndsTheSpanOfACallNobodyAwaits,
  itKeepsATracerFailureAwayFromTheCaller,
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
import { itEndsTheSpanWhenTheCallerStopsReading, outputMessagesOf } from "../../support/stream-contract";
import { WEATHER_TOOL, WEATHER_TOOL_DEFINITION } from "../../support/weather-tool";

const host = () => inject("ollamaUrl");
const raw = (headers?: Record<string, string>) => new Ollama({ host: host(), headers });
const ollama = (headers?: Record<string, string>) => wrap(raw(headers));
const common = (operation: string, model: string) => callAttributes("ollama", operation, model, host());
const hi = (model: string) => ({ model, messages: [{ role: "user", content: "Hi" }] });

/** A 1×1 PNG's first bytes, as bytes and as the base64 the SDK sends. */
const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_BASE64 = "iVBORw0KGgo=";

describe("chat", () => {
  it("records options, system, text and images, the answer and the eval counts", async () => {
    const session = tracedSession({ captureBinary: true });
    const sent = mockCapture(host());
    const response = await ollama(sent.headers).chat({
      model: "llama3.2",
      messages: [
        { role: "system", content: "You are terse." },
        // The SDK takes bytes and base64 strings alike (its types say one or the other).
        { role: "user", content: "What is this?", images: [PNG_BYTES, PNG_BASE64] as unknown as string[] },
      ],
      options: {
        temperature: 0.3,
        top_p: 0.9,
        top_k: 40,
        num_predict: 64,
        stop: ["END"],
        seed: 7,
        frequency_penalty: 0.1,
        presence_penalty: 0.2,
      },
      format: "json",
    });
    expect(response.message.content).toBe(OLLAMA_TEXT);
    const [captured] = await sent.requests();
    const sentImages = (captured?.body as { messages: { images?: string[] }[] } | undefined)?.messages[1]?.images;
    expect(sentImages).toEqual([PNG_BASE64, PNG_BASE64]);
    const [span] = await session.spans(1);
    expect(span).toMatchObject({ name: "chat llama3.2", kind: "CLIENT", status: { code: "UNSET" } });
    const image = { type: "blob", modality: "image", content: PNG_BASE64 };
    expect(span?.attributes).toEqual({
      ...common("chat", "llama3.2"),
      ...SYNTHESIZED_CONVERSATION,
      ...SAMPLING_ATTRIBUTES,
      "gen_ai.request.top_k": 40,
      "gen_ai.request.stream": false,
      "gen_ai.output.type": "json",
      "gen_ai.response.model": response.model,
      "gen_ai.response.finish_reasons": [response.done_reason],
      ...usageAttributes(response.prompt_eval_count, response.eval_count),
      "gen_ai.input.messages": JSON.stringify([
        { role: "system", parts: [{ type: "text", content: "You are terse." }] },
        { role: "user", parts: [{ type: "text", content: "What is this?" }, image, image] },
      ]),
      "gen_ai.output.messages": JSON.stringify(assistantText(OLLAMA_TEXT, "stop")),
      "llm.request.type": "chat",
      "llm.request.streaming": false,
      "llm.response.model": response.model,
      "llm.response.finish_reason": "stop",
      "llm.prompts.0.role": "system",
      "llm.prompts.0.content": "You are terse.",
      "llm.prompts.1.role": "user",
      "llm.prompts.1.content": JSON.stringify([{ type: "text", content: "What is this?" }, image, image]),
      "llm.completions.0.role": "assistant",
      "llm.completions.0.content": OLLAMA_TEXT,
      "llm.completions.0.finish_reason": "stop",
    });
  });

  it("records tools, tool calls, and a turn that answers them", async () => {
    const session = tracedSession();
    const question = { role: "user", content: "Weather in Paris and London?" };
    const first = await ollama().chat({ model: "mock-tools", messages: [question], tools: [WEATHER_TOOL] });
    const toolCalls = first.message.tool_calls ?? [];
    await ollama().chat({
      model: "mock-text",
      messages: [
        question,
        first.message,
        ...toolCalls.map((call, n) => ({
          role: "tool",
          tool_name: call.function.name,
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
      name: call.function.name,
      arguments: call.function.arguments,
    }));
    expect(calls.map((call) => call.arguments)).toEqual([{ city: "Paris" }, { city: "London" }]);
    expect(asked?.attributes).toMatchObject({
      "gen_ai.response.finish_reasons": ["tool_call"],
      ...usageAttributes(151, 42),
    });
    expect(jsonAttribute(asked, "gen_ai.tool.definitions")).toEqual([WEATHER_TOOL_DEFINITION]);
    expect(jsonAttribute(asked, "gen_ai.output.messages")).toEqual([
      { role: "assistant", parts: calls, finish_reason: "tool_call" },
    ]);
    expect(jsonAttribute(answered, "gen_ai.input.messages")).toEqual([
      { role: "user", parts: [{ type: "text", content: "Weather in Paris and London?" }] },
      { role: "assistant", parts: calls },
      { role: "tool", parts: [{ type: "tool_call_response", response: '{"temperature":20}' }] },
      { role: "tool", parts: [{ type: "tool_call_response", response: '{"temperature":21}' }] },
    ]);
  });

  it("records thinking as reasoning, and a cut-off answer as length", async () => {
    const session = tracedSession();
    const thought = await ollama().chat({ ...hi("mock-thinking"), think: true });
    await ollama().chat(hi("mock-length"));
    const spans = await session.spans(2);
    expect(outputMessagesOf(spans, "chat mock-thinking")).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "reasoning", content: thought.message.thinking },
          { type: "text", content: thought.message.content },
        ],
        finish_reason: "stop",
      },
    ]);
    expect(spans.find((s) => s.name === "chat mock-length")?.attributes["gen_ai.response.finish_reasons"]).toEqual([
      "length",
    ]);
  });

  it("sends what the unwrapped SDK sends, and leaves the request as the SDK leaves it", async () => {
    const session = tracedSession();
    const wrappedSent = mockCapture(host());
    const rawSent = mockCapture(host());
    const wrappedRequest = { ...hi("mock-text"), messages: [{ role: "user", content: "Hi", images: [PNG_BYTES] }] };
    const rawRequest = { ...hi("mock-text"), messages: [{ role: "user", content: "Hi", images: [PNG_BYTES] }] };
    await ollama(wrappedSent.headers).chat(wrappedRequest);
    await raw(rawSent.headers).chat(rawRequest);
    // The SDK itself sets `stream` and replaces the bytes by base64 in the caller's request; the tracer adds nothing.
    expect(wrappedRequest).toEqual(rawRequest);
    expect((await wrappedSent.requests())[0]?.body).toEqual((await rawSent.requests())[0]?.body);
    await session.spans(1);
  });

  it("records an HTTP error and rethrows the SDK's own error object", async () => {
    const session = tracedSession();
    const promise = ollama().chat(hi("mock-error-404"));
    const error = await promise.catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ResponseError", status_code: 404 });
    expect((error as Error).message).toBe('model "mock-error-404" not found, try pulling it first');
    expect(await promise.catch((e: unknown) => e)).toBe(error);
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("ERROR");
    expect(span?.attributes).toMatchObject({ "error.type": "ResponseError", "http.response.status_code": 404 });
  });

  itEndsTheSpanOfACallNobodyAwaits(() => ollama().chat(hi("mock-text")), 10);

  itKeepsATracerFailureAwayFromTheCaller({
    chat: (request) => ollama().chat(request),
    expectAnswered: (response) => expect(response.message.content).toBe(OLLAMA_TEXT),
    tracedModel: "mock-length",
  });

  itLeavesAnUnhandledRejectionUnhandled(
    () => ollama().chat(hi("mock-error-500")),
    (reason) => expect(reason).toMatchObject({ name: "ResponseError", status_code: 500 }),
  );
});

describe("tool use", () => {
  itRoundTripsTheWeatherTool({
    call: () =>
      ollama().chat({
        model: "mock-tools",
        messages: [
          { role: "user", content: WEATHER_QUESTION },
          {
            role: "assistant",
            content: "",
            tool_calls: [{ function: { name: EARLIER_CALL.name, arguments: EARLIER_CALL.arguments } }],
          },
          { role: "tool", content: EARLIER_RESULT },
        ],
        tools: [WEATHER_TOOL],
      }),
    toolCalls: (answer) =>
      (answer.message.tool_calls ?? []).map((call) => ({
        name: call.function.name,
        arguments: call.function.arguments,
      })),
    finishReason: (answer) => String(answer.done_reason),
    // Ollama's tool calls and results carry no ids.
    ids: false,
  });
});

describe("chat streamed (NDJSON)", () => {
  it("keeps the SDK's AbortableAsyncIterator and every chunk, and records what they spell", async () => {
    const session = tracedSession();
    const stream = await ollama().chat({ ...hi("mock-text"), stream: true });
    const unwrapped = await raw().chat({ ...hi("mock-text"), stream: true });
    expect(Object.getPrototypeOf(stream)).toBe(Object.getPrototypeOf(unwrapped));
    expect(typeof stream.abort).toBe("function");
    const { events, error } = await readAll(stream);
    const { events: unwrappedEvents } = await readAll(unwrapped);
    expect(error).toBeUndefined();
    expect(events).toEqual(unwrappedEvents);
    const text = events.map((chunk) => chunk.message.content).join("");
    expect(text).toBe(OLLAMA_TEXT);
    const last = events.at(-1);
    const [span] = await session.spans(1);
    expect(span?.attributes).toEqual({
      ...common("chat", "mock-text"),
      ...SYNTHESIZED_CONVERSATION,
      "gen_ai.request.stream": true,
      "gen_ai.response.model": last?.model,
      "gen_ai.response.finish_reasons": [last?.done_reason],
      "gen_ai.response.time_to_first_chunk": expect.any(Number),
      ...usageAttributes(last?.prompt_eval_count ?? -1, last?.eval_count),
      ...greetingAnswered(text),
      "llm.request.type": "chat",
      "llm.request.streaming": true,
      "llm.response.model": last?.model,
    });
    expect(timeToFirstChunk(span)).toBeGreaterThan(0);
  });

  it("accumulates streamed thinking and tool calls", async () => {
    const session = tracedSession();
    await readAll(await ollama().chat({ ...hi("mock-thinking"), think: true, stream: true }));
    await readAll(await ollama().chat({ ...hi("mock-tools"), tools: [WEATHER_TOOL], stream: true }));
    const spans = await session.spans(2);
    expect(outputMessagesOf(spans, "chat mock-thinking")).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "reasoning", content: "The user greets me. I greet back." },
          { type: "text", content: OLLAMA_TEXT },
        ],
        finish_reason: "stop",
      },
    ]);
    expect(outputMessagesOf(spans, "chat mock-tools")).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "tool_call", name: "get_weather", arguments: { city: "Paris" } },
          { type: "tool_call", name: "get_weather", arguments: { city: "London" } },
        ],
        finish_reason: "tool_call",
      },
    ]);
  });

  itEndsTheSpanWhenTheCallerStopsReading((model) => ollama().chat({ ...hi(model), stream: true }), 3);

  it("records abort() mid-stream as a cancel, with what arrived", async () => {
    const session = tracedSession();
    const stream = await ollama().chat({ ...hi("mock-slow"), stream: true });
    let seen = 0;
    const { events, error } = await readAll(
      (async function* () {
        for await (const chunk of stream) {
          yield chunk;
          seen += 1;
          if (seen === 2) stream.abort();
        }
      })(),
    );
    expect((error as Error).name).toBe("AbortError");
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("UNSET");
    expect(span?.attributes["moda.stream.cancelled"]).toBe(true);
    // What arrived before the abort took effect: the chunks the caller saw.
    const seenText = events.map((chunk) => chunk.message.content).join("");
    expect(seenText.startsWith("Partial answer ")).toBe(true);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual(assistantText(seenText, "cancelled"));
  });

  it("records an error line and a dropped connection as errors, and rethrows them", async () => {
    const session = tracedSession();
    const failed = await readAll(await ollama().chat({ ...hi("mock-stream-error"), stream: true }));
    expect((failed.error as Error).message).toBe("an error was encountered while running the model: unexpected EOF");
    const dropped = await readAll(await ollama().chat({ ...hi("mock-stream-drop"), stream: true }));
    expect(dropped.error).toBeInstanceOf(Error);
    const spans = await session.spans(2);
    for (const span of spans) {
      expect(span.status.code).toBe("ERROR");
      expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual(assistantText("Partial answer ", "error"));
    }
  });
});

describe("generate", () => {
  it("records the prompt, system and images, the answer, streamed or not", async () => {
    const session = tracedSession();
    const request = { model: "llama3.2", prompt: "Say hello", system: "You are terse.", images: [PNG_BASE64] };
    const response = await ollama().generate(request);
    const { events } = await readAll(await ollama().generate({ ...request, stream: true }));
    expect(events.map((chunk) => chunk.response).join("")).toBe(response.response);
    const spans = await session.spans(2);
    const done = spans.find((span) => span.attributes["gen_ai.request.stream"] === false);
    expect(done?.attributes).toEqual({
      ...common("text_completion", "llama3.2"),
      ...SYNTHESIZED_CONVERSATION,
      "gen_ai.request.stream": false,
      "gen_ai.response.model": response.model,
      "gen_ai.response.finish_reasons": ["stop"],
      ...usageAttributes(response.prompt_eval_count, response.eval_count),
      "gen_ai.system_instructions": JSON.stringify([{ type: "text", content: "You are terse." }]),
      "gen_ai.input.messages": JSON.stringify([
        {
          role: "user",
          parts: [
            { type: "text", content: "Say hello" },
            { type: "blob_omitted", modality: "image", byte_size: 8 },
          ],
        },
      ]),
      "gen_ai.output.messages": JSON.stringify(assistantText(response.response, "stop")),
      "llm.request.type": "completion",
      "llm.request.streaming": false,
      "llm.response.model": response.model,
      "llm.response.finish_reason": "stop",
      "llm.prompts.0.role": "system",
      "llm.prompts.0.content": "You are terse.",
      "llm.prompts.1.role": "user",
      "llm.prompts.1.content": JSON.stringify([
        { type: "text", content: "Say hello" },
        { type: "blob_omitted", modality: "image", byte_size: 8 },
      ]),
      "llm.completions.0.role": "assistant",
      "llm.completions.0.content": response.response,
      "llm.completions.0.finish_reason": "stop",
    });
    const streamed = spans.find((span) => span.attributes["gen_ai.request.stream"] === true);
    expect(jsonAttribute(streamed, "gen_ai.output.messages")).toEqual(jsonAttribute(done, "gen_ai.output.messages"));
    expect(streamed?.attributes).toMatchObject(usageAttributes(26, 10));
  });
});

describe("embed and embeddings", () => {
  it("records the request and prompt_eval_count, not the vectors", async () => {
    const session = tracedSession();
    const response = await ollama().embed({ model: "nomic-embed-text", input: ["hello", "world"], dimensions: 256 });
    expect(response.embeddings).toHaveLength(2);
    const legacy = await ollama().embeddings({ model: "all-minilm", prompt: "hello" });
    expect(legacy.embedding).toHaveLength(3);
    const spans = await session.spans(2);
    expect(spans.find((span) => span.name === "embeddings nomic-embed-text")?.attributes).toEqual({
      ...common("embeddings", "nomic-embed-text"),
      ...SYNTHESIZED_CONVERSATION,
      ...embeddedTexts("hello", "world"),
      "gen_ai.embeddings.dimension.count": 256,
      "gen_ai.response.model": response.model,
      ...usageAttributes(response.prompt_eval_count ?? -1),
      "llm.request.type": "embedding",
      "llm.response.model": response.model,
    });
    // The older endpoint answers with a vector and nothing else.
    expect(spans.find((span) => span.name === "embeddings all-minilm")?.attributes).toEqual({
      ...common("embeddings", "all-minilm"),
      ...SYNTHESIZED_CONVERSATION,
      ...embeddedTexts("hello"),
      "llm.request.type": "embedding",
    });
  });
});

describe("the client", () => {
  it("keeps the class, passes model management through untraced, and wraps the default instance", async () => {
    const session = tracedSession();
    const client = ollama();
    expect(client).toBeInstanceOf(Ollama);
    const tags = await client.list();
    expect(tags.models[0]?.name).toBe("llama3.2:latest");
    await client.chat(hi("mock-text"));
    expect((await session.spans(1)).map((span) => span.name)).toEqual(["chat mock-text"]);
    const wrappedDefault = wrap(ollamaDefault);
    expect(wrappedDefault).not.toBe(ollamaDefault);
    expect(wrappedDefault).toBeInstanceOf(Ollama);
  });
});
