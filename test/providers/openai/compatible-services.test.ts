/**
 * Issue 4, item 6: providers behind the OpenAI SDK. `AzureOpenAI` is `azure.ai.openai`; a known
 * OpenAI-compatible `baseURL` names its service; anything else is `openai`, with `server.address` telling the
 * truth. The clients reach the mock through a `fetch` that keeps the path and changes only the origin.
 */
import { AzureOpenAI as AzureOpenAIV6 } from "openai";
import { AzureOpenAI as AzureOpenAIV4 } from "openai-v4";
import { describe, expect, inject, it } from "vitest";
import { wrap } from "../../../src/index";
import { capture, tracedSession, wrappedClient } from "../../support/openai-harness";
import { OPENAI_SDKS } from "../../support/openai-sdks";

const hi = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Hi" }] };

/** A fetch that sends every request to the mock, whatever host the client targets. */
function toMock(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
  const mock = new URL(inject("openaiUrl"));
  url.protocol = mock.protocol;
  url.host = mock.host;
  return fetch(url, init);
}

const SERVICES: readonly [baseURL: string, provider: string, address: string, port: number][] = [
  ["https://api.openai.com/v1", "openai", "api.openai.com", 443],
  ["https://api.groq.com/openai/v1", "groq", "api.groq.com", 443],
  ["https://api.deepseek.com/v1", "deepseek", "api.deepseek.com", 443],
  ["https://api.mistral.ai/v1", "mistral_ai", "api.mistral.ai", 443],
  ["https://api.x.ai/v1", "x_ai", "api.x.ai", 443],
  ["https://api.perplexity.ai", "perplexity", "api.perplexity.ai", 443],
  ["https://api.together.xyz/v1", "together_ai", "api.together.xyz", 443],
  ["https://openrouter.ai/api/v1", "openrouter", "openrouter.ai", 443],
  ["https://api.fireworks.ai/inference/v1", "fireworks_ai", "api.fireworks.ai", 443],
  ["https://generativelanguage.googleapis.com/v1beta/openai/", "gcp.gemini", "generativelanguage.googleapis.com", 443],
  ["http://localhost:11434/v1", "ollama", "localhost", 11434],
  ["https://my-resource.openai.azure.com/openai/v1", "azure.ai.openai", "my-resource.openai.azure.com", 443],
  ["http://llm.internal.example:8080/v1", "openai", "llm.internal.example", 8080],
];

describe.each(OPENAI_SDKS)("provider names with %s", (_name, OpenAI) => {
  it.each(SERVICES)("%s is %s", async (baseURL, provider, address, port) => {
    const session = tracedSession();
    await wrappedClient(OpenAI, { baseURL, fetch: toMock }).chat.completions.create(hi);
    const [span] = await session.spans(1);
    expect(span?.attributes).toMatchObject({
      "gen_ai.provider.name": provider,
      "llm.system": provider,
      "server.address": address,
      "server.port": port,
    });
  });

  it("does not send stream_options to Mistral, whose API rejects unknown fields", async () => {
    const session = tracedSession();
    const sent = capture();
    const client = wrappedClient(OpenAI, { baseURL: "https://api.mistral.ai/v1", fetch: toMock });
    for await (const _chunk of await client.chat.completions.create(
      { ...hi, stream: true },
      { headers: sent.headers },
    ));
    const [request] = await sent.requests();
    expect(request?.body).not.toHaveProperty("stream_options");
    await session.spans(1);
  });
});

const AZURE_SDKS = [
  ["openai 6.x", AzureOpenAIV6 as unknown as AzureClass],
  ["openai 4.x", AzureOpenAIV4 as unknown as AzureClass],
] as const;
type AzureClass = typeof AzureOpenAIV6;

describe.each(AZURE_SDKS)("AzureOpenAI of %s", (_name, AzureOpenAI) => {
  const azure = (apiVersion: string) =>
    wrap(
      new AzureOpenAI({
        endpoint: inject("openaiUrl"),
        apiKey: "azure-key",
        apiVersion,
        deployment: "gpt-4o",
        maxRetries: 0,
      }),
    );

  it("is azure.ai.openai, and its deployment path reaches the mock", async () => {
    const session = tracedSession();
    const sent = capture();
    const client = azure("2024-10-21");
    expect(client).toBeInstanceOf(AzureOpenAI);
    await client.chat.completions.create(hi, { headers: sent.headers });
    const [request] = await sent.requests();
    expect(request?.path).toBe("/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21");
    const [span] = await session.spans(1);
    expect(span?.attributes).toMatchObject({
      "gen_ai.provider.name": "azure.ai.openai",
      "server.address": "127.0.0.1",
      "gen_ai.response.model": "gpt-4o-2026-01-01",
    });
  });

  it.each([
    ["2024-10-21", { include_usage: true }],
    ["2024-06-01", undefined],
  ])("with API version %s, sends stream_options %o", async (apiVersion, expected) => {
    const session = tracedSession();
    const sent = capture();
    const stream = await azure(apiVersion).chat.completions.create({ ...hi, stream: true }, { headers: sent.headers });
    for await (const _chunk of stream);
    const [request] = await sent.requests();
    expect((request?.body as { stream_options?: unknown } | undefined)?.stream_options).toEqual(expected);
    await session.spans(1);
  });
});
