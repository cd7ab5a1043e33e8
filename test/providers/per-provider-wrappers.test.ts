/**
 * The per-provider wrappers (`wrapOpenAI`, `wrapAnthropic`, …), on each real SDK against its mock: a wrapper
 * traces its SDK exactly as `wrap()` does (the same calls, streamed and not, give the same spans), is the same
 * proxy `wrap()` makes, and rejects at wrap time a client of another SDK or anything else.
 */
import Anthropic from "@anthropic-ai/sdk";
import { ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { Mistral } from "@mistralai/mistralai";
import { CohereClientV2 } from "cohere-ai";
import { Ollama } from "ollama/browser";
import OpenAI from "openai";
import { describe, expect, inject, it } from "vitest";
import {
  wrap,
  wrapAnthropic,
  wrapBedrock,
  wrapCohere,
  wrapGoogle,
  wrapMistral,
  wrapOllama,
  wrapOpenAI,
} from "../../src/index";
import { ask, rawAnthropic } from "../support/anthropic-harness";
import { rawBedrock, userText } from "../support/bedrock-harness";
import { readAll } from "../support/call-helpers";
import { rawGoogle } from "../support/google-harness";
import { rawClient, tracedSession } from "../support/openai-harness";
import type { DecodedSpan } from "../support/receiver-client";

type Wrapper = <T>(client: T) => T;

interface ProviderCase {
  wrapper: string;
  wrap: Wrapper;
  /** The SDK, as the wrapper's error names it. */
  sdk: string;
  /** The `gen_ai.provider.name` of a call to the mock. */
  provider: string;
  /** A fresh client of the SDK, unwrapped. */
  raw(): object;
  /** One call and one streamed call (read to its end) through a fresh client wrapped by `wrapWith`. */
  calls(wrapWith: Wrapper): Promise<void>;
}

function providerCase<C extends object>(
  options: Omit<ProviderCase, "raw" | "calls"> & { raw(): C; calls(client: C): Promise<void> },
): ProviderCase {
  return { ...options, calls: (wrapWith) => options.calls(wrapWith(options.raw())) };
}

const hi = (model: string) => ({ model, messages: [{ role: "user" as const, content: "Hi" }] });

const CASES: ProviderCase[] = [
  providerCase({
    wrapper: "wrapOpenAI",
    wrap: wrapOpenAI,
    sdk: "openai",
    provider: "openai",
    raw: () => rawClient(OpenAI),
    async calls(client) {
      await client.chat.completions.create(hi("gpt-4o"));
      await readAll(await client.chat.completions.create({ ...hi("gpt-4o"), stream: true }));
    },
  }),
  providerCase({
    wrapper: "wrapAnthropic",
    wrap: wrapAnthropic,
    sdk: "@anthropic-ai/sdk",
    provider: "anthropic",
    raw: () => rawAnthropic(Anthropic),
    async calls(client) {
      await client.messages.create(ask("text"));
      await readAll(await client.messages.create({ ...ask("text"), stream: true }));
    },
  }),
  providerCase({
    wrapper: "wrapGoogle",
    wrap: wrapGoogle,
    sdk: "@google/genai",
    provider: "gcp.gemini",
    raw: () => rawGoogle(),
    async calls(client) {
      await client.models.generateContent({ model: "mock-text", contents: "Hi" });
      await readAll(await client.models.generateContentStream({ model: "mock-text", contents: "Hi" }));
    },
  }),
  providerCase({
    wrapper: "wrapBedrock",
    wrap: wrapBedrock,
    sdk: "@aws-sdk/client-bedrock-runtime",
    provider: "aws.bedrock",
    raw: () => rawBedrock(),
    async calls(client) {
      const input = { modelId: "anthropic.claude-mock-text", messages: [userText("Hi")] };
      await client.send(new ConverseCommand(input));
      const output = await client.send(new ConverseStreamCommand(input));
      if (output.stream) await readAll(output.stream);
    },
  }),
  providerCase({
    wrapper: "wrapCohere",
    wrap: wrapCohere,
    sdk: "cohere-ai",
    provider: "cohere",
    raw: () => new CohereClientV2({ token: "test-key", baseUrl: inject("cohereUrl"), maxRetries: 0 }),
    async calls(client) {
      await client.chat(hi("mock-text"));
      await readAll(await client.chatStream(hi("mock-text")));
    },
  }),
  providerCase({
    wrapper: "wrapMistral",
    wrap: wrapMistral,
    sdk: "@mistralai/mistralai",
    provider: "mistral_ai",
    raw: () => new Mistral({ apiKey: "test-key", serverURL: inject("mistralUrl"), retryConfig: { strategy: "none" } }),
    async calls(client) {
      await client.chat.complete(hi("mock-text"));
      await readAll(await client.chat.stream(hi("mock-text")));
    },
  }),
  providerCase({
    wrapper: "wrapOllama",
    wrap: wrapOllama,
    sdk: "ollama",
    provider: "ollama",
    raw: () => new Ollama({ host: inject("ollamaUrl") }),
    async calls(client) {
      await client.chat(hi("mock-text"));
      await readAll(await client.chat({ ...hi("mock-text"), stream: true }));
    },
  }),
];

/** Attributes that differ between two runs of the same call: compared by presence only. */
const PER_RUN = new Set(["gen_ai.response.id", "gen_ai.response.time_to_first_chunk"]);

/** The spans of `calls`, in call order, with what differs from run to run blanked. */
async function spansOf(calls: () => Promise<void>): Promise<unknown[]> {
  const session = tracedSession();
  await calls();
  const spans = await session.spans(2);
  return [...spans].sort(byStart).map((span) => ({
    name: span.name,
    kind: span.kind,
    status: span.status,
    attributes: Object.fromEntries(
      Object.entries(span.attributes).map(([key, value]) => [key, PER_RUN.has(key) ? "<per run>" : value]),
    ),
  }));
}

function byStart(a: DecodedSpan, b: DecodedSpan): number {
  return BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1;
}

/** The class a wrapper's error names for `client`. */
function className(client: object): string {
  return (Object.getPrototypeOf(client) as { constructor: { name: string } }).constructor.name;
}

describe.each(CASES)("$wrapper", (c) => {
  it("traces a call and a streamed call of its SDK as wrap() does", async () => {
    const viaWrapper = await spansOf(() => c.calls(c.wrap));
    const viaWrap = await spansOf(() => c.calls(wrap));
    expect(viaWrapper).toEqual(viaWrap);
    expect(viaWrapper).toEqual([
      expect.objectContaining({
        attributes: expect.objectContaining({
          "gen_ai.provider.name": c.provider,
          "gen_ai.output.messages": expect.any(String),
        }),
      }),
      expect.objectContaining({
        attributes: expect.objectContaining({ "gen_ai.provider.name": c.provider, "gen_ai.request.stream": true }),
      }),
    ]);
  });

  it("is the proxy wrap() makes: same instance, idempotent, instanceof kept", () => {
    const client = c.raw();
    const wrapped = c.wrap(client);
    expect(wrapped).not.toBe(client);
    expect(wrapped).toBeInstanceOf(client.constructor);
    expect(c.wrap(wrapped)).toBe(wrapped);
    expect(wrap(client)).toBe(wrapped);
  });

  it("rejects a client of another SDK, wrapped or not, and anything that is not a client", () => {
    const other = CASES[(CASES.indexOf(c) + 1) % CASES.length]?.raw() as object;
    const error = (given: string) =>
      new TypeError(
        `moda-edge: ${c.wrapper}() expects a client of the ${c.sdk} SDK, got ${given}; ` +
          "wrap() takes a client of any supported SDK",
      );
    expect(() => c.wrap(other)).toThrow(error(`an instance of ${className(other)}`));
    expect(() => c.wrap(wrap(other))).toThrow(error(`an instance of ${className(other)}`));
    expect(() => c.wrap({})).toThrow(error("a plain object"));
    expect(() => c.wrap(null)).toThrow(error("null"));
    expect(() => c.wrap(undefined)).toThrow(error("undefined"));
    expect(() => c.wrap(new Map())).toThrow(TypeError);
  });
});
