/**
 * The JSON attributes of real Google and Bedrock spans (every mock answer, streamed and not, with images, documents,
 * function calls and results, reasoning and system instructions in the request) against the GenAI conventions v1.41
 * schemas.
 */
import { describe, expect, it } from "vitest";
import { CONVERSE_FIXTURES } from "../../test/support/bedrock-fixtures";
import { jsonBody, wrappedBedrock } from "../../test/support/bedrock-harness";
import { readAll } from "../../test/support/call-helpers";
import { schemaErrors } from "../../test/support/genai-schemas";
import { GEMINI_FIXTURES } from "../../test/support/google-fixtures";
import { wrappedGoogle } from "../../test/support/google-harness";
import { tracedSession } from "../../test/support/openai-harness";
import type { DecodedSpan } from "../../test/support/receiver-client";
import {
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from "../../test/support/sdks";

function expectValid(spans: DecodedSpan[]): void {
  for (const span of spans) {
    const { checked, errors } = schemaErrors(span.attributes);
    expect(errors, span.name).toEqual([]);
    expect(checked, span.name).toBeGreaterThanOrEqual(2);
  }
}

const geminiContents = [
  {
    role: "user",
    parts: [
      { text: "Look at these." },
      { inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } },
      { fileData: { mimeType: "application/pdf", fileUri: "gs://bucket/doc.pdf" } },
    ],
  },
  {
    role: "model",
    parts: [{ text: "Let me zoom.", thought: true }, { functionCall: { id: "c1", name: "zoom", args: { factor: 2 } } }],
  },
  { role: "user", parts: [{ functionResponse: { id: "c1", name: "zoom", response: { output: "zoomed" } } }] },
];

describe("Google spans", () => {
  it.each([false, true])("validate against the v1.41 schemas (stream: %s)", async (stream) => {
    const session = tracedSession();
    const client = wrappedGoogle();
    const scenarios = Object.keys(GEMINI_FIXTURES);
    const config = {
      systemInstruction: "Be brief.",
      tools: [{ functionDeclarations: [{ name: "zoom" }] }, { codeExecution: {} }],
    };
    for (const scenario of scenarios) {
      const params = { model: `mock-${scenario}`, contents: geminiContents, config };
      if (stream) await readAll(await client.models.generateContentStream(params));
      else await client.models.generateContent(params);
    }
    expectValid(await session.spans(scenarios.length));
  });
});

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const converseInput = (scenario: string): ConverseCommandInput => ({
  modelId: `anthropic.claude-mock-${scenario}`,
  system: [{ text: "Be brief." }, { cachePoint: { type: "default" } }],
  messages: [
    {
      role: "user",
      content: [
        { text: "Look." },
        { image: { format: "png", source: { bytes: PNG } } },
        { document: { format: "pdf", name: "doc", source: { bytes: PNG } } },
      ],
    },
    {
      role: "assistant",
      content: [
        { reasoningContent: { reasoningText: { text: "Zoom first.", signature: "sig" } } },
        { toolUse: { toolUseId: "t1", name: "zoom", input: { factor: 2 } } },
      ],
    },
    { role: "user", content: [{ toolResult: { toolUseId: "t1", content: [{ text: "zoomed" }] } }] },
  ],
  toolConfig: { tools: [{ toolSpec: { name: "zoom", inputSchema: { json: { type: "object" } } } }] },
});

describe("Bedrock spans", () => {
  it.each([false, true])("validate against the v1.41 schemas (stream: %s)", async (stream) => {
    const session = tracedSession();
    const client = wrappedBedrock();
    const scenarios = Object.keys(CONVERSE_FIXTURES);
    for (const scenario of scenarios) {
      if (stream) {
        const output = await client.send(new ConverseStreamCommand(converseInput(scenario)));
        await readAll(output.stream as AsyncIterable<unknown>);
      } else {
        await client.send(new ConverseCommand(converseInput(scenario)));
      }
    }
    const invokes = [
      {
        modelId: "anthropic.claude-mock-thinking",
        body: { anthropic_version: "bedrock-2023-05-31", max_tokens: 9, messages: [{ role: "user", content: "Hi" }] },
      },
      { modelId: "meta.llama3-mock-text", body: { prompt: "Hi" } },
      { modelId: "amazon.titan-text-mock-text", body: { inputText: "Hi" } },
      {
        modelId: "amazon.nova-mock-text",
        body: { schemaVersion: "messages-v1", messages: [{ role: "user", content: [{ text: "Hi" }] }] },
      },
      { modelId: "mistral.mistral-large-mock-text", body: { messages: [{ role: "user", content: "Hi" }] } },
    ];
    for (const { modelId, body } of invokes) {
      if (stream) {
        const output = await client.send(new InvokeModelWithResponseStreamCommand({ modelId, body: jsonBody(body) }));
        await readAll(output.body as AsyncIterable<unknown>);
      } else {
        await client.send(new InvokeModelCommand({ modelId, body: jsonBody(body) }));
      }
    }
    expectValid(await session.spans(scenarios.length + invokes.length));
  });
});
