/**
 * `@google/genai` through `wrap()`: `models.generateContent`, `embedContent` and chat sessions against the mock
 * Gemini API and Vertex AI, each span read back from the OTLP receiver and compared, attribute by attribute, with
 * the request and with what the SDK handed back.
 */
import { type GenerateContentResponse, Type } from "@google/genai";
import { describe, expect, it } from "vitest";
import {
  EARLIER_CALL,
  EARLIER_RESULT,
  itRoundTripsTheWeatherTool,
  WEATHER_QUESTION,
  WEATHER_TOOL,
} from "../../support/conformance/weather-tool";
import { GEMINI_FIXTURES } from "../../support/google-fixtures";
import { googleCapture, googlePort, rawGoogle, wrappedGoogle, wrappedVertex } from "../../support/google-harness";
import { jsonAttribute, tracedSession } from "../../support/openai-harness";
import { embeddedTexts } from "../../support/provider-spans";
import type { DecodedSpan } from "../../support/receiver-client";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

/** The answer's first candidate's parts, as the span should show them. */
function textOf(response: GenerateContentResponse): string {
  return (response.candidates?.[0]?.content?.parts ?? []).map((part) => part.text ?? "").join("");
}

function expectUsage(span: DecodedSpan | undefined, response: GenerateContentResponse): void {
  const usage = response.usageMetadata ?? {};
  const input = (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0);
  const output = (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0);
  expect(span?.attributes["gen_ai.usage.input_tokens"]).toBe(input);
  expect(span?.attributes["gen_ai.usage.output_tokens"]).toBe(output);
  expect(span?.attributes["gen_ai.usage.cache_read.input_tokens"]).toBe(usage.cachedContentTokenCount);
  expect(span?.attributes["gen_ai.usage.reasoning.output_tokens"]).toBe(usage.thoughtsTokenCount);
  expect(span?.attributes["llm.usage.prompt_tokens"]).toBe(input);
  expect(span?.attributes["llm.usage.completion_tokens"]).toBe(output);
  expect(span?.attributes["llm.usage.total_tokens"]).toBe(usage.totalTokenCount);
}

