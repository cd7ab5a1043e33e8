/**
 * Every JSON attribute of the spans the OpenAI wrapper produces, for every mock scenario, validated against
 * the GenAI conventions v1.41 schemas (Node only: ajv needs `new Function`).
 */
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { schemaErrors } from "../../test/support/genai-schemas";
import { tracedSession, wrappedClient } from "../../test/support/openai-harness";

const TOOLS = [{ type: "function" as const, function: { name: "get_weather", parameters: { type: "object" } } }];
const chat = (model: string) => ({
  model,
  messages: [
    { role: "system" as const, content: "Be brief." },
    {
      role: "user" as const,
      content: [
        { type: "text" as const, text: "Hi" },
        { type: "image_url" as const, image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
      ],
    },
    {
      role: "assistant" as const,
      content: null,
      tool_calls: [{ id: "c1", type: "function" as const, function: { name: "get_weather", arguments: "{}" } }],
    },
    { role: "tool" as const, tool_call_id: "c1", content: "21C" },
  ],
  tools: TOOLS,
});

describe("spans of the OpenAI wrapper", () => {
  it("validate against the GenAI v1.41 schemas, with and without binary capture", async () => {
    for (const captureBinary of [false, true]) {
      const session = tracedSession({ captureBinary });
      const client = wrappedClient(OpenAI);
      const chatScenarios = ["text", "tools", "json", "refusal", "reasoning", "audio", "length", "content-filter"];
      for (const scenario of chatScenarios) {
        await client.chat.completions.create(chat(`mock-${scenario}`));
        for await (const _chunk of await client.chat.completions.create({ ...chat(`mock-${scenario}`), stream: true }));
      }
      const responseScenarios = ["text", "function-call", "reasoning", "web-search", "json", "incomplete", "failed"];
      for (const scenario of responseScenarios) {
        const input = [
          { role: "user" as const, content: "Hi" },
          { type: "function_call_output" as const, call_id: "c1", output: "21C" },
        ];
        await client.responses.create({
          model: `mock-${scenario}`,
          instructions: "Be brief.",
          input,
          tools: [{ type: "web_search" }],
        });
      }
      await client.completions.create({ model: "gpt-3.5-turbo-instruct", prompt: "Once" });
      await client.embeddings.create({ model: "text-embedding-3-small", input: "Hi" });
      const expected = chatScenarios.length * 2 + responseScenarios.length + 2;
      const spans = await session.spans(expected);
      let checked = 0;
      for (const span of spans) {
        const result = schemaErrors(span.attributes);
        expect(result.errors, span.name).toEqual([]);
        checked += result.checked;
      }
      expect(checked).toBeGreaterThan(expected * 2);
    }
  });
});
