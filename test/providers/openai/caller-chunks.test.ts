/**
 * Issue 26, item 4: when moda-edge asks a stream for its usage (`stream_options.include_usage`), the caller sees
 * exactly the chunks the unwrapped SDK gives for the caller's own params: no usage-only chunk, and no `usage: null`
 * on the others, whether read with `for await`, `toReadableStream()` or the chat helper's `finalChatCompletion()`.
 * Each wrapped call is compared, deeply, with the same call of the unwrapped client; only the mock's per-request
 * ids differ, and are named alike.
 */
import { AzureOpenAI as AzureOpenAIV6 } from "openai";
import { AzureOpenAI as AzureOpenAIV4 } from "openai-v4";
import { describe, expect, inject, it } from "vitest";
import { wrap } from "../../../src/index";
import { capture, rawClient, tracedSession } from "../../support/openai-harness";
import { OPENAI_SDKS } from "../../support/openai-sdks";

type Client = ReturnType<typeof rawClient>;
/** openai v4 keeps the chat helpers under `beta`. */
interface V4Beta {
  beta: { chat: { completions: Client["chat"]["completions"] } };
}

/** `value` as JSON would carry it, the mock's per-request ids (`chatcmpl-mock12`) named alike. */
function comparable(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value).replace(/mock\d+/g, "mock#")) as unknown;
}

async function chunksOf(stream: AsyncIterable<unknown>): Promise<unknown> {
  const chunks: unknown[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return comparable(chunks);
}

async function readableChunks(stream: { toReadableStream(): ReadableStream }): Promise<unknown> {
  const text = await new Response(stream.toReadableStream()).text();
  return comparable(
    text
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as unknown),
  );
}

const ask = (model: string) => ({ model, messages: [{ role: "user" as const, content: "Hi" }], stream: true as const });

describe.each(OPENAI_SDKS)("the chunks a caller sees with %s", (_name, OpenAI, major) => {
  it.each(["mock-text", "mock-tools", "mock-reasoning"])(
    "%s: for await gives the unwrapped SDK's chunks, and moda-edge asked for usage",
    async (model) => {
      const session = tracedSession();
      const sent = capture();
      const wrapped = await wrap(rawClient(OpenAI)).chat.completions.create(ask(model), { headers: sent.headers });
      const unwrapped = await rawClient(OpenAI).chat.completions.create(ask(model));
      expect(await chunksOf(wrapped)).toEqual(await chunksOf(unwrapped));
      const [request] = await sent.requests();
      expect((request?.body as { stream_options?: unknown } | undefined)?.stream_options).toEqual({
        include_usage: true,
      });
      const [span] = await session.spans(1);
      expect(span?.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
    },
  );

  it("Azure's stream shape: the same chunks as unwrapped", async () => {
    const session = tracedSession();
    const headers = { "x-mock-scenario": "azure" };
    const wrapped = await wrap(rawClient(OpenAI)).chat.completions.create(ask("gpt-4o"), { headers });
    const unwrapped = await rawClient(OpenAI).chat.completions.create(ask("gpt-4o"), { headers });
    expect(await chunksOf(wrapped)).toEqual(await chunksOf(unwrapped));
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.usage.input_tokens"]).toBe(19);
  });

  it("toReadableStream(): the same bytes as unwrapped", async () => {
    const session = tracedSession();
    const wrapped = await wrap(rawClient(OpenAI)).chat.completions.create(ask("mock-tools"));
    const unwrapped = await rawClient(OpenAI).chat.completions.create(ask("mock-tools"));
    expect(await readableChunks(wrapped)).toEqual(await readableChunks(unwrapped));
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.usage.output_tokens"]).toBe(51);
  });

  it("the chat helper: the same chunk events and finalChatCompletion() as unwrapped", async () => {
    const session = tracedSession();
    const helper = (client: Client) => {
      const completions = major >= 6 ? client.chat.completions : (client as unknown as V4Beta).beta.chat.completions;
      const runner = completions.stream({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }] });
      const chunks: unknown[] = [];
      runner.on("chunk", (chunk: unknown) => chunks.push(chunk));
      return runner.finalChatCompletion().then((final) => comparable({ final, chunks }));
    };
    const wrapped = await helper(wrap(rawClient(OpenAI)));
    expect(wrapped).toEqual(await helper(rawClient(OpenAI)));
    expect(wrapped).not.toHaveProperty("final.usage");
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.usage.output_tokens"]).toBe(10);
  });

  it("legacy completions: the same chunks as unwrapped", async () => {
    const session = tracedSession();
    const params = { model: "gpt-3.5-turbo-instruct", prompt: "Once upon a time", stream: true as const };
    const wrapped = await wrap(rawClient(OpenAI)).completions.create(params);
    const unwrapped = await rawClient(OpenAI).completions.create(params);
    expect(await chunksOf(wrapped)).toEqual(await chunksOf(unwrapped));
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.usage.output_tokens"]).toBe(7);
  });

  it("a caller who asked for usage still gets every usage field the API sends", async () => {
    const session = tracedSession();
    const params = { ...ask("gpt-4o"), stream_options: { include_usage: true } };
    const wrapped = await wrap(rawClient(OpenAI)).chat.completions.create(params);
    const unwrapped = await rawClient(OpenAI).chat.completions.create(params);
    const chunks = await chunksOf(wrapped);
    expect(chunks).toEqual(await chunksOf(unwrapped));
    expect(chunks).toContainEqual(expect.objectContaining({ usage: null }));
    await session.spans(1);
  });
});

const AZURE_SDKS = [
  ["openai 6.x", AzureOpenAIV6 as unknown as typeof AzureOpenAIV6],
  ["openai 4.x", AzureOpenAIV4 as unknown as typeof AzureOpenAIV6],
] as const;

describe.each(AZURE_SDKS)("AzureOpenAI of %s", (_name, AzureOpenAI) => {
  const azure = () =>
    new AzureOpenAI({
      endpoint: inject("openaiUrl"),
      apiKey: "azure-key",
      apiVersion: "2024-10-21",
      deployment: "gpt-4o",
      maxRetries: 0,
    });

  it("streams the chunks the unwrapped client gives, with usage recorded", async () => {
    const session = tracedSession();
    const headers = { "x-mock-scenario": "azure" };
    const wrapped = await wrap(azure()).chat.completions.create(ask("gpt-4o"), { headers });
    const unwrapped = await azure().chat.completions.create(ask("gpt-4o"), { headers });
    expect(await chunksOf(wrapped)).toEqual(await chunksOf(unwrapped));
    const [span] = await session.spans(1);
    expect(span?.attributes).toMatchObject({
      "gen_ai.provider.name": "azure.ai.openai",
      "gen_ai.usage.input_tokens": 19,
    });
  });
});
