import { describe, expect, it } from "vitest";
import { type ModaOptions, resolveConfig } from "../../src/config/options";
import { describeLlmCall, llmSpanName } from "../../src/semconv/llm-attributes";
import type { LlmCall } from "../../src/semconv/llm-call";
import { expectExactAttributes } from "../fixtures/llm-calls/expect-attributes";
import { llmCallFixtures } from "../fixtures/llm-calls/index";

const config = (options: ModaOptions = {}) => resolveConfig({ apiKey: "test-key", ...options });

describe.each(llmCallFixtures)("$name", (fixture) => {
  it("carries both families by default", async () => {
    const span = await describeLlmCall(fixture.call, config(), fixture.propagated);
    expect(span.name).toBe(fixture.spanName);
    expect(span.status).toStrictEqual(fixture.status);
    expect(span.droppedAttributesCount).toBe(0);
    expectExactAttributes(span.attributes, { ...fixture.common, ...fixture.genAi, ...fixture.moda });
  });

  it("carries only the GenAI conventions with semconv: ['gen_ai']", async () => {
    const span = await describeLlmCall(fixture.call, config({ semconv: ["gen_ai"] }), fixture.propagated);
    expectExactAttributes(span.attributes, { ...fixture.common, ...fixture.genAi });
  });

  it("carries only Moda's names with semconv: ['moda']", async () => {
    const span = await describeLlmCall(fixture.call, config({ semconv: ["moda"] }), fixture.propagated);
    expectExactAttributes(span.attributes, { ...fixture.common, ...fixture.moda });
  });

  it("names the span the same when it starts", () => {
    expect(llmSpanName(fixture.call)).toBe(fixture.spanName);
  });

  it("leaves the call record as it was", async () => {
    const before = JSON.stringify(fixture.call);
    await describeLlmCall(fixture.call, config({ limits: { maxAttributeLength: 100 } }), fixture.propagated);
    expect(JSON.stringify(fixture.call)).toBe(before);
  });
});

describe("llmSpanName", () => {
  it("is the operation alone when there is no model", () => {
    const call: LlmCall = { provider: "openai", operation: "chat", request: {} };
    expect(llmSpanName(call)).toBe("chat");
  });
});

describe("describeLlmCall", () => {
  it("writes a conversation id on a call with no messages at all", async () => {
    const call: LlmCall = { provider: "openai", operation: "chat", request: { model: "gpt-4o" } };
    const span = await describeLlmCall(call, config(), {});
    expect(span.attributes["moda.conversation_id"]).toMatch(/^conv_[0-9a-f]{16}$/);
    expect(span.attributes["gen_ai.conversation.id"]).toBeUndefined();
  });

  it("records an error without a message as ERROR with no description", async () => {
    const call: LlmCall = { provider: "openai", operation: "chat", request: {}, error: { type: "TypeError" } };
    const span = await describeLlmCall(call, config(), {});
    expect(span.status).toStrictEqual({ code: 2 });
    expect(span.attributes["error.type"]).toBe("TypeError");
  });

  it("keeps a provider's own finish reasons and operation names as they are", async () => {
    const call: LlmCall = {
      provider: "gcp.gemini",
      operation: "generate_content",
      request: { model: "gemini-2.5-flash" },
      inputMessages: [{ role: "user", parts: [{ type: "text", content: "Hi" }] }],
      outputMessages: [{ role: "model", parts: [{ type: "text", content: "Hello" }], finish_reason: "SAFETY" }],
    };
    const span = await describeLlmCall(call, config(), {});
    expect(span.name).toBe("generate_content gemini-2.5-flash");
    expect(span.attributes["gen_ai.response.finish_reasons"]).toStrictEqual(["SAFETY"]);
    expect(span.attributes["llm.response.finish_reason"]).toBe("SAFETY");
    expect(span.attributes["llm.completions.0.role"]).toBe("model");
    expect(span.attributes["llm.request.type"]).toBe("completion");
  });

  it("writes the content of an answer that is only thinking as a thinking completion and an empty answer", async () => {
    const call: LlmCall = {
      provider: "anthropic",
      operation: "chat",
      request: { model: "claude-opus-4-1" },
      outputMessages: [
        {
          role: "assistant",
          parts: [
            { type: "reasoning", content: "First," },
            { type: "reasoning", content: "then." },
          ],
          finish_reason: "length",
        },
      ],
    };
    const span = await describeLlmCall(call, config({ semconv: ["moda"] }), {});
    expect(span.attributes["llm.completions.0.role"]).toBe("thinking");
    expect(span.attributes["llm.completions.0.content"]).toBe("First,\nthen.");
    expect(span.attributes["llm.completions.1.role"]).toBe("assistant");
    expect(span.attributes["llm.completions.1.content"]).toBe("");
  });
});

describe("legacy prompt content", () => {
  it("joins the non-empty text parts with newlines, leaving empty ones out", async () => {
    const call: LlmCall = {
      provider: "openai",
      operation: "chat",
      request: { model: "gpt-4o" },
      inputMessages: [
        {
          role: "user",
          parts: [
            { type: "text", content: "" },
            { type: "text", content: "first" },
          ],
        },
        {
          role: "user",
          parts: [
            { type: "text", content: "a" },
            { type: "text", content: "" },
            { type: "text", content: "b" },
          ],
        },
        { role: "user", parts: [{ type: "text", content: "" }] },
      ],
    };
    const { attributes } = await describeLlmCall(call, config({ semconv: ["moda"] }), {});
    expect(attributes["llm.prompts.0.content"]).toBe("first");
    expect(attributes["llm.prompts.1.content"]).toBe("a\nb");
    expect(attributes["llm.prompts.2.content"]).toBe("");
  });
});
