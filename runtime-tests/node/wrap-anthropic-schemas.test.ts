/**
 * The JSON attributes of real Anthropic spans (every mock scenario, streamed and not, with images, documents,
 * tool results and a system prompt in the request) against the GenAI conventions v1.41 schemas.
 */
import { describe, expect, it } from "vitest";
import { ANTHROPIC_SDKS, ask, wrappedAnthropic } from "../../test/support/anthropic-harness";
import { schemaErrors } from "../../test/support/genai-schemas";
import { tracedSession } from "../../test/support/openai-harness";

const SCENARIOS = ["text", "tools", "thinking", "redacted-thinking", "cache", "web-search", "refusal", "max-tokens"];

const conversation = [
  {
    role: "user" as const,
    content: [
      { type: "text" as const, text: "Look at these." },
      {
        type: "image" as const,
        source: { type: "base64" as const, media_type: "image/png" as const, data: "iVBORw0KGgo=" },
      },
      { type: "image" as const, source: { type: "url" as const, url: "https://example.com/a.png" } },
      {
        type: "document" as const,
        source: { type: "base64" as const, media_type: "application/pdf" as const, data: "JVBERi0=" },
      },
    ],
  },
  {
    role: "assistant" as const,
    content: [
      { type: "thinking" as const, thinking: "Let me look.", signature: "sig" },
      { type: "redacted_thinking" as const, data: "opaque" },
      { type: "tool_use" as const, id: "toolu_1", name: "zoom", input: { factor: 2 } },
    ],
  },
  {
    role: "user" as const,
    content: [
      { type: "tool_result" as const, tool_use_id: "toolu_1", content: [{ type: "text" as const, text: "zoomed" }] },
    ],
  },
];

describe.each(ANTHROPIC_SDKS)("spans of %s", (_name, Anthropic) => {
  it.each([false, true])("validate against the v1.41 schemas (stream: %s)", async (stream) => {
    const session = tracedSession();
    const client = wrappedAnthropic(Anthropic);
    const tools = [{ name: "zoom", description: "Zoom in", input_schema: { type: "object" as const, properties: {} } }];
    for (const scenario of SCENARIOS) {
      const params = { ...ask(scenario), system: "Be brief.", messages: conversation, tools };
      if (stream) {
        for await (const _event of await client.messages.create({ ...params, stream: true })) {
          // read to the end
        }
      } else {
        await client.messages.create(params);
      }
    }
    const spans = await session.spans(SCENARIOS.length);
    for (const span of spans) {
      const { checked, errors } = schemaErrors(span.attributes);
      expect(errors, span.name).toEqual([]);
      expect(checked, span.name).toBeGreaterThanOrEqual(4);
    }
  });
});
