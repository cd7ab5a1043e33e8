import type { Attributes } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { SpanStatusCode } from "../../src/core/otel";
import { base64ByteSize } from "../../src/policy/exported-messages";
import type { LlmCall, Part } from "../../src/semconv/llm-call";
import { rateLimited } from "../fixtures/llm-calls/error";
import { expectExactAttributes } from "../fixtures/llm-calls/expect-attributes";
import type { LlmCallFixture } from "../fixtures/llm-calls/fixture";
import { images, jpegBase64, pngBase64 } from "../fixtures/llm-calls/images";
import { type ExpectedAttributes, llmCallFixtures } from "../fixtures/llm-calls/index";
import { parallelToolCalls } from "../fixtures/llm-calls/parallel-tool-calls";
import { plainChat } from "../fixtures/llm-calls/plain-chat";
import { thinking, thinkingSignatures } from "../fixtures/llm-calls/thinking";
import { policedLlmCall } from "../support/policed-span";

/** Keys that name or shape a part rather than carry what was said. */
const SHAPE_KEYS = new Set([
  "type",
  "role",
  "id",
  "name",
  "modality",
  "mime_type",
  "finish_reason",
  "providerFinishReason",
  "file_id",
  "size",
]);

/** Every string a person or model wrote in the call: text, thinking, tool arguments and results, tool docs, URLs, data. */
function contentStrings(call: LlmCall): string[] {
  const found: string[] = [];
  const walk = (node: unknown, key?: string) => {
    if (typeof node === "string") {
      if (key === undefined || !SHAPE_KEYS.has(key)) found.push(node);
    } else if (Array.isArray(node)) {
      for (const item of node) walk(item);
    } else if (typeof node === "object" && node !== null) {
      for (const [k, v] of Object.entries(node)) walk(v, k);
    }
  };
  walk(call.systemInstructions);
  walk(call.inputMessages);
  walk(call.outputMessages);
  for (const tool of call.request.tools ?? []) walk({ description: tool.description, parameters: tool.parameters });
  return found.filter((s) => s.length >= 3);
}

function exportedText(attributes: Attributes): string {
  return Object.values(attributes)
    .map((value) => (Array.isArray(value) ? value.join("\u0000") : String(value)))
    .join("\u0000");
}

/** The messages, and of the flat tool definitions what is not a name. */
const CONTENT_ATTRIBUTE =
  /^(gen_ai\.(input\.messages|output\.messages|system_instructions)|llm\.(prompts|completions)\.\d+\..+|llm\.request\.functions\.\d+\.(description|parameters))$/;

/**
 * What a fixture exports without content: no content attributes; under `traceContent: false` a conversation id only
 * if one was given (a failed redact hook leaves the one derived when the call was described).
 */
function withoutContent(fixture: LlmCallFixture, { traceContent }: { traceContent: boolean }): ExpectedAttributes {
  const expected: ExpectedAttributes = { ...fixture.common, ...fixture.genAi, ...fixture.moda };
  const given = fixture.call.conversationId ?? fixture.propagated.conversationId;
  const keepsId = traceContent || given !== undefined;
  return Object.fromEntries(
    Object.entries(expected).filter(
      ([name]) => !CONTENT_ATTRIBUTE.test(name) && (name !== "moda.conversation_id" || keepsId),
    ),
  );
}

describe("traceContent: false", () => {
  it.each(llmCallFixtures)("exports none of the content of $name", async (fixture) => {
    const strings = contentStrings(fixture.call);
    expect(strings.length).toBeGreaterThan(0);
    const span = await policedLlmCall(fixture.call, { traceContent: false }, fixture.propagated);
    const exported = exportedText(span.attributes);
    for (const s of strings) expect(exported, `content ${JSON.stringify(s)} was exported`).not.toContain(s);
    expect(span.status.message).toBeUndefined();
  });

  it("reduces a failed call's error text to its type and HTTP status", async () => {
    const span = await policedLlmCall(rateLimited.call, { traceContent: false });
    expect(rateLimited.call.error?.message).toBeTruthy();
    expect(span.status).toStrictEqual({ code: SpanStatusCode.ERROR });
    expect(span.attributes["error.type"]).toBe(rateLimited.call.error?.type);
    expect(span.attributes["http.response.status_code"]).toBe(429);
  });

  it.each(llmCallFixtures)("keeps models, usage, finish reasons and ids of $name", async (fixture) => {
    const span = await policedLlmCall(fixture.call, { traceContent: false }, fixture.propagated);
    const expected = withoutContent(fixture, { traceContent: false });
    if ("gen_ai.tool.definitions" in expected) {
      expected["gen_ai.tool.definitions"] = {
        json: (fixture.call.request.tools ?? []).map(({ type, name }) => ({ type, name })),
      };
    }
    expectExactAttributes(span.attributes, expected);
  });

  it("derives no conversation id from the prompt; one given is kept", async () => {
    const traced = await policedLlmCall(plainChat.call, {}, {});
    expect(traced.attributes["moda.conversation_id"]).toMatch(/^conv_[0-9a-f]{16}$/);
    const quiet = await policedLlmCall(plainChat.call, { traceContent: false }, {});
    expect(quiet.attributes["moda.conversation_id"]).toBeUndefined();
    expect(quiet.attributes["gen_ai.conversation.id"]).toBeUndefined();
    const given = await policedLlmCall(plainChat.call, { traceContent: false }, { conversationId: "thread-7" });
    expect(given.attributes["moda.conversation_id"]).toBe("thread-7");
    expect(given.attributes["gen_ai.conversation.id"]).toBe("thread-7");
  });

  it("keeps the names of the tools offered", async () => {
    const span = await policedLlmCall(parallelToolCalls.call, { traceContent: false }, {});
    expect(JSON.parse(span.attributes["gen_ai.tool.definitions"] as string)).toStrictEqual([
      { type: "function", name: "get_weather" },
      { type: "function", name: "get_time" },
    ]);
  });
});

