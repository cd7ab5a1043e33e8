/**
 * Issue 4, item 5: usage on streams. `stream_options.include_usage` is asked for when the caller did not set
 * it (unless `injectStreamUsage: false`), the extra usage-only chunk is hidden from the caller, the caller's
 * params are never changed, and streamed tool-call deltas are accumulated by index.
 */
import { describe, expect, it } from "vitest";
import { capture, jsonAttribute, tracedSession, wrappedClient } from "../../support/openai-harness";
import { OPENAI_SDKS } from "../../support/openai-sdks";

/** Deep-freezes `value`, so that any change to it throws. */
function frozen<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) frozen(inner);
    Object.freeze(value);
  }
  return value;
}

interface ChunkLike {
  choices: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: unknown;
}

async function readAll<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const chunks: T[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe.each(OPENAI_SDKS)("stream usage with %s", (_name, OpenAI) => {
  it("asks for usage, hides the usage chunk, and leaves the caller's params alone", async () => {
    const session = tracedSession();
    const sent = capture();
    const params = frozen({
      model: "gpt-4o",
      messages: [{ role: "user" as const, content: "Hi" }],
      stream: true as const,
    });
    const before = JSON.stringify(params);
    const chunks: ChunkLike[] = await readAll(
      await wrappedClient(OpenAI).chat.completions.create(params, { headers: sent.headers }),
    );
    expect(JSON.stringify(params)).toBe(before);
    const [request] = await sent.requests();
    expect((request?.body as { stream_options?: unknown } | undefined)?.stream_options).toEqual({
      include_usage: true,
    });
    expect(chunks.every((chunk) => chunk.choices.length > 0)).toBe(true);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.usage.input_tokens"]).toBe(19);
    expect(span?.attributes["gen_ai.usage.output_tokens"]).toBe(10);
    expect(span?.attributes["gen_ai.usage.cache_read.input_tokens"]).toBe(6);
  });

  it("keeps the caller's other stream options and adds include_usage beside them", async () => {
    const session = tracedSession();
    const sent = capture();
    const streamOptions = frozen({ include_obfuscation: false });
    const params = {
      model: "gpt-4o",
      messages: [{ role: "user" as const, content: "Hi" }],
      stream: true as const,
      stream_options: streamOptions,
    };
    await readAll(await wrappedClient(OpenAI).chat.completions.create(params, { headers: sent.headers }));
    expect(params.stream_options).toBe(streamOptions);
    expect(streamOptions).toEqual({ include_obfuscation: false });
    const [request] = await sent.requests();
    expect((request?.body as { stream_options?: unknown } | undefined)?.stream_options).toEqual({
      include_obfuscation: false,
      include_usage: true,
    });
    await session.spans(1);
  });

  it("shows the usage chunk to a caller who asked for it", async () => {
    const session = tracedSession();
    const params = {
      model: "gpt-4o",
      messages: [{ role: "user" as const, content: "Hi" }],
      stream: true as const,
      stream_options: { include_usage: true },
    };
    const chunks: ChunkLike[] = await readAll(await wrappedClient(OpenAI).chat.completions.create(params));
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 19, completion_tokens: 10 });
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.usage.output_tokens"]).toBe(10);
  });

  it("respects include_usage: false", async () => {
    const session = tracedSession();
    const sent = capture();
    const params = {
      model: "gpt-4o",
      messages: [{ role: "user" as const, content: "Hi" }],
      stream: true as const,
      stream_options: { include_usage: false },
    };
    const chunks: ChunkLike[] = await readAll(
      await wrappedClient(OpenAI).chat.completions.create(params, { headers: sent.headers }),
    );
    const [request] = await sent.requests();
    expect((request?.body as { stream_options?: unknown } | undefined)?.stream_options).toEqual({
      include_usage: false,
    });
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.usage.output_tokens"]).toBeUndefined();
  });

  it("does not ask when injectStreamUsage is false", async () => {
    const session = tracedSession({ injectStreamUsage: false });
    const sent = capture();
    const params = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Hi" }], stream: true as const };
    await readAll(await wrappedClient(OpenAI).chat.completions.create(params, { headers: sent.headers }));
    const [request] = await sent.requests();
    expect(request?.body).not.toHaveProperty("stream_options");
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.usage.input_tokens"]).toBeUndefined();
    expect(span?.attributes["gen_ai.response.finish_reasons"]).toEqual(["stop"]);
  });

  it("does the same for legacy completions", async () => {
    const session = tracedSession();
    const sent = capture();
    const params = frozen({ model: "gpt-3.5-turbo-instruct", prompt: "Once upon a time", stream: true as const });
    const chunks = await readAll(await wrappedClient(OpenAI).completions.create(params, { headers: sent.headers }));
    expect(chunks.every((chunk) => chunk.choices.length > 0)).toBe(true);
    expect(chunks.map((chunk) => chunk.choices[0]?.text).join("")).toBe(" a quiet village by the sea.");
    const [request] = await sent.requests();
    expect((request?.body as { stream_options?: unknown } | undefined)?.stream_options).toEqual({
      include_usage: true,
    });
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.usage.input_tokens"]).toBe(5);
    expect(span?.attributes["gen_ai.usage.output_tokens"]).toBe(7);
  });

  it("accumulates interleaved tool-call deltas by index", async () => {
    const session = tracedSession();
    const params = {
      model: "mock-tools",
      messages: [{ role: "user" as const, content: "Weather?" }],
      stream: true as const,
    };
    await readAll(await wrappedClient(OpenAI).chat.completions.create(params));
    const [span] = await session.spans(1);
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
    expect(span?.attributes["gen_ai.usage.output_tokens"]).toBe(51);
  });

  it("accumulates interleaved choices by index when n > 1", async () => {
    const session = tracedSession();
    const params = {
      model: "gpt-4o",
      messages: [{ role: "user" as const, content: "Hi" }],
      stream: true as const,
      n: 3,
    };
    await readAll(await wrappedClient(OpenAI).chat.completions.create(params));
    const [span] = await session.spans(1);
    const texts = (jsonAttribute(span, "gen_ai.output.messages") as { parts: { content: string }[] }[]).map(
      (message) => message.parts[0]?.content,
    );
    expect(texts).toEqual([
      "Hello! How can I help you today?",
      "Hello! How can I help you today? [1]",
      "Hello! How can I help you today? [2]",
    ]);
    expect(span?.attributes["gen_ai.response.finish_reasons"]).toEqual(["stop", "stop", "stop"]);
    expect(span?.attributes["gen_ai.request.choice.count"]).toBe(3);
  });

  it("takes Azure's empty-choices first chunk and content-filter chunks in its stride", async () => {
    const session = tracedSession();
    const params = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Hi" }], stream: true as const };
    const chunks: ChunkLike[] = await readAll(
      await wrappedClient(OpenAI).chat.completions.create(params, { headers: { "x-mock-scenario": "azure" } }),
    );
    expect(chunks[0]?.choices).toEqual([]);
    expect(chunks.at(-1)?.choices[0]?.delta).toBeUndefined();
    expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? "").join("")).toBe(
      "Hello! How can I help you today?",
    );
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.response.id"]).toMatch(/^chatcmpl-mock\d+$/);
    expect(span?.attributes["gen_ai.response.model"]).toBe("gpt-4o-2026-01-01");
    expect(span?.attributes["gen_ai.response.finish_reasons"]).toEqual(["stop"]);
    expect(span?.attributes["gen_ai.usage.input_tokens"]).toBe(19);
  });
});
