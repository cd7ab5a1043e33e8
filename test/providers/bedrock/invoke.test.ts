/**
 * Bedrock's InvokeModel and InvokeModelWithResponseStream through a wrapped client: the bodies of the Anthropic,
 * Meta Llama, Amazon Titan, Amazon Nova and Mistral families read into the span (streamed chunks added up the way
 * the non-streamed answer has them), and a family the tracer does not read recorded without content.
 */
import {
  InvokeModelCommand,
  type InvokeModelCommandInput,
  InvokeModelWithResponseStreamCommand,
  type ResponseStream,
} from "@aws-sdk/client-bedrock-runtime";
import { describe, expect, it } from "vitest";
import anthropicTools from "../../fixtures/anthropic/tools.json";
import {
  INVOCATION_METRICS,
  INVOKE_TEXT,
  LLAMA_ANSWER,
  MISTRAL_CHAT_ANSWER,
  NOVA_ANSWER,
  TITAN_ANSWER,
} from "../../support/bedrock-fixtures";
import { jsonBody, rawBedrock, wrappedBedrock } from "../../support/bedrock-harness";
import { readAll } from "../../support/call-helpers";
import { jsonAttribute, tracedSession } from "../../support/openai-harness";
import { usageAttributes } from "../../support/provider-spans";
import type { DecodedSpan } from "../../support/receiver-client";

const decode = (bytes: Uint8Array | undefined) =>
  JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;

/** Invokes `input` streamed or not; the answer body (or the chunk bodies), and the one span. */
async function invoke(input: InvokeModelCommandInput, streamed: boolean) {
  const session = tracedSession();
  const client = wrappedBedrock();
  let bodies: Record<string, unknown>[];
  if (streamed) {
    const output = await client.send(new InvokeModelWithResponseStreamCommand(input));
    const { events, error } = await readAll(output.body as AsyncIterable<ResponseStream>);
    expect(error).toBeUndefined();
    bodies = events.map((event) => decode(event.chunk?.bytes));
  } else {
    const output = await client.send(new InvokeModelCommand(input));
    bodies = [decode(output.body)];
  }
  const [span] = await session.spans(1);
  return { bodies, span: span as DecodedSpan };
}

const BOTH = [false, true];

