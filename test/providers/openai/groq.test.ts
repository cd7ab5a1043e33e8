/**
 * Issue 9: `groq-sdk`, an OpenAI-shaped SDK of its own, traced by the OpenAI normaliser as `groq`. Issue 26: a
 * Groq stream's usage is read from `x_groq.usage` on its last chunk when no usage-only chunk was asked for.
 */
import Groq from "groq-sdk";
import { describe, expect, inject, it } from "vitest";
import { wrap } from "../../../src/index";
import { tracedSession } from "../../support/openai-harness";
import { describeOpenAIShapedSdk, type OpenAIShapedClient } from "../../support/openai-shaped";
import { mockCapture, readAll, usageAttributes } from "../../support/provider-spans";

describeOpenAIShapedSdk({
  name: "groq-sdk",
  provider: "groq",
  // Groq's client sends to `<baseURL>/openai/v1/…`; the mock answers by path suffix.
  client: () =>
    new Groq({ apiKey: "test-key", baseURL: inject("openaiUrl"), maxRetries: 0 }) as unknown as OpenAIShapedClient,
  APIError: Groq.APIError,
  mockUrl: () => inject("openaiUrl"),
});

describe("groq-sdk streams: Groq's own usage, x_groq.usage on the last chunk", () => {
  const client = () => new Groq({ apiKey: "test-key", baseURL: inject("openaiUrl"), maxRetries: 0 });
  const ask = { model: "llama-3.3-70b", messages: [{ role: "user" as const, content: "Hi" }], stream: true as const };

  it.each([
    ["injectStreamUsage: false", { injectStreamUsage: false }, ask],
    ["the caller's include_usage: false", {}, { ...ask, stream_options: { include_usage: false } }],
  ])("%s: the tokens are recorded, and the caller sees the unwrapped chunks", async (_name, options, params) => {
    const session = tracedSession(options);
    const sent = mockCapture(inject("openaiUrl"));
    const chunks = await readAll(await wrap(client()).chat.completions.create(params, { headers: sent.headers }));
    const unwrapped = await readAll(await client().chat.completions.create(params));
    const ids = /(chatcmpl-mock|req_mock_)\d+/g;
    expect(JSON.stringify(chunks.events).replace(ids, "$1")).toBe(JSON.stringify(unwrapped.events).replace(ids, "$1"));
    expect(chunks.events.at(-1)).toHaveProperty("x_groq.usage.completion_tokens", 10);
    const [request] = await sent.requests();
    expect(request?.body).toEqual(params);
    const [span] = await session.spans(1);
    expect(span?.attributes).toMatchObject(usageAttributes(19, 10));
    expect(span?.attributes).not.toHaveProperty("gen_ai.usage.cache_read.input_tokens");
  });
});
