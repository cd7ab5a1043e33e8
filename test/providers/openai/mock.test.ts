/**
 * The mock OpenAI server, checked with the real SDKs and no wrapper: if these fail, the wrapper tests
 * would test the mock rather than the wrapper.
 */
import { describe, expect, inject, it } from "vitest";
import { OPENAI_SDKS } from "../../support/openai-sdks";

const baseURL = `${inject("openaiUrl")}/v1`;
const ask = (model: string) => ({ model, messages: [{ role: "user" as const, content: "Hi" }] });

describe.each(OPENAI_SDKS)("mock OpenAI with %s", (_name, OpenAI) => {
  const client = new OpenAI({ apiKey: "test-key", baseURL, maxRetries: 0 });

  it("streams chat completions that the SDK accumulates into the non-streamed completion", async () => {
    for (const scenario of ["text", "tools", "json", "refusal", "length"]) {
      const whole = await client.chat.completions.create(ask(`mock-${scenario}`));
      const stream = await client.chat.completions.create({
        ...ask(`mock-${scenario}`),
        stream: true,
        stream_options: { include_usage: true },
      });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      const message = whole.choices[0]?.message;
      const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
      expect(text).toBe(message?.content ?? "");
      expect(chunks.at(-1)?.usage).toEqual(whole.usage);
      expect(chunks.at(-1)?.choices).toEqual([]);
      expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe(whole.choices[0]?.finish_reason);
    }
  });

  it("interleaves parallel tool call deltas by index", async () => {
    const stream = await client.chat.completions.create({ ...ask("mock-tools"), stream: true });
    const indexes: number[] = [];
    for await (const chunk of stream)
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) indexes.push(call.index);
    expect(indexes.slice(0, 4)).toEqual([0, 1, 0, 1]);
    expect(indexes.length).toBeGreaterThan(4);
  });

  it("answers n choices", async () => {
    const whole = await client.chat.completions.create({ ...ask("mock-text"), n: 3 });
    expect(whole.choices.map((c) => c.message.content)).toEqual([
      "Hello! How can I help you today?",
      "Hello! How can I help you today? [1]",
      "Hello! How can I help you today? [2]",
    ]);
  });

  it("streams Azure's empty-choices first chunk and a filter-only chunk", async () => {
    const stream = await client.chat.completions.create(
      { ...ask("gpt-4o"), stream: true },
      { headers: { "x-mock-scenario": "azure" } },
    );
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]?.choices).toEqual([]);
    expect((chunks.at(-1)?.choices[0] as { delta?: unknown } | undefined)?.delta).toBeUndefined();
  });

  it("streams a Response whose final snapshot equals the non-streamed Response", async () => {
    for (const scenario of ["text", "function-call", "reasoning", "web-search", "incomplete"]) {
      const whole = await client.responses.create({ model: `mock-${scenario}`, input: "Hi" });
      const events = [];
      for await (const event of await client.responses.create({ model: `mock-${scenario}`, input: "Hi", stream: true }))
        events.push(event);
      const last = events.at(-1) as { type: string; response: typeof whole };
      expect(last.type).toBe(`response.${whole.status}`);
      expect(last.response.output).toEqual(whole.output);
      expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    }
  });

  it("answers errors with OpenAI's error body", async () => {
    const error = await client.chat.completions.create(ask("mock-error-429")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("rate_limit_exceeded");
  });

  it("decodes base64 embeddings", async () => {
    const result = await client.embeddings.create({ model: "text-embedding-3-small", input: ["a", "bb"] });
    expect(result.data).toHaveLength(2);
    expect(result.data[0]?.embedding).toHaveLength(8);
    expect(result.data[0]?.embedding[0]).toBeCloseTo(0.841, 3);
    expect(result.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
  });

  it("captures what the SDK sent", async () => {
    const capture = crypto.randomUUID();
    await client.models.list({ headers: { "x-mock-capture": capture } });
    const captured = (await (await fetch(`${inject("openaiUrl")}/__mock/requests?capture=${capture}`)).json()) as {
      path: string;
    }[];
    expect(captured.map((r) => r.path)).toEqual(["/v1/models"]);
  });
});
