/**
 * Wrapped OpenAI calls inside a `withModa` Worker: their spans join the request's trace under its root span,
 * whether the client was wrapped at module scope or inside the handler, and a stream proxied to the caller
 * keeps its span open past the handler's return until the body is read.
 */
import { describe, expect, it } from "vitest";
import { withModa, wrap } from "../../../src/index";
import { recordingContext, type TestWorker } from "../../support/execution-context";
import { rawClient } from "../../support/openai-harness";
import { OPENAI_SDKS } from "../../support/openai-sdks";
import { newSink, type Sink } from "../../support/receiver-client";

const hi = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Hi" }] };
const envFor = (sink: Sink) => ({ MODA_API_KEY: "test-key", MODA_BASE_URL: sink.url });

describe.each(OPENAI_SDKS)("wrapped %s inside withModa", (_name, OpenAI) => {
  it("puts the call's span under the request's root span, wrapped at module scope or in the handler", async () => {
    const sink = newSink();
    const moduleClient = wrap(rawClient(OpenAI));
    const worker = withModa<TestWorker>({
      async fetch() {
        await moduleClient.chat.completions.create(hi);
        const handlerClient = wrap(rawClient(OpenAI));
        await new Promise((resolve) => setTimeout(resolve, 5));
        await handlerClient.embeddings.create({ model: "text-embedding-3-small", input: "Hi" });
        return new Response("ok");
      },
    });
    const ctx = recordingContext();
    const response = await worker.fetch(new Request("https://app.example/chat"), envFor(sink), ctx);
    expect(await response.text()).toBe("ok");
    await ctx.settled();
    const spans = await sink.waitForSpans(3);
    const root = spans.find((span) => span.kind === "SERVER");
    const children = spans.filter((span) => span.kind === "CLIENT").map((span) => span.name);
    expect(children.sort()).toEqual(["chat gpt-4o", "embeddings text-embedding-3-small"]);
    for (const span of spans.filter((s) => s.kind === "CLIENT")) {
      expect(span.traceId).toBe(root?.traceId);
      expect(span.parentSpanId).toBe(root?.spanId);
    }
  });

  it("keeps a streamed call's span open until the proxied body is read, and exports it with the request", async () => {
    const sink = newSink();
    const client = wrap(rawClient(OpenAI));
    const worker = withModa<TestWorker>({
      async fetch() {
        const stream = await client.chat.completions.create({ ...hi, stream: true });
        return new Response(stream.toReadableStream());
      },
    });
    const ctx = recordingContext();
    const response = await worker.fetch(new Request("https://app.example/stream"), envFor(sink), ctx);
    const lines = (await response.text()).trim().split("\n");
    expect(lines.length).toBeGreaterThan(5);
    await ctx.settled();
    const spans = await sink.waitForSpans(2);
    const llm = spans.find((span) => span.kind === "CLIENT");
    expect(llm?.attributes["gen_ai.usage.output_tokens"]).toBe(10);
    expect(llm?.attributes["moda.span.incomplete"]).toBeUndefined();
    expect(llm?.traceId).toBe(spans.find((span) => span.kind === "SERVER")?.traceId);
  });
});