describe("what never leaves", () => {
  it("the signatures of thinking blocks", async () => {
    const span = await policedLlmCall(thinking.call, {}, {});
    const exported = exportedText(span.attributes);
    for (const signature of thinkingSignatures) expect(exported).not.toContain(signature);
  });

  it("inline binary, unless captureBinary", async () => {
    const span = await policedLlmCall(images.call, {}, {});
    const exported = exportedText(span.attributes);
    expect(exported).not.toContain(pngBase64);
    expect(exported).not.toContain(jpegBase64);
    expect(exported).not.toContain(pngBase64.slice(0, 24));
  });
});

describe("captureBinary: true", () => {
  it("exports inline images as blob parts, data URLs included", async () => {
    const span = await policedLlmCall(images.call, { captureBinary: true }, {});
    const [message] = JSON.parse(span.attributes["gen_ai.input.messages"] as string);
    expect(message.parts.slice(2)).toStrictEqual([
      { type: "blob", modality: "image", mime_type: "image/png", content: pngBase64 },
      { type: "blob", modality: "image", mime_type: "image/jpeg", content: jpegBase64 },
    ]);
  });

  it("keeps a data URL that is not base64 as the URI it was", async () => {
    const uri = "data:text/plain,hello%20world";
    const call: LlmCall = {
      provider: "openai",
      operation: "chat",
      request: {},
      inputMessages: [{ role: "user", parts: [{ type: "uri", modality: "document", uri }] }],
    };
    const captured = await policedLlmCall(call, { captureBinary: true }, {});
    expect(JSON.parse(captured.attributes["gen_ai.input.messages"] as string)[0].parts).toStrictEqual([
      { type: "uri", modality: "document", uri },
    ]);
    const described = await policedLlmCall(call, {}, {});
    expect(JSON.parse(described.attributes["gen_ai.input.messages"] as string)[0].parts).toStrictEqual([
      { type: "blob_omitted", modality: "document", mime_type: "text/plain", byte_size: 11 },
    ]);
  });
});

describe("base64ByteSize", () => {
  it.each([
    ["", 0],
    ["QQ==", 1],
    ["QUI=", 2],
    ["QUJD", 3],
    ["QQ", 1],
    ["QUI", 2],
    ["QUJD\nREVG", 6],
    ["-_-_", 3],
  ])("%j decodes to %i bytes", (base64, bytes) => {
    expect(base64ByteSize(base64)).toBe(bytes);
  });
});

const longChat = (content: string): LlmCall => ({
  provider: "openai",
  operation: "chat",
  request: { model: "gpt-4o" },
  inputMessages: [{ role: "user", parts: [{ type: "text", content }] }],
});

