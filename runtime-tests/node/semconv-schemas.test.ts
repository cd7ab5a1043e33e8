/**
 * Every JSON attribute against the GenAI conventions v1.41 schemas. Node only: ajv compiles its validators
 * with `new Function`, which workerd and the edge runtime forbid.
 */
import type { Attributes } from "@opentelemetry/api";
import Ajv, { type ValidateFunction } from "ajv";
import { describe, expect, it } from "vitest";
import { type ModaOptions, resolveConfig } from "../../src/config/options";
import { describeLlmCall } from "../../src/semconv/llm-attributes";
import type { LlmCall } from "../../src/semconv/llm-call";
import { llmCallFixtures } from "../../test/fixtures/llm-calls/index";
import inputMessagesSchema from "../../test/fixtures/semconv-genai-v1.41/gen-ai-input-messages.json";
import outputMessagesSchema from "../../test/fixtures/semconv-genai-v1.41/gen-ai-output-messages.json";
import systemInstructionsSchema from "../../test/fixtures/semconv-genai-v1.41/gen-ai-system-instructions.json";
import toolDefinitionsSchema from "../../test/fixtures/semconv-genai-v1.41/gen-ai-tool-definitions.json";

const ajv = new Ajv({ allErrors: true });
// The schemas mark blob content `format: binary` (base64 text in JSON); nothing to check beyond "string".
ajv.addFormat("binary", true);

const validators: Record<string, ValidateFunction> = {
  "gen_ai.input.messages": ajv.compile(inputMessagesSchema),
  "gen_ai.output.messages": ajv.compile(outputMessagesSchema),
  "gen_ai.system_instructions": ajv.compile(systemInstructionsSchema),
  "gen_ai.tool.definitions": ajv.compile(toolDefinitionsSchema),
};
/** A legacy content value that is JSON is a list of parts: the same shape as system instructions. */
const validateParts = validators["gen_ai.system_instructions"] as ValidateFunction;

function validatorFor(name: string): ValidateFunction | undefined {
  if (/^llm\.(prompts|completions)\.\d+\.content$/.test(name)) return validateParts;
  return validators[name];
}

function isJsonText(value: unknown): value is string {
  return typeof value === "string" && (value.startsWith("[") || value.startsWith("{"));
}

/** Validates every JSON-valued attribute and returns how many it checked. */
function expectValidJsonAttributes(attributes: Attributes): number {
  let checked = 0;
  for (const [name, value] of Object.entries(attributes)) {
    const validate = validatorFor(name);
    if (validate === undefined || !isJsonText(value)) continue;
    const valid = validate(JSON.parse(value));
    expect(valid, `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    checked += 1;
  }
  return checked;
}

const config = (options: ModaOptions = {}) => resolveConfig({ apiKey: "test-key", ...options });

describe.each(llmCallFixtures)("$name", (fixture) => {
  it.each<[string, ModaOptions]>([
    ["by default", {}],
    ["with captureBinary", { captureBinary: true }],
    ["without content", { traceContent: false }],
  ])("validates against the v1.41 schemas %s", async (_, options) => {
    const span = await describeLlmCall(fixture.call, config(options), fixture.propagated);
    const checked = expectValidJsonAttributes(span.attributes);
    if (options.traceContent !== false) expect(checked).toBeGreaterThan(0);
  });
});

describe("the validators", () => {
  it("reject what the schemas forbid", () => {
    expect(validators["gen_ai.output.messages"]?.([{ role: "assistant", parts: [] }])).toBe(false);
    expect(validators["gen_ai.input.messages"]?.([{ role: "user" }])).toBe(false);
    expect(validators["gen_ai.tool.definitions"]?.([{ type: "function" }])).toBe(false);
    expect(validators["gen_ai.system_instructions"]?.([{ content: "no type" }])).toBe(false);
  });
});

describe("every kind of part", () => {
  it("validates, server-side tools and files included", async () => {
    const call: LlmCall = {
      provider: "openai",
      operation: "chat",
      request: { model: "gpt-4.1" },
      inputMessages: [
        {
          role: "user",
          name: "ada",
          parts: [
            { type: "file", modality: "document", mime_type: "application/pdf", file_id: "file-abc123" },
            { type: "blob", modality: "audio", mime_type: "audio/wav", content: "UklGRiQAAABXQVZF" },
          ],
        },
      ],
      outputMessages: [
        {
          role: "assistant",
          parts: [
            {
              type: "server_tool_call",
              id: "ws_1",
              name: "web_search",
              server_tool_call: { type: "web_search", query: "moda" },
            },
            {
              type: "server_tool_call_response",
              id: "ws_1",
              server_tool_call_response: { type: "web_search", results: [] },
            },
            { type: "redacted_reasoning", size: 12 },
            { type: "text", content: "Done." },
          ],
          finish_reason: "stop",
        },
      ],
    };
    for (const captureBinary of [false, true]) {
      const span = await describeLlmCall(call, config({ captureBinary }), {});
      // input and output messages, the user prompt, the thinking completion and the answer's blocks
      expect(expectValidJsonAttributes(span.attributes)).toBe(5);
    }
  });
});

describe("values cut to the cap", () => {
  it("stay valid JSON that validates", async () => {
    const long = (word: string) => `${word} `.repeat(400);
    const call: LlmCall = {
      provider: "anthropic",
      operation: "chat",
      request: {
        model: "claude-sonnet-4-5",
        tools: [{ type: "function", name: "lookup", description: long("describe"), parameters: { type: "object" } }],
      },
      systemInstructions: [{ type: "text", content: long("system") }],
      inputMessages: [
        { role: "user", parts: [{ type: "text", content: long("question") }] },
        { role: "assistant", parts: [{ type: "tool_call", id: "t1", name: "lookup", arguments: { q: long("args") } }] },
        { role: "user", parts: [{ type: "tool_call_response", id: "t1", response: long("result") }] },
      ],
      outputMessages: [
        {
          role: "assistant",
          parts: [
            { type: "reasoning", content: long("thought") },
            { type: "text", content: long("answer") },
          ],
          finish_reason: "stop",
        },
      ],
    };
    const span = await describeLlmCall(call, config({ limits: { maxAttributeLength: 800 } }), {});
    expect(expectValidJsonAttributes(span.attributes)).toBe(6);
    for (const value of Object.values(span.attributes)) {
      if (typeof value === "string") expect(value.length).toBeLessThanOrEqual(800);
    }
    expect(span.attributes["gen_ai.input.messages"]).toMatch(/…\[truncated \d+ chars\]/);
  });
});
