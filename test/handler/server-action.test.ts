import { describe, expect, it } from "vitest";
import { modaTracer, withModaAction } from "../../src/index";
import { recordingContext } from "../support/execution-context";
import { newSink } from "../support/receiver-client";

/** As `next start` publishes `after()`'s context to the code of a request. */
const NEXT_WORK_STORE = Symbol.for("@next/work-async-storage@99.0.0-test");

describe("withModaAction: a Next.js server action as a root span of its own", () => {
  it("traces each call under the action's name, its spans under it, exported through after()'s waitUntil", async () => {
    const sink = newSink();
    const ctx = recordingContext();
    const globals = globalThis as Record<symbol, unknown>;
    globals[NEXT_WORK_STORE] = {
      getStore: () => ({ afterContext: { waitUntil: (promise: Promise<unknown>) => ctx.waitUntil(promise) } }),
    };
    try {
      const ask = withModaAction(
        "askQuestion",
        async (question: string, times: number) => {
          modaTracer().startSpan("inner work").end();
          return `${question} x${times}`;
        },
        { apiKey: "k", baseUrl: sink.url, exportAllRequests: true },
      );
      expect(await ask("why", 2)).toBe("why x2");
      expect(ctx.pending).toBe(1);
    } finally {
      delete globals[NEXT_WORK_STORE];
    }
    await ctx.settled();
    const spans = await sink.waitForSpans(2);
    const action = spans.find((span) => span.name === "askQuestion");
    expect(action).toMatchObject({
      kind: "SERVER",
      parentSpanId: "",
      attributes: { "code.function.name": "askQuestion" },
    });
    expect(spans.find((span) => span.name === "inner work")?.parentSpanId).toBe(action?.spanId);
  });

  it("passes the action's error on as the same object, recorded on its span", async () => {
    const sink = newSink();
    const failure = new TypeError("bad input");
    const act = withModaAction(
      "failing",
      async () => {
        throw failure;
      },
      { apiKey: "k", baseUrl: sink.url, exportAllRequests: true },
    );
    await expect(act()).rejects.toBe(failure);
    const [span] = await sink.waitForSpans(1);
    expect(span?.status).toEqual({ code: "ERROR", message: "bad input" });
  });

  it("refuses what is not a function", () => {
    expect(() => withModaAction("x", 42 as unknown as () => Promise<void>)).toThrow(/expects a function/);
  });
});