describe("limits.maxAttributeLength", () => {
  it("cuts a long prompt visibly, to the cap, and counts each cut value", async () => {
    const prompt = "x".repeat(10_000);
    const span = await policedLlmCall(longChat(prompt), { limits: { maxAttributeLength: 1000 } }, {});
    // 976 kept + "…[truncated 9024 chars]" (23) = 999 ≤ 1000.
    expect(span.attributes["llm.prompts.0.content"]).toBe(`${"x".repeat(976)}…[truncated 9024 chars]`);
    const messages = span.attributes["gen_ai.input.messages"] as string;
    expect(messages.length).toBeLessThanOrEqual(1000);
    const [message] = JSON.parse(messages);
    expect(message.role).toBe("user");
    expect(message.parts[0].type).toBe("text");
    expect(message.parts[0].content).toMatch(/^x+…\[truncated \d+ chars\]$/);
    const kept = message.parts[0].content.indexOf("…");
    expect(message.parts[0].content).toContain(`[truncated ${10_000 - kept} chars]`);
    expect(span.droppedAttributesCount).toBe(2);
  });

  it("cuts the longest strings of a JSON value first and keeps short ones whole", async () => {
    const call: LlmCall = {
      ...longChat("short question"),
      outputMessages: [
        {
          role: "assistant",
          parts: [
            { type: "tool_call", id: "call_1", name: "search", arguments: { query: "q".repeat(5000), limit: 3 } },
            { type: "text", content: "a short answer" },
          ],
          finish_reason: "tool_call",
        },
      ],
    };
    const span = await policedLlmCall(call, { limits: { maxAttributeLength: 600 } }, {});
    const output = span.attributes["gen_ai.output.messages"] as string;
    expect(output.length).toBeLessThanOrEqual(600);
    const [message] = JSON.parse(output);
    expect(message.parts[0]).toMatchObject({
      type: "tool_call",
      id: "call_1",
      name: "search",
      arguments: { limit: 3 },
    });
    expect(message.parts[0].arguments.query).toMatch(/^q+…\[truncated \d+ chars\]$/);
    expect(message.parts[1]).toStrictEqual({ type: "text", content: "a short answer" });
    expect(message.finish_reason).toBe("tool_call");
    // gen_ai.output.messages, llm.completions.0.content and llm.completions.0.tool_calls.0.arguments
    expect(span.droppedAttributesCount).toBe(3);
    expect(span.attributes["llm.completions.0.tool_calls.0.arguments"]).toMatch(
      /^\{"query":"q+…\[truncated \d+ chars\]","limit":3\}$/,
    );
  });

  it("leaves out the messages past the cap when no single string is long, and stays valid JSON", async () => {
    const call: LlmCall = {
      provider: "openai",
      operation: "chat",
      request: {},
      inputMessages: Array.from({ length: 200 }, (_, i) => ({
        role: "user",
        parts: [{ type: "text", content: `msg ${i}` } as Part],
      })),
    };
    const span = await policedLlmCall(call, { semconv: ["gen_ai"], limits: { maxAttributeLength: 500 } });
    const messages = span.attributes["gen_ai.input.messages"] as string;
    expect(messages.length).toBeLessThanOrEqual(500);
    const parsed = JSON.parse(messages) as unknown[];
    const mark = parsed.at(-1) as string;
    expect(mark).toMatch(/^…\[\d+ more items\]$/);
    // Whole messages, then one whose parts were cut, then the mark for the rest.
    const kept = parsed.slice(0, -1);
    expect(kept.slice(0, -1)).toStrictEqual(call.inputMessages?.slice(0, kept.length - 1));
    expect(kept.at(-1)).toMatchObject({ role: "user" });
    expect(Number(/\d+/.exec(mark)?.[0])).toBe(200 - kept.length);
    expect(span.droppedAttributesCount).toBe(1);
  });

  it("leaves values under the cap alone", async () => {
    const span = await policedLlmCall(longChat("hello there"), { limits: { maxAttributeLength: 1000 } }, {});
    expect(span.attributes["llm.prompts.0.content"]).toBe("hello there");
    expect(span.droppedAttributesCount).toBe(0);
  });
});

describe("limits.maxLegacyMessages", () => {
  it("keeps the latest messages, counts the others, and leaves gen_ai.input.messages whole", async () => {
    const call: LlmCall = {
      provider: "openai",
      operation: "chat",
      request: {},
      inputMessages: ["one", "two", "three", "four", "five"].map((content) => ({
        role: "user",
        parts: [{ type: "text", content }],
      })),
    };
    const span = await policedLlmCall(call, { limits: { maxLegacyMessages: 2 } }, {});
    expect(span.attributes["llm.prompts.0.content"]).toBe("four");
    expect(span.attributes["llm.prompts.1.content"]).toBe("five");
    expect(span.attributes["llm.prompts.2.content"]).toBeUndefined();
    expect(JSON.parse(span.attributes["gen_ai.input.messages"] as string)).toHaveLength(5);
    expect(span.droppedAttributesCount).toBe(6); // three messages, a role and a content each
  });
});

describe("redact", () => {
  it("sees every attribute last and decides what is exported", async () => {
    let seen: Attributes = {};
    const redact = (attributes: Attributes): Attributes => {
      seen = attributes;
      const { "moda.user_id": _dropped, ...rest } = attributes;
      return { ...rest, "llm.prompts.0.content": "[redacted]" };
    };
    const fixture = llmCallFixtures[1];
    if (fixture === undefined) throw new Error("fixture missing");
    const span = await policedLlmCall(fixture.call, { redact }, fixture.propagated);
    expect(seen["moda.user_id"]).toBe("user-42");
    expect(seen["moda.conversation_id"]).toBe("conv_b6dc79213293966d");
    expect(span.attributes["moda.user_id"]).toBeUndefined();
    expect(span.attributes["llm.prompts.0.content"]).toBe("[redacted]");
    expect(span.attributes["llm.prompts.1.content"]).toBe("What is 2+2?");
  });

  it.each([
    [
      "throws",
      () => {
        throw new Error("boom");
      },
    ],
    ["returns nothing", () => undefined as unknown as Attributes],
  ])("drops the content and keeps the rest when the hook %s", async (_, redact) => {
    const span = await policedLlmCall(parallelToolCalls.call, { redact }, {});
    const expected = withoutContent(parallelToolCalls, { traceContent: true });
    expected["gen_ai.tool.definitions"] = {
      json: (parallelToolCalls.call.request.tools ?? []).map(({ type, name }) => ({ type, name })),
    };
    expectExactAttributes(span.attributes, expected);
  });
});
