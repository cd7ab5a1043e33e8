/**
 * The JSON attributes of real Cohere, Mistral and Ollama spans (every answer scenario of their mocks, streamed and
 * not, with images, tool calls and tool results in the request) against the GenAI conventions v1.41 schemas.
 */
import { describe, expect, inject, it } from "vitest";
import { wrap } from "../../src/index";
import { schemaErrors } from "../../test/support/genai-schemas";
import { tracedSession } from "../../test/support/openai-harness";
import type { DecodedSpan } from "../../test/support/receiver-client";
import { CohereClient, CohereClientV2, Mistral, Ollama } from "../../test/support/sdks";

const IMAGE = "data:image/png;base64,iVBORw0KGgo=";
const WEATHER = {
  type: "function" as const,
  function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: {} } },
};

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _event of stream) {
    // read to the end
  }
}

function expectValid(spans: DecodedSpan[], minimumChecked: number): void {
  for (const span of spans) {
    const { checked, errors } = schemaErrors(span.attributes);
    expect(errors, span.name).toEqual([]);
    expect(checked, span.name).toBeGreaterThanOrEqual(minimumChecked);
  }
}

describe("spans of Cohere, Mistral and Ollama calls", () => {
  it.each([false, true])("Cohere v2 and v1 validate (stream: %s)", async (stream) => {
    const session = tracedSession();
    const v2 = wrap(new CohereClientV2({ token: "k", baseUrl: inject("cohereUrl"), maxRetries: 0 }));
    const scenarios = ["text", "tools", "thinking", "max-tokens"];
    const messages = [
      { role: "system" as const, content: "Be brief." },
      { role: "user" as const, content: [{ type: "image_url" as const, imageUrl: { url: IMAGE } }] },
      {
        role: "assistant" as const,
        toolPlan: "Look it up.",
        toolCalls: [{ id: "c1", type: "function" as const, function: { name: "get_weather", arguments: "{}" } }],
      },
      { role: "tool" as const, toolCallId: "c1", content: "sunny" },
    ];
    for (const scenario of scenarios) {
      const params = { model: `mock-${scenario}`, messages, tools: [WEATHER] };
      if (stream) await drain(await v2.chatStream(params));
      else await v2.chat(params);
    }
    const v1 = wrap(new CohereClient({ token: "k", baseUrl: inject("cohereUrl"), maxRetries: 0 }));
    const v1Params = {
      model: "mock-tools",
      preamble: "Be brief.",
      message: "Weather?",
      chatHistory: [{ role: "CHATBOT" as const, message: "Hi", toolCalls: [{ name: "get_weather", parameters: {} }] }],
      toolResults: [{ call: { name: "get_weather", parameters: {} }, outputs: [{ sky: "sunny" }] }],
      tools: [{ name: "get_weather", description: "Weather", parameterDefinitions: {} }],
    };
    if (stream) await drain(await v1.chatStream(v1Params));
    else await v1.chat(v1Params);
    expectValid(await session.spans(scenarios.length + 1), 3);
  });

  it.each([false, true])("Mistral validates (stream: %s)", async (stream) => {
    const session = tracedSession();
    const client = wrap(
      new Mistral({ apiKey: "k", serverURL: inject("mistralUrl"), retryConfig: { strategy: "none" } }),
    );
    const scenarios = ["text", "tools", "thinking", "length"];
    const messages = [
      { role: "system" as const, content: "Be brief." },
      {
        role: "user" as const,
        content: [
          { type: "text" as const, text: "Look" },
          { type: "image_url" as const, imageUrl: IMAGE },
        ],
      },
      {
        role: "assistant" as const,
        content: "",
        toolCalls: [{ id: "c1", function: { name: "get_weather", arguments: { city: "Paris" } } }],
      },
      { role: "tool" as const, toolCallId: "c1", content: "sunny" },
    ];
    for (const scenario of scenarios) {
      const params = { model: `mock-${scenario}`, messages, tools: [WEATHER] };
      if (stream) await drain(await client.chat.stream(params));
      else await client.chat.complete(params);
    }
    expectValid(await session.spans(scenarios.length), 3);
  });

  it.each([false, true])("Ollama validates (stream: %s)", async (stream) => {
    const session = tracedSession();
    const client = wrap(new Ollama({ host: inject("ollamaUrl") }));
    const scenarios = ["text", "tools", "thinking", "length"];
    const messages = [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Look", images: ["iVBORw0KGgo="] },
      {
        role: "assistant",
        content: "",
        tool_calls: [{ function: { name: "get_weather", arguments: { city: "Paris" } } }],
      },
      { role: "tool", content: "sunny", tool_name: "get_weather" },
    ];
    for (const scenario of scenarios) {
      const params = { model: `mock-${scenario}`, messages, tools: [WEATHER], think: true };
      if (stream) await drain(await client.chat({ ...params, stream: true }));
      else await client.chat(params);
    }
    expectValid(await session.spans(scenarios.length), 3);
  });
});
