/**
 * Bedrock's Converse and ConverseStream through a wrapped `BedrockRuntimeClient`, against the mock runtime: each span
 * read back from the OTLP receiver and compared, attribute by attribute, with the request and with what the SDK
 * handed back (tools, images and documents, reasoning, cache points and cache usage included).
 */
import {
  BedrockRuntime,
  ConverseCommand,
  type ConverseCommandInput,
  type ConverseCommandOutput,
  ConverseStreamCommand,
  type ConverseStreamOutput,
} from "@aws-sdk/client-bedrock-runtime";
import { describe, expect, it } from "vitest";
import { wrap } from "../../../src/index";
import { CONVERSE_FIXTURES } from "../../support/bedrock-fixtures";
import {
  bedrockCapture,
  bedrockConfig,
  bedrockPort,
  rawBedrock,
  userText,
  wrappedBedrock,
} from "../../support/bedrock-harness";
import { readAll } from "../../support/call-helpers";
import {
  EARLIER_CALL,
  EARLIER_RESULT,
  itRoundTripsTheWeatherTool,
  WEATHER_QUESTION,
  WEATHER_TOOL,
} from "../../support/conformance/weather-tool";
import { jsonAttribute, tracedSession } from "../../support/openai-harness";
import type { DecodedSpan } from "../../support/receiver-client";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const PDF = new TextEncoder().encode("%PDF-1.4 mock document");

const ask = (scenario: string, text = "Hi"): ConverseCommandInput => ({
  modelId: `anthropic.claude-mock-${scenario}`,
  messages: [userText(text)],
});

const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

function expectUsage(span: DecodedSpan | undefined, usage: ConverseCommandOutput["usage"]): void {
  const cacheRead = usage?.cacheReadInputTokens;
  const cacheWrite = usage?.cacheWriteInputTokens;
  const input = (usage?.inputTokens ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0);
  expect(span?.attributes["gen_ai.usage.input_tokens"]).toBe(input);
  expect(span?.attributes["gen_ai.usage.output_tokens"]).toBe(usage?.outputTokens);
  expect(span?.attributes["gen_ai.usage.cache_read.input_tokens"]).toBe(cacheRead);
  expect(span?.attributes["gen_ai.usage.cache_creation.input_tokens"]).toBe(cacheWrite);
  expect(span?.attributes["llm.usage.total_tokens"]).toBe(usage?.totalTokens);
}

