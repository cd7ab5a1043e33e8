import { describe, expect, it } from "vitest";
import { currentScope } from "../../src/core/scope-lookup";
import { startSpan } from "../../src/core/tracer";
import { flush, init, modaTracer, withModa } from "../../src/index";
import { recordingContext, type TestWorker } from "../support/execution-context";
import { newSink } from "../support/receiver-client";

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("finding the request a span belongs to", () => {
  it("after an await, uses the only request in flight", async () => {
    const sink = newSink();
    const worker = withModa<TestWorker>({
      async fetch() {
        await tick();
        modaTracer().startSpan("late").end();
        return new Response("ok");
      },
    });
    const ctx = recordingContext();
    await (
      await worker.fetch(new Request("https://app.example/one"), { MODA_API_KEY: "k", MODA_BASE_URL: sink.url }, ctx)
    ).text();
    await ctx.settled();
    const spans = await sink.waitForSpans(2);
    const root = spans.find((s) => s.kind === "SERVER");
    expect(spans.find((s) => s.name === "late")).toMatchObject({ traceId: root?.traceId, parentSpanId: root?.spanId });
  });

  it("with several requests in flight, uses the scope captured synchronously (as wrap() does)", async () => {
    const sink = newSink();
    const worker = withModa<TestWorker>({
      async fetch(request: Request) {
        const captured = currentScope();
        await tick();
        startSpan({ name: `call ${new URL(request.url).pathname}`, scopeHint: captured }).end();
        await tick();
        return new Response("ok");
      },
    });
    const env = { MODA_API_KEY: "k", MODA_BASE_URL: sink.url };
    const ctx = recordingContext();
    const responses = await Promise.all(
      ["/a", "/b", "/c"].map((path) => worker.fetch(new Request(`https://app.example${path}`), env, ctx)),
    );
    await Promise.all(responses.map((r) => r.text()));
    await ctx.settled();
    const spans = await sink.waitForSpans(6);
    for (const path of ["/a", "/b", "/c"]) {
      const root = spans.find((s) => s.name === `GET ${path}`);
      expect(spans.find((s) => s.name === `call ${path}`)).toMatchObject({
        traceId: root?.traceId,
        parentSpanId: root?.spanId,
      });
    }
  });

  it("puts spans made outside any request in the background scope, sent by the next request's flush", async () => {
    const sink = newSink();
    modaTracer().startSpan("module-level work").end();
    const worker = withModa<TestWorker>({ fetch: () => new Response("ok") });
    const ctx = recordingContext();
    await (
      await worker.fetch(new Request("https://app.example/"), { MODA_API_KEY: "k", MODA_BASE_URL: sink.url }, ctx)
    ).text();
    await ctx.settled();
    const spans = await sink.waitForSpans(2);
    const background = spans.find((s) => s.name === "module-level work");
    expect(background?.parentSpanId).toBe("");
    expect(background?.traceId).not.toBe(spans.find((s) => s.kind === "SERVER")?.traceId);
  });

  it("exports spans made outside any request with flush() after init()", async () => {
    const sink = newSink();
    init({ apiKey: "k", baseUrl: sink.url, serviceName: "script" });
    try {
      const tracer = modaTracer();
      tracer.startActiveSpan("script step", (span) => {
        tracer.startSpan("child").end();
        span.end();
      });
      await flush();
      const spans = await sink.spans();
      expect(spans.map((s) => s.name).sort()).toEqual(["child", "script step"]);
      expect(spans[0]?.resource["service.name"]).toBe("script");
      await flush();
      expect(await sink.spans()).toHaveLength(2);
    } finally {
      init({});
    }
  });
});
