/**
 * The mock Anthropic server, checked with the real SDKs and no wrapper: if these fail, the wrapper tests
 * would test the mock rather than the wrapper.
 */
import { describe, expect, inject, it } from "vitest";
import { ANTHROPIC_SDKS, rawAnthropic } from "../../support/anthropic-harness";

const baseURL = inject("anthropicUrl");

describe.each(ANTHROPIC_SDKS)("mock Anthropic with %s", (_name, Anthropic) => {
  const client = rawAnthropic(Anthropic);
  const ask = (model: string) => ({ model, max_tokens: 256, messages: [{ role: "user" as const, content: "Hi" }] });

  it("streams a message that the SDK's MessageStream accumulates into the non-streamed message", async () => {
    for (const scenario of ["text", "tools", "thinking", "redacted-thinking", "cache", "web-search"]) {
      const whole = await client.messages.create(ask(`mock-${scenario}`));
      const streamed = await client.messages.stream(ask(`mock-${scenario}`)).finalMessage();
      expect(streamed.content).toEqual(whole.content);
      expect(streamed.stop_reason).toBe(whole.stop_reason);
      expect(streamed.usage.output_tokens).toBe(whole.usage.output_tokens);
      expect(streamed.usage.input_tokens).toBe(whole.usage.input_tokens);
    }
  });

  it("answers 529 with Anthropic's overloaded error", async () => {
    const error = await client.messages.create(ask("mock-overloaded")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((error as InstanceType<typeof Anthropic.APIError>).type).toBe("overloaded_error");
  });

  it("fails a stream mid-way with an error event", async () => {
    const stream = await client.messages.create({ ...ask("mock-stream-error"), stream: true });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of stream) seen.push(event.type);
    })().catch((e: unknown) => e);
    expect(seen).toContain("content_block_delta");
    expect(error).toBeInstanceOf(Anthropic.APIError);
  });

  it("captures what the SDK sent", async () => {
    const capture = crypto.randomUUID();
    await client.messages.create(ask("mock-text"), { headers: { "x-mock-capture": capture } });
    const captured = (await (await fetch(`${baseURL}/__mock/requests?capture=${capture}`)).json()) as {
      path: string;
      body: { model: string };
    }[];
    expect(captured).toHaveLength(1);
    expect(captured[0]?.path).toBe("/v1/messages");
    expect(captured[0]?.body.model).toBe("mock-text");
  });

  it("serves count_tokens and models", async () => {
    const count = await client.messages.countTokens({ model: "claude-x", messages: [{ role: "user", content: "Hi" }] });
    expect(count.input_tokens).toBeGreaterThan(0);
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    expect(models.length).toBeGreaterThan(0);
  });
});

it("serves legacy completions, streamed and not", async () => {
  const [, AnthropicV0] = ANTHROPIC_SDKS[1] ?? [];
  if (!AnthropicV0) throw new Error("no 0.x SDK");
  const client = rawAnthropic(AnthropicV0) as unknown as InstanceType<typeof import("anthropic-v0").default>;
  const params = { model: "claude-2.1", max_tokens_to_sample: 100, prompt: "\n\nHuman: Hi\n\nAssistant:" };
  const whole = await client.completions.create(params);
  let text = "";
  for await (const chunk of await client.completions.create({ ...params, stream: true })) text += chunk.completion;
  expect(text).toBe(whole.completion);
});
