import { describe, expect, it } from "vitest";
import { hasAsyncContext } from "../../src/core/context";
import { flush, modaTracer, withModa } from "../../src/index";
import { recordingContext, type TestWorker } from "../support/execution-context";
import { newSink } from "../support/receiver-client";

/** A promise and the function that resolves it: a test moves on when an event has happened, not after a delay. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

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
    const env = { MODA_API_KEY: "k", MODA_BASE_URL: sink.url, MODA_EXPORT_ALL_REQUESTS: "true" };
    await (await worker.fetch(new Request("https://app.example/f"), env, ctx)).text();
    expect(deliveredAtFlush).toEqual(["first", "second"]);
    await ctx.settled();
    const spans = await sink.waitForSpans(4);
    expect(spans.map((span) => span.name).sort()).toEqual(["GET /f", "first", "second", "still open"]);
    expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);
  });

  it("takes with it a late span of an earlier request with its settings, as the request's own export would", async () => {
    const sink = newSink();
    const env = { MODA_API_KEY: "k", MODA_BASE_URL: sink.url, MODA_EXPORT_ALL_REQUESTS: "true" };
    const exported = gate();
    let late: Promise<void> | undefined;
    let deliveredAtFlush: string[] = [];
    const worker = withModa<TestWorker>({
      async fetch(request) {
        const { pathname } = new URL(request.url);
        if (pathname === "/earlier") {
          // Work the request leaves running: its span starts after the request has been exported.
          const earlier = modaTracer().startSpan("kept");
          late = exported.opened.then(() => modaTracer().startSpan("late").end());
          earlier.end();
          return new Response("ok");
        }
        await flush();
        deliveredAtFlush = (await sink.spans()).map((span) => span.name).sort();
        return new Response("ok");
      },
    });
    const first = recordingContext();
    await (await worker.fetch(new Request("https://app.example/earlier"), env, first)).text();
    await first.settled();
    await sink.waitForSpans(2);
    exported.open();
    await late;
    const second = recordingContext();
    await (await worker.fetch(new Request("https://app.example/later"), env, second)).text();
    expect(deliveredAtFlush).toEqual(["GET /earlier", "kept", "late"]);
    await second.settled();
    expect((await sink.waitForSpans(4)).map((span) => span.name).sort()).toEqual([
      "GET /earlier",
      "GET /later",
      "kept",
      "late",
    ]);
  });

  it.runIf(hasAsyncContext())(
    "called outside any request while one is in flight, leaves that request's spans to its own export",
    async () => {
      const sink = newSink();
      const env = { MODA_API_KEY: "k", MODA_BASE_URL: sink.url, MODA_EXPORT_ALL_REQUESTS: "true" };
      const inside = gate();
      const release = gate();
      const worker = withModa<TestWorker>({
        async fetch() {
          modaTracer().startSpan("ended inside").end();
          inside.open();
          await release.opened;
          return new Response("ok");
        },
      });
      const ctx = recordingContext();
      const answered = worker.fetch(new Request("https://app.example/busy"), env, ctx);
      await inside.opened;
      await flush();
      expect(await sink.spans()).toEqual([]);
      release.open();
      await (await answered).text();
      await ctx.settled();
      expect((await sink.waitForSpans(2)).map((span) => span.name).sort()).toEqual(["GET /busy", "ended inside"]);
    },
  );
});
