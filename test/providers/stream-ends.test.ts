/**
 * Stream endings, one rule for every provider (src/instrument/stream-end.ts), through each SDK on its mock:
 * - `stream-cut`: the body ends cleanly before the provider's end marker: status ERROR, `stream_incomplete`, what
 *   arrived kept;
 * - `stream-hold`: the stream stays open until the client goes away; the caller's `break`, abort or
 *   `ReadableStream.cancel()` is a cancellation (status UNSET, `moda.stream.cancelled`), and a stream still open
 *   when the flush's wait runs out is exported with what arrived, marked incomplete.
 * Every step waits on an event (an event read, the span at the receiver), never on a timer.
 */

import Anthropic from "@anthropic-ai/sdk";
import {
  BedrockRuntimeClient,
  ConverseStreamCommand,
  InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { GoogleGenAI } from "@google/genai";
import { Mistral } from "@mistralai/mistralai";
import { CohereClientV2 } from "cohere-ai";
import { Ollama } from "ollama/browser";
import OpenAI from "openai";
import { describe, expect, inject, it } from "vitest";
import { withModa, wrap } from "../../src/index";
import { bedrockConfig } from "../support/bedrock-harness";
import { readAll } from "../support/call-helpers";
import { recordingContext, type TestWorker } from "../support/execution-context";
import { jsonAttribute, tracedSession } from "../support/openai-harness";
import { type DecodedSpan, newSink } from "../support/receiver-client";

interface Family {
  name: string;
  /** The SDK's stream of `scenario`, its request tied to `signal`. */
  open(scenario: string, signal?: AbortSignal): Promise<AsyncIterable<unknown>>;
  /** The answer text an event carries. */
  text(event: unknown): string;
  /** Input tokens the cut stream told before it stopped, for providers that tell them first. */
  inputTokensSoFar?: number;
}

type Json = Record<string, unknown>;
const at = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((node, key) => (node as Json | undefined)?.[key as string], value);
const textAt = (value: unknown, ...path: (string | number)[]): string => {
  const found = at(value, ...path);
  return typeof found === "string" ? found : "";
};
const bytesJson = (event: unknown): unknown => {
  const bytes = at(event, "chunk", "bytes");
  return bytes instanceof Uint8Array ? JSON.parse(new TextDecoder().decode(bytes)) : undefined;
};

const openai = () => wrap(new OpenAI({ apiKey: "test-key", baseURL: `${inject("openaiUrl")}/v1`, maxRetries: 0 }));
const anthropic = () => wrap(new Anthropic({ apiKey: "test-key", baseURL: inject("anthropicUrl"), maxRetries: 0 }));
const bedrock = () => wrap(new BedrockRuntimeClient(bedrockConfig()));
const hi = [{ role: "user" as const, content: "Hi" }];

const FAMILIES: Family[] = [
  {
    name: "OpenAI chat completions",
    open: (scenario, signal) =>
      openai().chat.completions.create({ model: `mock-${scenario}`, messages: hi, stream: true }, { signal }),
    text: (event) => textAt(event, "choices", 0, "delta", "content"),
  },
  {
    name: "OpenAI responses",
    open: (scenario, signal) =>
      openai().responses.create({ model: `mock-${scenario}`, input: "Hi", stream: true }, { signal }),
    text: (event) => (at(event, "type") === "response.output_text.delta" ? textAt(event, "delta") : ""),
  },
  {
    name: "Anthropic messages",
    open: (scenario, signal) =>
      anthropic().messages.create(
        { model: `mock-${scenario}`, max_tokens: 64, messages: hi, stream: true },
        { signal },
      ),
    text: (event) => textAt(event, "delta", "text"),
    inputTokensSoFar: 11,
  },
  {
    name: "Bedrock converse-stream",
    open: async (scenario, abortSignal) => {
      const command = new ConverseStreamCommand({
        modelId: `anthropic.claude-mock-${scenario}`,
        messages: [{ role: "user", content: [{ text: "Hi" }] }],
      });
      return (await bedrock().send(command, { abortSignal })).stream as AsyncIterable<unknown>;
    },
    text: (event) => textAt(event, "contentBlockDelta", "delta", "text"),
  },
  {
    name: "Bedrock invoke stream",
    open: async (scenario, abortSignal) => {
      const body = new TextEncoder().encode(JSON.stringify({ prompt: "Hi" }));
      const command = new InvokeModelWithResponseStreamCommand({ modelId: `meta.llama3-mock-${scenario}`, body });
      return (await bedrock().send(command, { abortSignal })).body as AsyncIterable<unknown>;
    },
    text: (event) => textAt(bytesJson(event), "generation"),
  },
  {
    name: "Google",
    open: (scenario, abortSignal) =>
      wrap(
        new GoogleGenAI({ apiKey: "test-key", httpOptions: { baseUrl: inject("googleUrl") } }),
      ).models.generateContentStream({
        model: `mock-${scenario}`,
        contents: "Hi",
        config: { abortSignal },
      }),
    text: (event) => textAt(event, "candidates", 0, "content", "parts", 0, "text"),
  },
  {
    name: "Mistral",
    open: (scenario, signal) =>
      wrap(
        new Mistral({ apiKey: "test-key", serverURL: inject("mistralUrl"), retryConfig: { strategy: "none" } }),
      ).chat.stream({ model: `mock-${scenario}`, messages: hi }, { fetchOptions: { signal } }),
    text: (event) => textAt(event, "data", "choices", 0, "delta", "content"),
  },
  {
    name: "Cohere v2",
    open: (scenario, abortSignal) =>
      wrap(new CohereClientV2({ token: "test-key", baseUrl: inject("cohereUrl"), maxRetries: 0 })).chatStream(
        { model: `mock-${scenario}`, messages: hi },
        { abortSignal },
      ),
    text: (event) => textAt(event, "delta", "message", "content", "text"),
  },
  {
    name: "Ollama",
    open: async (scenario, signal) => {
      const stream = await wrap(new Ollama({ host: inject("ollamaUrl") })).chat({
        model: `mock-${scenario}`,
        messages: hi,
        stream: true,
      });
      // Ollama takes no signal: its stream's own abort() is the caller's.
      signal?.addEventListener("abort", () => stream.abort(), { once: true });
      return stream;
    },
    text: (event) => textAt(event, "message", "content"),
  },
];

const outputText = (span: DecodedSpan | undefined): string =>
  textAt(jsonAttribute(span, "gen_ai.output.messages"), 0, "parts", 0, "content");

/** Whether enough has arrived to stop: two events, and some text. */
const enough = (seen: number, text: string) => seen >= 2 && text !== "";

/**
 * Reads `stream` until `enough` has come, then `stop`s and leaves the loop (an SDK may go on reading an aborted
 * stream: the AWS SDK in workerd); the text read. An abort is seen before the loop is left: `stop` settles first.
 */
async function readThen(family: Family, stream: AsyncIterable<unknown>, stop: () => Promise<void>): Promise<string> {
  let text = "";
  let seen = 0;
  try {
    for await (const event of stream) {
      text += family.text(event);
      if (!enough(++seen, text)) continue;
      await stop();
      break;
    }
  } catch (error) {
    // An SDK may end an aborted stream with its abort error: that is the SDK's, not the tracer's.
    if (!/abort/i.test(String((error as Error).name) + String((error as Error).message))) throw error;
  }
  return text;
}

describe.each(FAMILIES)("a $name stream", (family) => {
  it("cut before the provider's end marker: an error, stream_incomplete, with what arrived", async () => {
    const session = tracedSession();
    const { events, error } = await readAll(await family.open("stream-cut"));
    const arrived = events.map(family.text).join("");
    expect(arrived).not.toBe("");
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("ERROR");
    // An SDK that reports the cut itself (Ollama) throws: the span records its error, as any failed stream's.
    expect(span?.attributes["error.type"]).toBe(error === undefined ? "stream_incomplete" : (error as Error).name);
    expect(span?.attributes["gen_ai.response.finish_reasons"]).toEqual([
      error === undefined ? "stream_incomplete" : "error",
    ]);
    expect(span?.attributes["moda.stream.cancelled"]).toBeUndefined();
    expect(outputText(span)).toBe(arrived);
    if (family.inputTokensSoFar !== undefined) {
      expect(span?.attributes["gen_ai.usage.input_tokens"]).toBe(family.inputTokensSoFar);
    }
  });

  it.each([
    ["break", async (_controller: AbortController) => {}],
    [
      "an abort",
      async (controller: AbortController) => {
        controller.abort();
        // The tracer sees a Stainless stream's abort a microtask later (src/instrument/stream.ts).
        await Promise.resolve();
        await Promise.resolve();
      },
    ],
  ])("cancelled by the caller's %s: status unset, moda.stream.cancelled, with what arrived", async (_way, stop) => {
    const session = tracedSession();
    const controller = new AbortController();
    const stream = await family.open("stream-hold", controller.signal);
    const arrived = await readThen(family, stream, () => stop(controller));
    const [span] = await session.spans(1);
    expect(span?.attributes["error.type"]).toBeUndefined();
    expect(span?.status.code).toBe("UNSET");
    expect(span?.attributes["moda.stream.cancelled"]).toBe(true);
    expect(span?.attributes["gen_ai.response.finish_reasons"]).toEqual(["cancelled"]);
    expect(outputText(span)).toBe(arrived);
  });

  it("still open when the flush stops waiting: exported with what arrived, marked incomplete", async () => {
    const controller = new AbortController();
    let arrived = "";
    let left: AsyncIterator<unknown> | undefined;
    // A request whose handler returns with the stream still open: its flush waits spanWaitMs, then exports it.
    const sink = newSink();
    const worker = withModa<TestWorker>(
      {
        async fetch() {
          left = (await family.open("stream-hold", controller.signal))[Symbol.asyncIterator]();
          for (let read = 1; !enough(read, arrived); read++) arrived += family.text((await left.next()).value);
          return new Response("ok");
        },
      },
      { apiKey: "test-key", baseUrl: sink.url, spanWaitMs: 50 },
    );
    const ctx = recordingContext();
    await (await worker.fetch(new Request("https://app.example/run"), {}, ctx)).text();
    await ctx.settled();
    const spans = await sink.waitForSpans(2);
    controller.abort();
    await left?.return?.().catch(() => undefined);
    const span = spans.find((each) => each.kind === "CLIENT");
    expect(span?.status.code).toBe("UNSET");
    expect(span?.attributes["moda.span.incomplete"]).toBe(true);
    expect(span?.attributes["moda.stream.cancelled"]).toBeUndefined();
    expect(span?.attributes["gen_ai.response.finish_reasons"]).toEqual(["stream_incomplete"]);
    expect(outputText(span)).toBe(arrived);
  });
});

describe.each(FAMILIES.slice(0, 3))("a $name stream read as a ReadableStream", (family) => {
  it("cancelled by the reader: status unset, moda.stream.cancelled", async () => {
    const session = tracedSession();
    const stream = (await family.open("stream-hold")) as unknown as { toReadableStream(): ReadableStream };
    const reader = stream.toReadableStream().getReader();
    await reader.read();
    await reader.cancel();
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("UNSET");
    expect(span?.attributes["moda.stream.cancelled"]).toBe(true);
  });
});