describe("ConverseCommand", () => {
  it("describes the request and the answer, attribute by attribute", async () => {
    const session = tracedSession();
    const input: ConverseCommandInput = {
      ...ask("text", "Hi there"),
      system: [{ text: "Answer in one sentence." }],
      inferenceConfig: { maxTokens: 300, temperature: 0.2, topP: 0.8, stopSequences: ["END"] },
      additionalModelRequestFields: { top_k: 50 },
    };
    const output = await wrappedBedrock().send(new ConverseCommand(input));
    const [span] = await session.spans(1);
    const text = output.output?.message?.content?.[0]?.text;
    expect(span?.name).toBe("chat anthropic.claude-mock-text");
    expect(span?.kind).toBe("CLIENT");
    expect(span?.status.code).toBe("UNSET");
    expect(span?.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "aws.bedrock",
      "llm.system": "aws.bedrock",
      "llm.request.type": "chat",
      "server.address": "127.0.0.1",
      "server.port": bedrockPort(),
      "gen_ai.request.model": "anthropic.claude-mock-text",
      "gen_ai.request.max_tokens": 300,
      "gen_ai.request.temperature": 0.2,
      "gen_ai.request.top_p": 0.8,
      "gen_ai.request.top_k": 50,
      "gen_ai.request.stop_sequences": ["END"],
      "gen_ai.request.stream": false,
      "gen_ai.response.id": output.$metadata.requestId,
      "gen_ai.response.finish_reasons": ["stop"],
    });
    expect(output.stopReason).toBe("end_turn");
    expectUsage(span, output.usage);
    expect(jsonAttribute(span, "gen_ai.system_instructions")).toEqual([
      { type: "text", content: "Answer in one sentence." },
    ]);
    expect(jsonAttribute(span, "gen_ai.input.messages")).toEqual([
      { role: "user", parts: [{ type: "text", content: "Hi there" }] },
    ]);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      { role: "assistant", parts: [{ type: "text", content: text }], finish_reason: "stop" },
    ]);
    expect(span?.attributes["llm.completions.0.content"]).toBe(text);
  });

  it("records tool definitions, tool calls, and a history of tool use and results", async () => {
    const session = tracedSession();
    const schema = { type: "object", properties: { location: { type: "string" } }, required: ["location"] };
    const output = await wrappedBedrock().send(
      new ConverseCommand({
        modelId: "anthropic.claude-mock-tools",
        messages: [
          userText("Weather in Paris and London?"),
          {
            role: "assistant",
            content: [{ toolUse: { toolUseId: "tu_0", name: "get_weather", input: { location: "Rome" } } }],
          },
          {
            role: "user",
            content: [
              {
                toolResult: {
                  toolUseId: "tu_0",
                  content: [{ json: { temperature: 24 } }, { image: { format: "png", source: { bytes: PNG } } }],
                  status: "success",
                },
              },
            ],
          },
        ],
        toolConfig: {
          tools: [
            { toolSpec: { name: "get_weather", description: "Weather at a place", inputSchema: { json: schema } } },
            { cachePoint: { type: "default" } },
          ],
        },
      }),
    );
    const [span] = await session.spans(1);
    expect(jsonAttribute(span, "gen_ai.tool.definitions")).toEqual([
      { type: "function", name: "get_weather", description: "Weather at a place", parameters: schema },
    ]);
    expect(jsonAttribute(span, "gen_ai.input.messages")).toEqual([
      { role: "user", parts: [{ type: "text", content: "Weather in Paris and London?" }] },
      {
        role: "assistant",
        parts: [{ type: "tool_call", id: "tu_0", name: "get_weather", arguments: { location: "Rome" } }],
      },
      {
        role: "tool",
        parts: [
          { type: "tool_call_response", id: "tu_0", response: { temperature: 24 } },
          { type: "blob_omitted", modality: "image", mime_type: "image/png", byte_size: PNG.length },
        ],
      },
    ]);
    const blocks = output.output?.message?.content ?? [];
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: blocks.map((block) =>
          block.toolUse
            ? {
                type: "tool_call",
                id: block.toolUse.toolUseId,
                name: block.toolUse.name,
                arguments: block.toolUse.input,
              }
            : { type: "text", content: block.text },
        ),
        finish_reason: "tool_call",
      },
    ]);
    expectUsage(span, output.usage);
  });

  it("records images, documents and videos as parts, inline bytes left out unless binary capture is on", async () => {
    const content: NonNullable<ConverseCommandInput["messages"]>[number]["content"] = [
      { text: "Compare these." },
      { image: { format: "png", source: { bytes: PNG } } },
      { document: { format: "pdf", name: "contract", source: { bytes: PDF } } },
      { video: { format: "mp4", source: { s3Location: { uri: "s3://bucket/clip.mp4" } } } },
    ];
    const expectedParts = (captureBinary: boolean) => [
      { type: "text", content: "Compare these." },
      captureBinary
        ? { type: "blob", modality: "image", mime_type: "image/png", content: base64(PNG) }
        : { type: "blob_omitted", modality: "image", mime_type: "image/png", byte_size: PNG.length },
      captureBinary
        ? { type: "blob", modality: "document", mime_type: "application/pdf", content: base64(PDF) }
        : { type: "blob_omitted", modality: "document", mime_type: "application/pdf", byte_size: PDF.length },
      { type: "uri", modality: "video", mime_type: "video/mp4", uri: "s3://bucket/clip.mp4" },
    ];
    for (const captureBinary of [false, true]) {
      const session = tracedSession({ captureBinary });
      await wrappedBedrock().send(
        new ConverseCommand({ modelId: "amazon.nova-pro-mock-text", messages: [{ role: "user", content }] }),
      );
      const [span] = await session.spans(1);
      expect(jsonAttribute(span, "gen_ai.input.messages")).toEqual([
        { role: "user", parts: expectedParts(captureBinary) },
      ]);
    }
  });

  it("records reasoning as its own part, its signature kept out", async () => {
    const session = tracedSession();
    const output = await wrappedBedrock().send(new ConverseCommand(ask("thinking")));
    const [span] = await session.spans(1);
    const [reasoning, answer] = output.output?.message?.content ?? [];
    expect(reasoning?.reasoningContent?.reasoningText?.signature).toBeTruthy();
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "reasoning", content: reasoning?.reasoningContent?.reasoningText?.text },
          { type: "text", content: answer?.text },
        ],
        finish_reason: "stop",
      },
    ]);
    expect(span?.attributes["llm.completions.0.role"]).toBe("thinking");
  });

  it("leaves cache points out of the content, and counts cache reads and writes within the input", async () => {
    const session = tracedSession();
    const output = await wrappedBedrock().send(
      new ConverseCommand({
        modelId: "anthropic.claude-mock-cache",
        system: [{ text: "You are a support bot. Manual: …" }, { cachePoint: { type: "default" } }],
        messages: [{ role: "user", content: [{ text: "My router is down." }, { cachePoint: { type: "default" } }] }],
      }),
    );
    const [span] = await session.spans(1);
    expect(output.usage?.cacheReadInputTokens).toBe(CONVERSE_FIXTURES.cache?.usage.cacheReadInputTokens);
    expectUsage(span, output.usage);
    expect(jsonAttribute(span, "gen_ai.system_instructions")).toEqual([
      { type: "text", content: "You are a support bot. Manual: …" },
    ]);
    expect(jsonAttribute(span, "gen_ai.input.messages")).toEqual([
      { role: "user", parts: [{ type: "text", content: "My router is down." }] },
    ]);
    expect(span?.attributes["llm.usage.cache_read_input_tokens"]).toBe(output.usage?.cacheReadInputTokens);
    expect(span?.attributes["llm.usage.cache_creation_input_tokens"]).toBe(output.usage?.cacheWriteInputTokens);
  });

  it("maps the stop reasons max_tokens and guardrail_intervened", async () => {
    const session = tracedSession();
    const client = wrappedBedrock();
    await client.send(new ConverseCommand(ask("max-tokens")));
    await client.send(new ConverseCommand(ask("guardrail")));
    const spans = await session.spans(2);
    const reasons = (model: string) =>
      spans.find((span) => span.attributes["gen_ai.request.model"] === model)?.attributes[
        "gen_ai.response.finish_reasons"
      ];
    expect(reasons("anthropic.claude-mock-max-tokens")).toEqual(["length"]);
    expect(reasons("anthropic.claude-mock-guardrail")).toEqual(["content_filter"]);
  });

  it("traces the aggregated client's converse() through its send()", async () => {
    const session = tracedSession();
    const client = wrap(new BedrockRuntime(bedrockConfig()));
    expect(client).toBeInstanceOf(BedrockRuntime);
    const output = await client.converse(ask("text"));
    const [span] = await session.spans(1);
    expect(span?.name).toBe("chat anthropic.claude-mock-text");
    expect(span?.attributes["gen_ai.response.id"]).toBe(output.$metadata.requestId);
  });

  it("names the region's endpoint when the client has no endpoint of its own", async () => {
    const session = tracedSession();
    const client = rawBedrock({ region: "eu-west-3", endpoint: undefined });
    // Sent to the mock all the same, through a middleware of the test: the span must still name the configured region.
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { hostname: string; port?: number; protocol: string; path: string };
        const mock = new URL(bedrockConfig().endpoint as string);
        Object.assign(request, { hostname: mock.hostname, port: Number(mock.port), protocol: "http:" });
        return next(args);
      },
      { step: "finalizeRequest", name: "toMock", priority: "low" },
    );
    await wrap(client).send(new ConverseCommand(ask("text")));
    const [span] = await session.spans(1);
    expect(span?.attributes["server.address"]).toBe("bedrock-runtime.eu-west-3.amazonaws.com");
    expect(span?.attributes["server.port"]).toBe(443);
  });
});

