import OpenAI from "openai";
import { expect, it } from "vitest";
import { withModa, wrap } from "../../../src/index";
import { recordingContext, type TestWorker } from "../../support/execution-context";
import { openaiBaseURL } from "../../support/openai-harness";
import { newSink } from "../../support/receiver-client";

// The edge's most common streaming pattern: hand the provider's raw SSE body straight to the browser with
// `asResponse()`. The SDK never parses that stream, so the span cannot see its chunks; the flush must end it
// as it is, not wait for it until the cap and mark it incomplete.
it("ends the span of a streamed call proxied with asResponse() at the flush, without waiting for the cap", async () => {
  const sink = newSink();
  const worker = withModa<TestWorker>({
    async fetch() {
      const openai = wrap(new OpenAI({ apiKey: "test-key", baseURL: openaiBaseURL(), maxRetries: 0 }));
      const upstream = await openai.chat.completions
        .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }], stream: true })
        .asResponse();
      return new Response(upstream.body, { headers: { "content-type": "text/event-stream" } });
    },
  });
  const env = { MODA_API_KEY: "k", MODA_BASE_URL: sink.url, MODA_SPAN_WAIT_MS: "3000" };
  const ctx = recordingContext();
  const body = await (await worker.fetch(new Request("https://app.example/proxy"), env, ctx)).text();
  expect(body).toContain("data: [DONE]");
  await ctx.settled();
  const spans = await sink.waitForSpans(2);
  const root = spans.find((span) => span.kind === "SERVER");
  const llm = spans.find((span) => span.kind === "CLIENT");
  expect(llm).toMatchObject({ name: "chat gpt-4o-mini", traceId: root?.traceId, parentSpanId: root?.spanId });
  expect(llm?.attributes["gen_ai.request.stream"]).toBe(true);
  expect(llm?.attributes["moda.span.incomplete"]).toBeUndefined();
  expect(BigInt(llm?.endTimeUnixNano ?? "0")).toBeLessThanOrEqual(
    BigInt(root?.endTimeUnixNano ?? "0") + 3_000_000_000n,
  );
});

it("describes a stream nobody finished with what arrived, marked incomplete, when the flush stops waiting", async () => {
  const sink = newSink();
  const worker = withModa<TestWorker>({
    async fetch() {
      const openai = wrap(new OpenAI({ apiKey: "test-key", baseURL: openaiBaseURL(), maxRetries: 0 }));
      const stream = await openai.chat.completions.create({
        model: "mock-slow",
        messages: [{ role: "user", content: "Hi" }],
        stream: true,
      });
      const iterator = stream[Symbol.asyncIterator]();
      await iterator.next(); // one chunk read, the rest left hanging
      return new Response("left the stream open");
    },
  });
  const env = { MODA_API_KEY: "k", MODA_BASE_URL: sink.url, MODA_SPAN_WAIT_MS: "300" };
  const ctx = recordingContext();
  await (await worker.fetch(new Request("https://app.example/abandon"), env, ctx)).text();
  await ctx.settled();
  const spans = await sink.waitForSpans(2);
  const llm = spans.find((span) => span.kind === "CLIENT");
  expect(llm?.attributes).toMatchObject({
    "moda.span.incomplete": true,
    "gen_ai.request.model": "mock-slow",
    "gen_ai.request.stream": true,
  });
});