describe("models.generateContent", () => {
  it("describes the request and the answer, attribute by attribute", async () => {
    const session = tracedSession();
    const config = {
      systemInstruction: "Answer in one sentence.",
      temperature: 0.3,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 256,
      stopSequences: ["END"],
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
    };
    const response = await wrappedGoogle().models.generateContent({ model: "mock-text", contents: "Hi there", config });
    const [span] = await session.spans(1);
    expect(span?.name).toBe("generate_content mock-text");
    expect(span?.kind).toBe("CLIENT");
    expect(span?.status.code).toBe("UNSET");
    expect(span?.attributes).toMatchObject({
      "gen_ai.operation.name": "generate_content",
      "gen_ai.provider.name": "gcp.gemini",
      "llm.system": "gcp.gemini",
      "llm.request.type": "completion",
      "server.address": "127.0.0.1",
      "server.port": googlePort(),
      "gen_ai.request.model": "mock-text",
      "gen_ai.request.temperature": 0.3,
      "gen_ai.request.top_p": 0.9,
      "gen_ai.request.top_k": 40,
      "gen_ai.request.max_tokens": 256,
      "gen_ai.request.stop_sequences": ["END"],
      "gen_ai.request.seed": 7,
      "gen_ai.request.presence_penalty": 0.1,
      "gen_ai.request.frequency_penalty": 0.2,
      "gen_ai.request.stream": false,
      "gen_ai.response.model": response.modelVersion,
      "gen_ai.response.id": response.responseId,
      "gen_ai.response.finish_reasons": ["stop"],
    });
    expect(response.modelVersion).toBe("mock-text-001");
    expectUsage(span, response);
    expect(jsonAttribute(span, "gen_ai.system_instructions")).toEqual([
      { type: "text", content: "Answer in one sentence." },
    ]);
    expect(jsonAttribute(span, "gen_ai.input.messages")).toEqual([
      { role: "user", parts: [{ type: "text", content: "Hi there" }] },
    ]);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      { role: "assistant", parts: [{ type: "text", content: response.text }], finish_reason: "stop" },
    ]);
    expect(span?.attributes["llm.prompts.0.role"]).toBe("system");
    expect(span?.attributes["llm.prompts.1.content"]).toBe("Hi there");
    expect(span?.attributes["llm.completions.0.content"]).toBe(response.text);
  });

  it("records tool declarations, function calls and a history with function responses", async () => {
    const session = tracedSession();
    const weather = {
      name: "get_weather",
      description: "Weather at a place",
      parameters: { type: Type.OBJECT, properties: { location: { type: Type.STRING } }, required: ["location"] },
    };
    const time = {
      name: "get_time",
      parametersJsonSchema: { type: "object", properties: { timezone: { type: "string" } } },
    };
    const contents = [
      { role: "user", parts: [{ text: "Weather and time in Paris?" }] },
      { role: "model", parts: [{ functionCall: { id: "call_0", name: "get_weather", args: { location: "Paris" } } }] },
      {
        role: "user",
        parts: [{ functionResponse: { id: "call_0", name: "get_weather", response: { output: "sunny, 24°C" } } }],
      },
    ];
    const response = await wrappedGoogle().models.generateContent({
      model: "mock-tools",
      contents,
      config: { tools: [{ functionDeclarations: [weather, time] }, { googleSearch: {} }] },
    });
    const [span] = await session.spans(1);
    expect(jsonAttribute(span, "gen_ai.tool.definitions")).toEqual([
      { type: "function", name: "get_weather", description: "Weather at a place", parameters: weather.parameters },
      { type: "function", name: "get_time", parameters: time.parametersJsonSchema },
      { type: "googleSearch", name: "googleSearch" },
    ]);
    expect(jsonAttribute(span, "gen_ai.input.messages")).toEqual([
      { role: "user", parts: [{ type: "text", content: "Weather and time in Paris?" }] },
      {
        role: "assistant",
        parts: [{ type: "tool_call", id: "call_0", name: "get_weather", arguments: { location: "Paris" } }],
      },
      { role: "tool", parts: [{ type: "tool_call_response", id: "call_0", response: { output: "sunny, 24°C" } }] },
    ]);
    const calls = response.functionCalls ?? [];
    expect(calls).toHaveLength(2);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: calls.map((call) => ({
          type: "tool_call",
          ...(call.id ? { id: call.id } : {}),
          name: call.name,
          arguments: call.args,
        })),
        finish_reason: "tool_call",
      },
    ]);
    expect(span?.attributes["gen_ai.response.finish_reasons"]).toEqual(["tool_call"]);
    expectUsage(span, response);
  });

  it("records thinking as reasoning, and thoughtsTokenCount as reasoning tokens within the output", async () => {
    const session = tracedSession();
    const response = await wrappedGoogle().models.generateContent({
      model: "mock-thinking",
      contents: "What is 6 times 7?",
      config: { thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } },
    });
    const [span] = await session.spans(1);
    const [thought, answer] = response.candidates?.[0]?.content?.parts ?? [];
    expect(thought?.thought).toBe(true);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "reasoning", content: thought?.text },
          { type: "text", content: answer?.text },
        ],
        finish_reason: "stop",
      },
    ]);
    expect(response.usageMetadata?.thoughtsTokenCount).toBe(27);
    expectUsage(span, response);
    expect(span?.attributes["llm.completions.0.role"]).toBe("thinking");
    expect(span?.attributes["llm.completions.0.content"]).toBe(thought?.text);
    expect(span?.attributes["llm.completions.1.content"]).toBe(answer?.text);
    expect(span?.attributes["llm.usage.reasoning_tokens"]).toBe(27);
  });

  it("counts cached content tokens as a part of the input, and a tool's prompt as input", async () => {
    const session = tracedSession();
    const client = wrappedGoogle();
    const cached = await client.models.generateContent({
      model: "mock-cache",
      contents: "When does the contract end?",
      config: { cachedContent: "cachedContents/abc123" },
    });
    const searched = await client.models.generateContent({ model: "mock-tool-prompt", contents: "Weather?" });
    const spans = await session.spans(2);
    const cacheSpan = spans.find((span) => span.name === "generate_content mock-cache");
    expect(cached.usageMetadata?.cachedContentTokenCount).toBe(1024);
    expectUsage(cacheSpan, cached);
    expect(cacheSpan?.attributes["llm.usage.cache_read_input_tokens"]).toBe(1024);
    const searchSpan = spans.find((span) => span.name === "generate_content mock-tool-prompt");
    expect(searched.usageMetadata?.toolUsePromptTokenCount).toBe(150);
    expectUsage(searchSpan, searched);
  });

  it("records inline and file data in, an image out, as parts with binary left out by default", async () => {
    const session = tracedSession();
    const response = await wrappedGoogle().models.generateContent({
      model: "mock-image",
      contents: [
        "Make it red, like this one and this document.",
        { inlineData: { mimeType: "image/png", data: PNG } },
        {
          fileData: {
            mimeType: "application/pdf",
            fileUri: "https://generativelanguage.googleapis.com/v1beta/files/f1",
          },
        },
      ],
      config: { responseModalities: ["IMAGE"] },
    });
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.output.type"]).toBe("image");
    expect(jsonAttribute(span, "gen_ai.input.messages")).toEqual([
      {
        role: "user",
        parts: [
          { type: "text", content: "Make it red, like this one and this document." },
          { type: "blob_omitted", modality: "image", mime_type: "image/png", byte_size: 70 },
          {
            type: "uri",
            modality: "document",
            mime_type: "application/pdf",
            uri: "https://generativelanguage.googleapis.com/v1beta/files/f1",
          },
        ],
      },
    ]);
    const image = response.candidates?.[0]?.content?.parts?.[1]?.inlineData;
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "text", content: textOf(response) },
          { type: "blob_omitted", modality: "image", mime_type: image?.mimeType, byte_size: 16 },
        ],
        finish_reason: "stop",
      },
    ]);
  });

  it("keeps inline data when binary capture is on", async () => {
    const session = tracedSession({ captureBinary: true });
    const response = await wrappedGoogle().models.generateContent({ model: "mock-image", contents: "A red square" });
    const [span] = await session.spans(1);
    const image = response.candidates?.[0]?.content?.parts?.[1]?.inlineData;
    const [message] = jsonAttribute(span, "gen_ai.output.messages") as { parts: unknown[] }[];
    expect(message?.parts[1]).toEqual({
      type: "blob",
      modality: "image",
      mime_type: "image/png",
      content: image?.data,
    });
  });

  it("records code execution as server tool calls", async () => {
    const session = tracedSession();
    const response = await wrappedGoogle().models.generateContent({
      model: "mock-code",
      contents: "Sum 1 to 100 with code.",
      config: { tools: [{ codeExecution: {} }] },
    });
    const [span] = await session.spans(1);
    const parts = response.candidates?.[0]?.content?.parts ?? [];
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: [
          {
            type: "server_tool_call",
            name: "code_execution",
            server_tool_call: { type: "code_execution", ...parts[0]?.executableCode },
          },
          {
            type: "server_tool_call_response",
            server_tool_call_response: { type: "code_execution", ...parts[1]?.codeExecutionResult },
          },
          { type: "text", content: parts[2]?.text },
        ],
        finish_reason: "stop",
      },
    ]);
  });

  it("records every candidate, and the finish reasons MAX_TOKENS and SAFETY", async () => {
    const session = tracedSession();
    const client = wrappedGoogle();
    const two = await client.models.generateContent({
      model: "mock-candidates",
      contents: "Sky colour?",
      config: { candidateCount: 2 },
    });
    await client.models.generateContent({ model: "mock-max-tokens", contents: "Tell a story" });
    await client.models.generateContent({ model: "mock-safety", contents: "Something unsafe" });
    const spans = await session.spans(3);
    const byModel = (model: string) => spans.find((span) => span.attributes["gen_ai.request.model"] === model);
    const candidatesSpan = byModel("mock-candidates");
    expect(candidatesSpan?.attributes["gen_ai.request.choice.count"]).toBe(2);
    expect(candidatesSpan?.attributes["gen_ai.response.finish_reasons"]).toEqual(["stop", "stop"]);
    expect(jsonAttribute(candidatesSpan, "gen_ai.output.messages")).toEqual(
      (two.candidates ?? []).map((candidate) => ({
        role: "assistant",
        parts: [{ type: "text", content: candidate.content?.parts?.[0]?.text }],
        finish_reason: "stop",
      })),
    );
    expect(byModel("mock-max-tokens")?.attributes["gen_ai.response.finish_reasons"]).toEqual(["length"]);
    expect(byModel("mock-safety")?.attributes["gen_ai.response.finish_reasons"]).toEqual(["content_filter"]);
    expect(jsonAttribute(byModel("mock-safety"), "gen_ai.output.messages")).toEqual([
      { role: "assistant", parts: [], finish_reason: "content_filter" },
    ]);
  });

  it("reads every form of contents the SDK accepts: a Content, Parts, Contents", async () => {
    const session = tracedSession();
    const client = wrappedGoogle();
    await client.models.generateContent({ model: "mock-text", contents: { role: "user", parts: [{ text: "one" }] } });
    await client.models.generateContent({ model: "mock-text", contents: ["two", { text: "three" }] });
    await client.models.generateContent({ model: "mock-text", contents: { text: "four" } });
    const spans = await session.spans(3);
    const inputs = spans.map((span) => jsonAttribute(span, "gen_ai.input.messages"));
    expect(inputs).toEqual(
      expect.arrayContaining([
        [{ role: "user", parts: [{ type: "text", content: "one" }] }],
        [
          {
            role: "user",
            parts: [
              { type: "text", content: "two" },
              { type: "text", content: "three" },
            ],
          },
        ],
        [{ role: "user", parts: [{ type: "text", content: "four" }] }],
      ]),
    );
  });

  it("names the provider gcp.vertex_ai for a client in Vertex AI mode", async () => {
    const session = tracedSession();
    const sent = googleCapture();
    const response = await wrappedVertex().models.generateContent({
      model: "mock-text",
      contents: "Hi",
      config: { httpOptions: sent.httpOptions },
    });
    const [request] = await sent.requests();
    expect(request?.path).toBe("/v1beta1/publishers/google/models/mock-text:generateContent");
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.provider.name"]).toBe("gcp.vertex_ai");
    expect(span?.attributes["gen_ai.response.id"]).toBe(response.responseId);
    expectUsage(span, response);
  });

  it("leaves content out when traceContent is off", async () => {
    const session = tracedSession({ traceContent: false });
    await wrappedGoogle().models.generateContent({
      model: "mock-tools",
      contents: "Weather?",
      config: { systemInstruction: "Be brief.", tools: [{ functionDeclarations: [{ name: "get_weather" }] }] },
    });
    const [span] = await session.spans(1);
    const names = Object.keys(span?.attributes ?? {});
    expect(names.filter((name) => /messages|instructions|prompts|completions/.test(name))).toEqual([]);
    expect(jsonAttribute(span, "gen_ai.tool.definitions")).toEqual([{ type: "function", name: "get_weather" }]);
    expect(span?.attributes["gen_ai.usage.input_tokens"]).toBe(GEMINI_FIXTURES.tools?.usageMetadata.promptTokenCount);
  });
});