describe("Converse tool use", () => {
  const { name, description, parameters } = WEATHER_TOOL.function;
  itRoundTripsTheWeatherTool({
    call: () =>
      wrappedBedrock().send(
        new ConverseCommand({
          modelId: "anthropic.claude-mock-tools",
          messages: [
            userText(WEATHER_QUESTION),
            {
              role: "assistant",
              content: [{ toolUse: { toolUseId: EARLIER_CALL.id, name, input: EARLIER_CALL.arguments } }],
            },
            {
              role: "user",
              content: [{ toolResult: { toolUseId: EARLIER_CALL.id, content: [{ text: EARLIER_RESULT }] } }],
            },
          ],
          toolConfig: { tools: [{ toolSpec: { name, description, inputSchema: { json: parameters } } }] },
        }),
      ),
    toolCalls: (answer) =>
      (answer.output?.message?.content ?? []).flatMap((block) =>
        block.toolUse
          ? [{ id: block.toolUse.toolUseId, name: String(block.toolUse.name), arguments: block.toolUse.input }]
          : [],
      ),
    finishReason: (answer) => String(answer.stopReason),
  });
});

describe("ConverseStreamCommand", () => {
  async function streamOf(scenario: string, wrapped = true) {
    const client = wrapped ? wrappedBedrock() : rawBedrock();
    const output = await client.send(new ConverseStreamCommand(ask(scenario)));
    return { output, ...(await readAll(output.stream as AsyncIterable<ConverseStreamOutput>)) };
  }

  it("keeps every event, and gathers the streamed answer, usage and time to first chunk", async () => {
    const session = tracedSession();
    const wrapped = await streamOf("text");
    const unwrapped = await streamOf("text", false);
    expect(wrapped.events).toEqual(unwrapped.events);
    const text = wrapped.events.map((event) => event.contentBlockDelta?.delta?.text ?? "").join("");
    const usage = wrapped.events.find((event) => event.metadata)?.metadata?.usage;
    const [span] = await session.spans(1);
    expect(span?.attributes).toMatchObject({
      "gen_ai.request.stream": true,
      "gen_ai.response.id": wrapped.output.$metadata.requestId,
      "gen_ai.response.finish_reasons": ["stop"],
    });
    expect(span?.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
    expectUsage(span, usage);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      { role: "assistant", parts: [{ type: "text", content: text }], finish_reason: "stop" },
    ]);
  });

  it("joins streamed tool input JSON and reasoning into the blocks the non-streamed answer has", async () => {
    const session = tracedSession();
    for (const scenario of ["tools", "thinking"]) await streamOf(scenario);
    const spans = await session.spans(2);
    const outputOf = (scenario: string) =>
      jsonAttribute(
        spans.find((span) => span.attributes["gen_ai.request.model"] === `anthropic.claude-mock-${scenario}`),
        "gen_ai.output.messages",
      );
    const [text, paris, london] = CONVERSE_FIXTURES.tools?.content ?? [];
    const toolCall = (block: typeof paris) => {
      const use = block?.toolUse as { toolUseId: string; name: string; input: unknown };
      return { type: "tool_call", id: use.toolUseId, name: use.name, arguments: use.input };
    };
    expect(outputOf("tools")).toEqual([
      {
        role: "assistant",
        parts: [{ type: "text", content: text?.text }, toolCall(paris), toolCall(london)],
        finish_reason: "tool_call",
      },
    ]);
    const [reasoning, answer] = CONVERSE_FIXTURES.thinking?.content ?? [];
    const thought = (reasoning?.reasoningContent as { reasoningText?: { text: string } } | undefined)?.reasoningText
      ?.text;
    expect(outputOf("thinking")).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "reasoning", content: thought },
          { type: "text", content: answer?.text },
        ],
        finish_reason: "stop",
      },
    ]);
  });

  it("records the request the SDK sent, unchanged by the wrapper", async () => {
    const session = tracedSession();
    const raw = rawBedrock();
    const sent = bedrockCapture(raw);
    const input = { ...ask("text"), inferenceConfig: { maxTokens: 10 } };
    const output = await wrap(raw).send(new ConverseStreamCommand(input));
    await readAll(output.stream as AsyncIterable<unknown>);
    const [request] = await sent.requests();
    expect(request?.path).toBe(`/model/${encodeURIComponent(String(input.modelId))}/converse-stream`);
    expect(request?.body).toEqual({ messages: input.messages, inferenceConfig: input.inferenceConfig });
    await session.spans(1);
  });
});
