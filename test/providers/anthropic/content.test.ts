/**
 * What a span says of a Claude call, read back from the OTLP receiver: content, tool use, thinking, images,
 * usage, providers. Real SDKs (newest major and the one before) against the mock Anthropic server.
 */
import { describe, expect, it } from "vitest";
import { ANTHROPIC_SDKS, ask, rawAnthropic, wrappedAnthropic } from "../../support/anthropic-harness";
import { jsonAttribute, tracedSession } from "../../support/openai-harness";
import type { DecodedSpan } from "../../support/receiver-client";

const PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _event of stream) {
    // read to the end
  }
}

/** The output parts of a span's only output message. */
function outputParts(span: DecodedSpan | undefined): Record<string, unknown>[] {
  const messages = jsonAttribute(span, "gen_ai.output.messages") as { parts: Record<string, unknown>[] }[];
  expect(messages).toHaveLength(1);
  return messages[0]?.parts ?? [];
}

describe.each(ANTHROPIC_SDKS)("wrap(%s): content", (_name, Anthropic) => {
  it.each([false, true])("records parallel tool use (stream: %s)", async (stream) => {
    const session = tracedSession();
    const client = wrappedAnthropic(Anthropic);
    const tools = [
      {
        name: "get_weather",
        description: "Current weather in a city",
        input_schema: { type: "object" as const, properties: { location: { type: "string" } }, required: ["location"] },
      },
    ];
    if (stream) await drain(await client.messages.create({ ...ask("tools"), tools, stream: true }));
    else await client.messages.create({ ...ask("tools"), tools });
    const [span] = await session.spans(1);

    expect(span?.name).toBe("chat mock-tools");
    expect(span?.kind).toBe("CLIENT");
    expect(span?.attributes["gen_ai.request.stream"]).toBe(stream);
    expect(span?.attributes["gen_ai.response.finish_reasons"]).toEqual(["tool_call"]);
    expect(outputParts(span).filter((part) => part.type === "tool_call")).toEqual([
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
    expect(jsonAttribute(span, "gen_ai.tool.definitions")).toEqual([
      { type: "function", name: "get_weather", description: tools[0]?.description, parameters: tools[0]?.input_schema },
    ]);
  });

  it("records a tool result sent back as a tool_call_response", async () => {
    const session = tracedSession();
    await wrappedAnthropic(Anthropic).messages.create({
      ...ask("text"),
      messages: [
        { role: "user", content: "Weather in Paris?" },
        {
          role: "assistant",
          content: [{ type: "tool_use", id: "toolu_9", name: "get_weather", input: { location: "Paris" } }],
        },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_9", content: "18°C and sunny" }] },
      ],
    });
    const [span] = await session.spans(1);
    const input = jsonAttribute(span, "gen_ai.input.messages") as { role: string; parts: unknown[] }[];
    expect(input[1]?.parts).toEqual([
      { type: "tool_call", id: "toolu_9", name: "get_weather", arguments: { location: "Paris" } },
    ]);
    expect(input[2]?.parts).toEqual([{ type: "tool_call_response", id: "toolu_9", response: "18°C and sunny" }]);
  });

  it.each([false, true])("records thinking as reasoning, without its signature (stream: %s)", async (stream) => {
    const session = tracedSession();
    const client = wrappedAnthropic(Anthropic);
    const params = { ...ask("thinking"), thinking: { type: "enabled" as const, budget_tokens: 1024 } };
    if (stream) await drain(await client.messages.create({ ...params, stream: true }));
    else await client.messages.create(params);
    const [span] = await session.spans(1);

    expect(outputParts(span)).toEqual([
      {
        type: "reasoning",
        content: "The user asks for 27 * 453. 27 * 453 = 27 * 400 + 27 * 53 = 10800 + 1431 = 12231.",
      },
      { type: "text", content: "27 * 453 = 12,231" },
    ]);
    expect(JSON.stringify(span?.attributes)).not.toContain("EuYBCkQYAiJAgCs1le6");
    expect(span?.attributes["gen_ai.usage.reasoning.output_tokens"]).toBe(82);
    expect(span?.attributes["llm.completions.0.role"]).toBe("thinking");
  });

  it.each([false, true])("records redacted thinking by its size only (stream: %s)", async (stream) => {
    const session = tracedSession();
    const client = wrappedAnthropic(Anthropic);
    if (stream) await drain(await client.messages.create({ ...ask("redacted-thinking"), stream: true }));
    else await client.messages.create(ask("redacted-thinking"));
    const [span] = await session.spans(1);

    const parts = outputParts(span);
    expect(parts[0]?.type).toBe("redacted_reasoning");
    expect(parts[0]?.size).toBeGreaterThan(50);
    expect(parts.slice(1).map((part) => part.type)).toEqual(["reasoning", "text"]);
    expect(JSON.stringify(span?.attributes)).not.toContain("EmwKAhgBEgy3va3pzix");
  });

  it("records images: base64 as a descriptor of the blob, URLs as they are", async () => {
    const session = tracedSession();
    await wrappedAnthropic(Anthropic).messages.create({
      ...ask("text"),
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_1X1 } },
            { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
            { type: "text", text: "What is in these images?" },
          ],
        },
      ],
    });
    const [span] = await session.spans(1);
    const [message] = jsonAttribute(span, "gen_ai.input.messages") as { parts: Record<string, unknown>[] }[];
    expect(message?.parts[0]).toMatchObject({ type: "blob_omitted", modality: "image", mime_type: "image/png" });
    expect(message?.parts[0]?.byte_size).toBe(Math.floor((PNG_1X1.length * 3) / 4) - 2);
    expect(message?.parts[1]).toEqual({ type: "uri", modality: "image", uri: "https://example.com/cat.jpg" });
    expect(message?.parts[2]).toEqual({ type: "text", content: "What is in these images?" });
    expect(JSON.stringify(span?.attributes)).not.toContain(PNG_1X1.slice(0, 24));
  });

  it.each([false, true])("counts cache reads and writes into the input tokens (stream: %s)", async (stream) => {
    const session = tracedSession();
    const client = wrappedAnthropic(Anthropic);
    if (stream) await drain(await client.messages.create({ ...ask("cache"), stream: true }));
    else await client.messages.create(ask("cache"));
    const [span] = await session.spans(1);

    expect(span?.attributes["gen_ai.usage.input_tokens"]).toBe(21 + 2048 + 188);
    expect(span?.attributes["gen_ai.usage.cache_read.input_tokens"]).toBe(2048);
    expect(span?.attributes["gen_ai.usage.cache_creation.input_tokens"]).toBe(188);
    expect(span?.attributes["gen_ai.usage.output_tokens"]).toBe(14);
  });

  it.each([false, true])("records server tool use and web search results (stream: %s)", async (stream) => {
    const session = tracedSession();
    const client = wrappedAnthropic(Anthropic);
    const params = {
      ...ask("web-search"),
      tools: [{ type: "web_search_20250305" as const, name: "web_search" as const }],
    };
    if (stream) await drain(await client.messages.create({ ...params, stream: true }));
    else await client.messages.create(params);
    const [span] = await session.spans(1);

    const parts = outputParts(span);
    expect(parts.map((part) => part.type)).toEqual(["text", "server_tool_call", "server_tool_call_response", "text"]);
    expect(parts[1]).toEqual({
      type: "server_tool_call",
      id: "srvtoolu_01WYG3ziw53XMcoyKL4XcZmE",
      name: "web_search",
      server_tool_call: { type: "web_search", query: "claude shannon birth date" },
    });
    expect(parts[2]).toMatchObject({
      type: "server_tool_call_response",
      id: "srvtoolu_01WYG3ziw53XMcoyKL4XcZmE",
      server_tool_call_response: { type: "web_search" },
    });
    expect(jsonAttribute(span, "gen_ai.tool.definitions")).toEqual([
      { type: "web_search_20250305", name: "web_search" },
    ]);
  });

  it("records the system prompt as system instructions, as a string and as text blocks", async () => {
    const session = tracedSession();
    const client = wrappedAnthropic(Anthropic);
    await client.messages.create({ ...ask("text"), system: "You are terse." });
    await client.messages.create({
      ...ask("text"),
      system: [
        { type: "text", text: "You are terse." },
        { type: "text", text: "Answer in French.", cache_control: { type: "ephemeral" } },
      ],
    });
    const spans = await session.spans(2);
    expect(spans.map((span) => jsonAttribute(span, "gen_ai.system_instructions"))).toEqual([
      [{ type: "text", content: "You are terse." }],
      [
        { type: "text", content: "You are terse." },
        { type: "text", content: "Answer in French." },
      ],
    ]);
  });

  it("records request params, response id and model, and the server", async () => {
    const session = tracedSession();
    // Sampling params are gone from the 1.x types (API version 2026-10-21); 0.x and the API before take them.
    const sampled = { ...ask("max-tokens"), temperature: 0.2, top_p: 0.8, top_k: 40, stop_sequences: ["\n\nHuman:"] };
    const response = await wrappedAnthropic(Anthropic).messages.create(sampled as ReturnType<typeof ask>);
    const [span] = await session.spans(1);
    const server = new URL(rawAnthropic(Anthropic).baseURL);
    expect(span?.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "anthropic",
      "gen_ai.request.model": "mock-max-tokens",
      "gen_ai.request.max_tokens": 256,
      "gen_ai.request.temperature": 0.2,
      "gen_ai.request.top_p": 0.8,
      "gen_ai.request.top_k": 40,
      "gen_ai.request.stop_sequences": ["\n\nHuman:"],
      "gen_ai.response.id": response.id,
      "gen_ai.response.model": response.model,
      "gen_ai.response.finish_reasons": ["length"],
      "server.address": server.hostname,
      "server.port": Number(server.port),
    });
  });

  it("takes the conversation id of the SDK's own openTelemetry.conversationId request option", async () => {
    const session = tracedSession();
    await wrappedAnthropic(Anthropic).messages.create(ask("text"), { openTelemetry: { conversationId: "conv-42" } });
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.conversation.id"]).toBe("conv-42");
    expect(span?.attributes["moda.conversation_id"]).toBe("conv-42");
  });

  it("maps a refusal to content_filter", async () => {
    const session = tracedSession();
    await wrappedAnthropic(Anthropic).messages.create(ask("refusal"));
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.response.finish_reasons"]).toEqual(["content_filter"]);
  });

  it("traces beta.messages.create and beta.messages.stream", async () => {
    const session = tracedSession();
    const client = wrappedAnthropic(Anthropic);
    await client.beta.messages.create({ ...ask("tools"), betas: ["token-efficient-tools-2025-02-19"] });
    const final = await client.beta.messages.stream(ask("thinking")).finalMessage();
    const spans = await session.spans(2);
    expect(spans.map((span) => span.name)).toEqual(["chat mock-tools", "chat mock-thinking"]);
    expect(spans[1]?.attributes["gen_ai.response.id"]).toBe(final.id);
  });

  it("traces messages.parse as the one call it makes", async () => {
    const session = tracedSession();
    const message = await wrappedAnthropic(Anthropic).messages.parse(ask("text"));
    await session.spans(1);
    const spans = await session.sink.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0]?.attributes["gen_ai.response.id"]).toBe(message.id);
  });

  it("names the provider of a Bedrock or Vertex client", async () => {
    const session = tracedSession();
    class AnthropicBedrock extends Anthropic {}
    class AnthropicVertex extends Anthropic {}
    for (const Client of [AnthropicBedrock, AnthropicVertex]) {
      await wrappedAnthropic(Client).messages.create(ask("text"));
    }
    const spans = await session.spans(2);
    expect(spans.map((span) => span.attributes["gen_ai.provider.name"])).toEqual(["aws.bedrock", "gcp.vertex_ai"]);
  });
});

describe("wrap(@anthropic-ai/sdk 0.x): legacy completions", () => {
  const [, AnthropicV0] = ANTHROPIC_SDKS[1] ?? [];
  const params = { model: "claude-2.1", max_tokens_to_sample: 100, prompt: "\n\nHuman: Hi\n\nAssistant:" };

  it.each([false, true])("traces completions.create (stream: %s)", async (stream) => {
    if (!AnthropicV0) throw new Error("no 0.x SDK");
    const session = tracedSession();
    const client = wrappedAnthropic(AnthropicV0) as unknown as InstanceType<typeof import("anthropic-v0").default>;
    if (stream) await drain(await client.completions.create({ ...params, stream: true }));
    else await client.completions.create(params);
    const [span] = await session.spans(1);
    expect(span?.name).toBe("text_completion claude-2.1");
    expect(span?.attributes["gen_ai.request.max_tokens"]).toBe(100);
    expect(jsonAttribute(span, "gen_ai.input.messages")).toEqual([
      { role: "user", parts: [{ type: "text", content: params.prompt }] },
    ]);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      { role: "assistant", parts: [{ type: "text", content: " Hello! My name is Claude." }], finish_reason: "stop" },
    ]);
  });
});