describe("function calling", () => {
  const { name, description, parameters } = WEATHER_TOOL.function;
  itRoundTripsTheWeatherTool({
    call: () =>
      wrappedGoogle().models.generateContent({
        model: "mock-tools",
        contents: [
          { role: "user", parts: [{ text: WEATHER_QUESTION }] },
          { role: "model", parts: [{ functionCall: { id: EARLIER_CALL.id, name, args: EARLIER_CALL.arguments } }] },
          {
            role: "user",
            parts: [{ functionResponse: { id: EARLIER_CALL.id, name, response: { output: EARLIER_RESULT } } }],
          },
        ],
        config: { tools: [{ functionDeclarations: [{ name, description, parametersJsonSchema: parameters }] }] },
      }),
    toolCalls: (answer) =>
      (answer.candidates?.[0]?.content?.parts ?? []).flatMap((part) =>
        part.functionCall
          ? [{ id: part.functionCall.id, name: String(part.functionCall.name), arguments: part.functionCall.args }]
          : [],
      ),
    finishReason: (answer) => String(answer.candidates?.[0]?.finishReason),
  });
});

describe("models.embedContent", () => {
  it("records an embeddings call of the Gemini API (which counts no tokens)", async () => {
    const session = tracedSession();
    const response = await wrappedGoogle().models.embedContent({
      model: "gemini-embedding-001",
      contents: ["What is your name?", "What is your favourite colour?"],
      config: { outputDimensionality: 3 },
    });
    expect(response.embeddings).toHaveLength(2);
    const [span] = await session.spans(1);
    expect(span?.name).toBe("embeddings gemini-embedding-001");
    expect(span?.attributes).toMatchObject({
      "gen_ai.operation.name": "embeddings",
      "gen_ai.provider.name": "gcp.gemini",
      "gen_ai.request.model": "gemini-embedding-001",
      "gen_ai.embeddings.dimension.count": 3,
      "llm.request.type": "embedding",
      ...embeddedTexts("What is your name?", "What is your favourite colour?"),
    });
    expect(span?.attributes["gen_ai.usage.input_tokens"]).toBeUndefined();
  });

  it("counts Vertex AI's per-text token statistics as the input", async () => {
    const session = tracedSession();
    const response = await wrappedVertex().models.embedContent({
      model: "text-embedding-005",
      contents: ["first text", "second text"],
    });
    const tokens = (response.embeddings ?? []).map((embedding) => embedding.statistics?.tokenCount ?? 0);
    expect(tokens).toHaveLength(2);
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.provider.name"]).toBe("gcp.vertex_ai");
    expect(span?.attributes["gen_ai.usage.input_tokens"]).toBe(tokens.reduce((total, count) => total + count, 0));
  });
});