describe.each(BOTH)("InvokeModel (streamed: %s)", (streamed) => {
  it("reads an Anthropic Messages body: system, tools, tool calls, usage and the message id", async () => {
    const tools = [{ name: "get_weather", description: "Weather", input_schema: { type: "object", properties: {} } }];
    const { bodies, span } = await invoke(
      {
        modelId: "us.anthropic.claude-mock-tools",
        body: jsonBody({
          anthropic_version: "bedrock-2023-05-31",
          max_tokens: 512,
          temperature: 0.4,
          system: "Be brief.",
          tools,
          messages: [{ role: "user", content: [{ type: "text", text: "Weather in Paris and London?" }] }],
        }),
      },
      streamed,
    );
    const [first] = bodies;
    const message = (streamed ? first?.message : first) as { id: string; model: string };
    expect(span.name).toBe("chat us.anthropic.claude-mock-tools");
    expect(span.attributes).toMatchObject({
      "gen_ai.provider.name": "aws.bedrock",
      "gen_ai.operation.name": "chat",
      "gen_ai.request.max_tokens": 512,
      "gen_ai.request.temperature": 0.4,
      "gen_ai.request.stream": streamed,
      "gen_ai.response.id": message.id,
      "gen_ai.response.model": message.model,
      "gen_ai.response.finish_reasons": ["tool_call"],
      "gen_ai.usage.input_tokens": anthropicTools.usage.input_tokens,
      "gen_ai.usage.output_tokens": anthropicTools.usage.output_tokens,
    });
    expect(jsonAttribute(span, "gen_ai.system_instructions")).toEqual([{ type: "text", content: "Be brief." }]);
    expect(jsonAttribute(span, "gen_ai.tool.definitions")).toEqual([
      { type: "function", name: "get_weather", description: "Weather", parameters: tools[0]?.input_schema },
    ]);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: anthropicTools.content.map((block) =>
          block.type === "text"
            ? { type: "text", content: block.text }
            : { type: "tool_call", id: block.id, name: block.name, arguments: block.input },
        ),
        finish_reason: "tool_call",
      },
    ]);
  });

  it("reads a Meta Llama body: the prompt, the generation and its token counts", async () => {
    const prompt = "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\nCapital of France?<|eot_id|>";
    const { span } = await invoke(
      { modelId: "meta.llama3-mock-text", body: jsonBody({ prompt, max_gen_len: 128, temperature: 0.5, top_p: 0.9 }) },
      streamed,
    );
    expect(span.name).toBe("text_completion meta.llama3-mock-text");
    expect(span.attributes).toMatchObject({
      "gen_ai.operation.name": "text_completion",
      "gen_ai.request.max_tokens": 128,
      "gen_ai.request.top_p": 0.9,
      "gen_ai.usage.input_tokens": LLAMA_ANSWER.prompt_token_count,
      "gen_ai.usage.output_tokens": LLAMA_ANSWER.generation_token_count,
      "gen_ai.response.finish_reasons": ["stop"],
    });
    expect(jsonAttribute(span, "gen_ai.input.messages")).toEqual([
      { role: "user", parts: [{ type: "text", content: prompt }] },
    ]);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      { role: "assistant", parts: [{ type: "text", content: LLAMA_ANSWER.generation }], finish_reason: "stop" },
    ]);
  });

  it("reads an Amazon Titan Text body", async () => {
    const { span } = await invoke(
      {
        modelId: "amazon.titan-text-express-mock-text",
        body: jsonBody({
          inputText: "Capital of France?",
          textGenerationConfig: { maxTokenCount: 64, temperature: 0, topP: 1, stopSequences: ["User:"] },
        }),
      },
      streamed,
    );
    const [result] = TITAN_ANSWER.results;
    expect(span.attributes).toMatchObject({
      "gen_ai.request.max_tokens": 64,
      "gen_ai.request.stop_sequences": ["User:"],
      "gen_ai.usage.input_tokens": TITAN_ANSWER.inputTextTokenCount,
      "gen_ai.usage.output_tokens": result?.tokenCount,
      "gen_ai.response.finish_reasons": ["stop"],
    });
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      { role: "assistant", parts: [{ type: "text", content: result?.outputText }], finish_reason: "stop" },
    ]);
  });

  it("reads an Amazon Nova body, its base64 image included", async () => {
    const { span } = await invoke(
      {
        modelId: "us.amazon.nova-lite-mock-text",
        body: jsonBody({
          schemaVersion: "messages-v1",
          system: [{ text: "Be brief." }],
          messages: [
            {
              role: "user",
              content: [{ text: "What city?" }, { image: { format: "jpeg", source: { bytes: "/9j/4AAQSkZJRg==" } } }],
            },
          ],
          inferenceConfig: { maxTokens: 100, temperature: 0.3, topK: 20 },
        }),
      },
      streamed,
    );
    expect(span.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.request.max_tokens": 100,
      "gen_ai.request.top_k": 20,
      "gen_ai.usage.input_tokens": NOVA_ANSWER.usage.inputTokens,
      "gen_ai.usage.output_tokens": NOVA_ANSWER.usage.outputTokens,
      "gen_ai.response.finish_reasons": ["stop"],
    });
    expect(jsonAttribute(span, "gen_ai.input.messages")).toEqual([
      {
        role: "user",
        parts: [
          { type: "text", content: "What city?" },
          { type: "blob_omitted", modality: "image", mime_type: "image/jpeg", byte_size: 10 },
        ],
      },
    ]);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      { role: "assistant", parts: [{ type: "text", content: INVOKE_TEXT }], finish_reason: "stop" },
    ]);
  });

  it("reads Mistral bodies: a text completion, and chat with tool calls", async () => {
    const text = await invoke(
      {
        modelId: "mistral.mistral-7b-instruct-mock-text",
        body: jsonBody({ prompt: "<s>[INST] Capital? [/INST]", max_tokens: 50 }),
      },
      streamed,
    );
    expect(text.span.attributes["gen_ai.operation.name"]).toBe("text_completion");
    // Mistral's text format has no counts: Bedrock's headers (InvokeModel), or its stream's metrics, give them.
    expect(text.span.attributes).toMatchObject(
      usageAttributes(INVOCATION_METRICS.inputTokenCount, INVOCATION_METRICS.outputTokenCount),
    );
    expect(jsonAttribute(text.span, "gen_ai.output.messages")).toEqual([
      { role: "assistant", parts: [{ type: "text", content: INVOKE_TEXT }], finish_reason: "stop" },
    ]);
    const tool = {
      type: "function",
      function: { name: "get_capital", description: "Capital", parameters: { type: "object" } },
    };
    const chat = await invoke(
      {
        modelId: "mistral.mistral-large-2407-mock-text",
        body: jsonBody({ messages: [{ role: "user", content: "Capital of France?" }], tools: [tool], max_tokens: 50 }),
      },
      streamed,
    );
    const [choice] = MISTRAL_CHAT_ANSWER.choices;
    const [call] = choice?.message.tool_calls ?? [];
    expect(chat.span.attributes["gen_ai.operation.name"]).toBe("chat");
    expect(jsonAttribute(chat.span, "gen_ai.tool.definitions")).toEqual([
      { type: "function", name: "get_capital", description: "Capital", parameters: { type: "object" } },
    ]);
    expect(jsonAttribute(chat.span, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: [
          {
            type: "tool_call",
            id: call?.id,
            name: call?.function.name,
            arguments: JSON.parse(String(call?.function.arguments)),
          },
        ],
        finish_reason: "tool_call",
      },
    ]);
    if (!streamed)
      expect(chat.span.attributes["gen_ai.usage.input_tokens"]).toBe(MISTRAL_CHAT_ANSWER.usage.prompt_tokens);
  });

  it("records a family it does not read without content", async () => {
    const { span } = await invoke(
      { modelId: "cohere.command-r-mock-text", body: jsonBody({ message: "Capital of France?", max_tokens: 50 }) },
      streamed,
    );
    expect(span.name).toBe("chat cohere.command-r-mock-text");
    expect(span.attributes["gen_ai.input.messages"]).toBeUndefined();
    expect(span.attributes["gen_ai.output.messages"]).toBeUndefined();
    // Bedrock's own token counts: in the headers of an answer, on the last chunk of a streamed one.
    expect(span.attributes).toMatchObject(
      usageAttributes(INVOCATION_METRICS.inputTokenCount, INVOCATION_METRICS.outputTokenCount),
    );
  });
});

