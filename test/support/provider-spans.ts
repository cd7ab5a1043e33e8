/**
 * Expected span attributes shared by the Cohere, Mistral, Ollama, Groq and Together suites: what every span of a
 * call to a mock carries, usage in both attribute families, and the captured requests of a mock.
 */
import { expect } from "vitest";
import type { CapturedRequest } from "./mock-http";

export { readAll, sleep } from "./call-helpers";

import type { DecodedSpan } from "./receiver-client";

/** What every span of a call carries, whatever the call. */
export function callAttributes(
  provider: string,
  operation: string,
  model: string,
  baseUrl: string,
): Record<string, unknown> {
  return {
    "server.address": "127.0.0.1",
    "server.port": Number(new URL(baseUrl).port),
    "gen_ai.operation.name": operation,
    "gen_ai.provider.name": provider,
    "gen_ai.request.model": model,
    "llm.system": provider,
    "llm.vendor": provider,
    "llm.request.model": model,
  };
}

/** A call with a user message also carries the synthesized conversation id (a hash: its shape is checked). */
export const SYNTHESIZED_CONVERSATION = { "moda.conversation_id": expect.stringMatching(/^conv_[0-9a-f]{16}$/) };

export function usageAttributes(input: number, output?: number, cached?: number): Record<string, unknown> {
  return {
    "gen_ai.usage.input_tokens": input,
    "llm.usage.prompt_tokens": input,
    "llm.usage.total_tokens": input + (output ?? 0),
    ...(output === undefined ? {} : { "gen_ai.usage.output_tokens": output, "llm.usage.completion_tokens": output }),
    ...(cached === undefined
      ? {}
      : { "gen_ai.usage.cache_read.input_tokens": cached, "llm.usage.cache_read_input_tokens": cached }),
  };
}

/**
 * The sampling the Cohere, Mistral and Ollama suites ask for, each in its SDK's words (top-k, where the SDK has it,
 * is checked apart), as recorded in both attribute families.
 */
export const SAMPLING_ATTRIBUTES = {
  "gen_ai.request.temperature": 0.3,
  "gen_ai.request.top_p": 0.9,
  "gen_ai.request.max_tokens": 64,
  "gen_ai.request.stop_sequences": ["END"],
  "gen_ai.request.seed": 7,
  "gen_ai.request.frequency_penalty": 0.1,
  "gen_ai.request.presence_penalty": 0.2,
  "llm.request.max_tokens": 64,
  "llm.request.temperature": 0.3,
};

/** The `gen_ai.output.messages` of a plain text answer. */
export const assistantText = (content: string | undefined, finishReason: string) => [
  { role: "assistant", parts: [{ type: "text", content }], finish_reason: finishReason },
];

/**
 * What a call that said "Hi" and was answered `answer` to its end records of both, in both attribute families;
 * `providerReason` is the finish reason in the provider's own words (Moda's names carry it).
 */
export function greetingAnswered(answer: string | undefined, providerReason = "stop"): Record<string, unknown> {
  return {
    "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: "Hi" }] }]),
    "gen_ai.output.messages": JSON.stringify(assistantText(answer, "stop")),
    "llm.response.finish_reason": providerReason,
    "llm.prompts.0.role": "user",
    "llm.prompts.0.content": "Hi",
    "llm.completions.0.role": "assistant",
    "llm.completions.0.content": answer,
    "llm.completions.0.finish_reason": providerReason,
  };
}

/** A fresh capture id for requests sent to the mock at `baseUrl`, and a way to read them back. */
export function mockCapture(baseUrl: string): {
  headers: Record<string, string>;
  requests(): Promise<CapturedRequest[]>;
} {
  const id = crypto.randomUUID();
  return {
    headers: { "x-mock-capture": id },
    async requests() {
      const response = await fetch(`${baseUrl}/__mock/requests?capture=${id}`);
      return (await response.json()) as CapturedRequest[];
    },
  };
}

export function timeToFirstChunk(span: DecodedSpan | undefined): number {
  const value = span?.attributes["gen_ai.response.time_to_first_chunk"];
  if (typeof value !== "number") throw new Error(`span ${span?.name} has no time to first chunk`);
  return value;
}

/** What an embeddings call records of the texts it embedded, each a user message, in both attribute families. */
export function embeddedTexts(...texts: string[]): Record<string, unknown> {
  const prompts = texts.flatMap((text, index) => [
    [`llm.prompts.${index}.role`, "user"],
    [`llm.prompts.${index}.content`, text],
  ]);
  return {
    "gen_ai.input.messages": JSON.stringify(
      texts.map((text) => ({ role: "user", parts: [{ type: "text", content: text }] })),
    ),
    ...Object.fromEntries(prompts),
  };
}
