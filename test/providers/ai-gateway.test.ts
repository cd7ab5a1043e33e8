/**
 * Issue 26, AI Gateway through the provider SDKs: the parser on real gateway URLs, then the real OpenAI and
 * Anthropic SDKs at base URLs shaped like a gateway's (the mocks serve AI Gateway's paths and headers,
 * test/support/mock-http.ts), recorded with the provider and model behind the gateway, its id, cache status and
 * log id.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, inject, it } from "vitest";
import { wrap } from "../../src/index";
import { aiGatewayRoute } from "../../src/instrument/ai-gateway";
import { tracedSession } from "../support/openai-harness";

describe("aiGatewayRoute", () => {
  it.each([
    ["https://gateway.ai.cloudflare.com/v1/0123456789abcdef0123456789abcdef/my-gw/openai", "openai"],
    ["https://gateway.ai.cloudflare.com/v1/0123456789abcdef0123456789abcdef/my-gw/anthropic", "anthropic"],
    [
      "https://gateway.ai.cloudflare.com/v1/0123456789abcdef0123456789abcdef/my-gw/google-ai-studio/v1beta",
      "google-ai-studio",
    ],
    ["https://gateway.ai.cloudflare.com/v1/0123456789abcdef0123456789abcdef/my-gw/workers-ai/v1", "workers-ai"],
    ["https://gateway.ai.cloudflare.com/v1/0123456789abcdef0123456789abcdef/my-gw/compat", "compat"],
  ])("reads %s", (url, segment) => {
    expect(aiGatewayRoute(url)).toEqual({ accountId: "0123456789abcdef0123456789abcdef", gatewayId: "my-gw", segment });
  });

  it.each([
    "https://api.openai.com/v1",
    "https://gateway.ai.cloudflare.com/v1/acct/my-gw",
    "https://proxy.example/v1/team/project/not-a-provider",
    "not a url",
  ])("finds no gateway in %s", (url) => {
    expect(aiGatewayRoute(url)).toBeUndefined();
  });
});

const gatewayUrl = (mock: string, segment: string) => `${mock}/v1/acct/my-gw/${segment}`;
const hi = [{ role: "user" as const, content: "Hi" }];

describe("SDK clients through a gateway", () => {
  it("records an OpenAI client's calls with the gateway's id, cache status and log id", async () => {
    const session = tracedSession();
    const client = wrap(new OpenAI({ apiKey: "k", baseURL: gatewayUrl(inject("openaiUrl"), "openai"), maxRetries: 0 }));
    const { response } = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: hi }, { headers: { "cf-aig-skip-cache": "true" } })
      .withResponse();
    const [span] = await session.spans(1);
    expect(span?.attributes).toMatchObject({
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o-mini",
      "moda.ai_gateway.id": "my-gw",
      "moda.ai_gateway.cache_status": "MISS",
      "moda.ai_gateway.log_id": response.headers.get("cf-aig-log-id"),
    });
    expect(span?.attributes["moda.ai_gateway.log_id"]).toMatch(/^log_mock_\d+$/);
  });

  it("records the unified endpoint's `provider/model` as the provider and the model", async () => {
    const session = tracedSession();
    const client = wrap(new OpenAI({ apiKey: "k", baseURL: gatewayUrl(inject("openaiUrl"), "compat"), maxRetries: 0 }));
    await client.chat.completions.create({ model: "anthropic/claude-sonnet-4-5", messages: hi });
    const [span] = await session.spans(1);
    expect(span?.name).toBe("chat claude-sonnet-4-5");
    expect(span?.attributes).toMatchObject({
      "gen_ai.provider.name": "anthropic",
      "gen_ai.request.model": "claude-sonnet-4-5",
      "llm.system": "anthropic",
      "moda.ai_gateway.id": "my-gw",
      "moda.ai_gateway.cache_status": "HIT",
    });
  });

  it("records an Anthropic client's streamed call through a gateway", async () => {
    const session = tracedSession();
    const client = wrap(
      new Anthropic({ apiKey: "k", baseURL: gatewayUrl(inject("anthropicUrl"), "anthropic"), maxRetries: 0 }),
    );
    const stream = await client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 64,
      messages: hi,
      stream: true,
    });
    for await (const _ of stream);
    const [span] = await session.spans(1);
    expect(span?.attributes).toMatchObject({
      "gen_ai.provider.name": "anthropic",
      "gen_ai.request.model": "claude-sonnet-4-5",
      "moda.ai_gateway.id": "my-gw",
      "moda.ai_gateway.cache_status": "HIT",
    });
    expect(span?.attributes["moda.ai_gateway.log_id"]).toMatch(/^log_mock_\d+$/);
  });

  it("records nothing of a gateway for a client at the provider's own URL", async () => {
    const session = tracedSession();
    await wrap(
      new OpenAI({ apiKey: "k", baseURL: `${inject("openaiUrl")}/v1`, maxRetries: 0 }),
    ).chat.completions.create({ model: "gpt-4o-mini", messages: hi });
    const [span] = await session.spans(1);
    expect(Object.keys(span?.attributes ?? {}).filter((name) => name.startsWith("moda.ai_gateway"))).toEqual([]);
  });
});
