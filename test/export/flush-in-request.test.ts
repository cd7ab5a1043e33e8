import { describe, expect, it } from "vitest";
import { flush, modaTracer, withModa } from "../../src/index";
import { recordingContext, type TestWorker } from "../support/execution-context";
import { newSink } from "../support/receiver-client";

describe("flush() inside a traced request", () => {
  it("delivers every span of the request that has ended so far before it resolves; the rest follow", async () => {
    const sink = newSink();
    let deliveredAtFlush: string[] = [];
    const worker = withModa<TestWorker>({
      async fetch() {
        modaTracer().startSpan("first").end();
        modaTracer().startSpan("second").end();
        const open = modaTracer().startSpan("still open");
        await flush();
        deliveredAtFlush = (await sink.spans()).map((span) => span.name).sort();
        open.end();
        return new Response("ok");
      },
    });
    const ctx = recordingContext();
    const env = { MODA_API_KEY: "k", MODA_BASE_URL: sink.url };
    await (await worker.fetch(new Request("https://app.example/f"), env, ctx)).text();
    expect(deliveredAtFlush).toEqual(["first", "second"]);
    await ctx.settled();
    const spans = await sink.waitForSpans(4);
    expect(spans.map((span) => span.name).sort()).toEqual(["GET /f", "first", "second", "still open"]);
    expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);
  });
});
