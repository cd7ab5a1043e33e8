/**
 * `@google/genai` and `@aws-sdk/client-bedrock-runtime` through `wrap()` in workerd with no compatibility flag at all
 * (no `nodejs_compat`): a Worker bundled the way wrangler bundles one (the `workerd`, `worker` and `browser`
 * conditions, so the AWS SDK takes its fetch-based browser runtime), calling the mock servers, its spans read back.
 * The vitest workerd pool turns on `nodejs_compat` for its own runner, so this test starts workerd itself.
 */
import type { Miniflare } from "miniflare";
import { afterAll, expect, inject, it } from "vitest";
import { newSink } from "../../test/support/receiver-client";
import { startWithoutFlags } from "./support/workerd";

const WORKER = `
import { withModa, wrap } from "./src/index.ts";
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { GoogleGenAI } from "@google/genai";

const messages = [{ role: "user", content: [{ text: "Hi" }] }];

async function bedrock(env) {
  const client = wrap(new BedrockRuntimeClient({
    region: "us-east-1",
    endpoint: env.BEDROCK_URL,
    credentials: { accessKeyId: "AKIDMOCK", secretAccessKey: "mock" },
    maxAttempts: 1,
  }));
  const answer = await client.send(new ConverseCommand({ modelId: "anthropic.claude-mock-text", messages }));
  const streamed = await client.send(new ConverseStreamCommand({ modelId: "anthropic.claude-mock-tools", messages }));
  let events = 0;
  for await (const _event of streamed.stream) events++;
  return { text: answer.output.message.content[0].text, events };
}

async function google(env) {
  const ai = wrap(new GoogleGenAI({ apiKey: "k", httpOptions: { baseUrl: env.GOOGLE_URL } }));
  const answer = await ai.models.generateContent({ model: "mock-text", contents: "Hi" });
  let chunks = 0;
  for await (const _chunk of await ai.models.generateContentStream({ model: "mock-thinking", contents: "Hi" })) chunks++;
  return { text: answer.text, chunks };
}

export default withModa({
  async fetch(request, env) {
    return Response.json({ bedrock: await bedrock(env), google: await google(env) });
  },
});
`;

let miniflare: Miniflare | undefined;
afterAll(() => miniflare?.dispose());

it("both SDKs run wrapped in workerd with no compatibility flags, and their spans are exported", async () => {
  const sink = newSink();
  miniflare = await startWithoutFlags(WORKER, {
    MODA_API_KEY: "k",
    MODA_BASE_URL: sink.url,
    BEDROCK_URL: inject("bedrockUrl"),
    GOOGLE_URL: inject("googleUrl"),
  });
  const response = await miniflare.dispatchFetch("http://app.example/llm");
  const body = (await response.json()) as {
    bedrock: { text: string; events: number };
    google: { text: string; chunks: number };
  };
  expect(body.bedrock.text).toBe("Hello! How can I help you today?");
  expect(body.bedrock.events).toBeGreaterThan(5);
  expect(body.google.text).toBe("Hello! How can I help you today?");
  expect(body.google.chunks).toBeGreaterThan(2);
  const spans = await sink.waitForSpans(5);
  const named = (name: string) => spans.find((span) => span.name === name);
  expect(named("chat anthropic.claude-mock-text")?.attributes).toMatchObject({
    "gen_ai.provider.name": "aws.bedrock",
    "gen_ai.usage.output_tokens": 10,
  });
  expect(named("chat anthropic.claude-mock-tools")?.attributes).toMatchObject({
    "gen_ai.request.stream": true,
    "gen_ai.response.finish_reasons": ["tool_call"],
  });
  expect(named("generate_content mock-text")?.attributes).toMatchObject({
    "gen_ai.provider.name": "gcp.gemini",
    "gen_ai.usage.output_tokens": 10,
  });
  expect(named("generate_content mock-thinking")?.attributes).toMatchObject({
    "gen_ai.request.stream": true,
    "gen_ai.usage.reasoning.output_tokens": 27,
  });
  const requestSpan = named("GET /llm");
  expect(requestSpan?.kind).toBe("SERVER");
  for (const span of spans) expect(span.traceId).toBe(requestSpan?.traceId);
});