describe("InvokeModel", () => {
  it("finds the family of an inference profile ARN, and takes a string body", async () => {
    const modelId = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.meta.llama3-mock-text";
    const { span } = await invoke({ modelId, body: JSON.stringify({ prompt: "Hi", max_gen_len: 16 }) }, false);
    expect(span.attributes["gen_ai.request.model"]).toBe(modelId);
    expect(span.attributes["gen_ai.request.max_tokens"]).toBe(16);
    expect(span.attributes["gen_ai.usage.output_tokens"]).toBe(LLAMA_ANSWER.generation_token_count);
  });
});

describe("InvokeModel's token count headers", () => {
  const mistral7b = {
    modelId: "mistral.mistral-7b-instruct-mock-text",
    body: jsonBody({ prompt: "<s>[INST] Capital? [/INST]", max_tokens: 50 }),
  };

  it("leave the caller's output as the unwrapped client gives it, each call its own counts", async () => {
    const session = tracedSession();
    const client = wrappedBedrock();
    const outputs = [
      await client.send(new InvokeModelCommand(mistral7b)),
      await client.send(new InvokeModelCommand(mistral7b)),
    ];
    const unwrapped = await rawBedrock().send(new InvokeModelCommand(mistral7b));
    const comparable = ({ $metadata, ...rest }: typeof unwrapped) => ({ ...rest, body: decode(rest.body) });
    for (const output of outputs) expect(comparable(output)).toEqual(comparable(unwrapped));
    const spans = await session.spans(2);
    for (const span of spans)
      expect(span.attributes).toMatchObject(
        usageAttributes(INVOCATION_METRICS.inputTokenCount, INVOCATION_METRICS.outputTokenCount),
      );
  });
});