describe("chat sessions", () => {
  it("traces each sendMessage with the whole conversation the session sends, and keeps the session's history", async () => {
    const session = tracedSession();
    const history = [
      { role: "user", parts: [{ text: "My name is Ada." }] },
      { role: "model", parts: [{ text: "Hello Ada." }] },
    ];
    const create = { model: "mock-text", config: { systemInstruction: "Be kind." }, history };
    const chat = wrappedGoogle().chats.create(create);
    const first = await chat.sendMessage({ message: "What is my name?" });
    const second = await chat.sendMessage({ message: "Thanks!" });
    const unwrapped = rawGoogle().chats.create(create);
    await unwrapped.sendMessage({ message: "What is my name?" });
    await unwrapped.sendMessage({ message: "Thanks!" });
    expect(chat.getHistory()).toEqual(unwrapped.getHistory());
    const spans = await session.spans(2);
    const inputs = spans.map((span) => jsonAttribute(span, "gen_ai.input.messages") as unknown[]);
    const [shorter, longer] = inputs.sort((a, b) => a.length - b.length);
    expect(shorter).toEqual([
      { role: "user", parts: [{ type: "text", content: "My name is Ada." }] },
      { role: "assistant", parts: [{ type: "text", content: "Hello Ada." }] },
      { role: "user", parts: [{ type: "text", content: "What is my name?" }] },
    ]);
    expect(longer).toEqual([
      ...(shorter ?? []),
      { role: "assistant", parts: [{ type: "text", content: first.text }] },
      { role: "user", parts: [{ type: "text", content: "Thanks!" }] },
    ]);
    for (const span of spans) {
      expect(span.name).toBe("generate_content mock-text");
      expect(jsonAttribute(span, "gen_ai.system_instructions")).toEqual([{ type: "text", content: "Be kind." }]);
      expect(span.attributes["gen_ai.request.stream"]).toBe(false);
    }
    expect(second.text).toBe(first.text);
    // Both turns of one conversation: the same derived conversation id.
    expect(spans[0]?.attributes["moda.conversation_id"]).toBe(spans[1]?.attributes["moda.conversation_id"]);
  });

  it("traces sendMessageStream as one streamed span, and the session records the streamed answer", async () => {
    const session = tracedSession();
    const chat = wrappedGoogle().chats.create({ model: "mock-thinking" });
    let streamed = "";
    for await (const chunk of await chat.sendMessageStream({ message: "6 times 7?" })) streamed += chunk.text ?? "";
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.request.stream"]).toBe(true);
    const fixture = GEMINI_FIXTURES.thinking?.candidates[0]?.content.parts ?? [];
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "reasoning", content: fixture[0]?.text },
          { type: "text", content: fixture[1]?.text },
        ],
        finish_reason: "stop",
      },
    ]);
    expect(streamed).toBe(fixture[1]?.text);
    const history = chat.getHistory();
    expect(history).toHaveLength(2);
    expect(history[1]?.role).toBe("model");
  });
});
