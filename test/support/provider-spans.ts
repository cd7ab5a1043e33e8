/**
 * Expected span attributes shared by the Cohere, Mistral, Ollama, Groq and Together suites: what every span of a
 * call to a mock carries, usage in both attribute families, and the captured requests of a mock.
 */
import { expect } from "vitest";
import type { CapturedRequest } from "./mock-http";
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

/** Reads `stream` to its end or its error: the events seen, and the error if any. */
export async function readAll<T>(stream: AsyncIterable<T>): Promise<{ events: T[]; error?: unknown }> {
  const events: T[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

export function timeToFirstChunk(span: DecodedSpan | undefined): number {
  const value = span?.attributes["gen_ai.response.time_to_first_chunk"];
  if (typeof value !== "number") throw new Error(`span ${span?.name} has no time to first chunk`);
  return value;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
