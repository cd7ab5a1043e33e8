/**
 * Which requests are exported (docs/export.md, "Which requests are exported"): by default only those holding an
 * LLM call, a workflow/task/agent/tool, or a span of other OpenTelemetry code; `exportAllRequests` sends every one.
 * Then tail sampling: `sampleRate` is applied when the request ends, to healthy requests only; one with an LLM
 * error, an HTTP 5xx or a thrown handler error is always exported. Real `openai` SDK against the mock server;
 * spans read back by the receiver. A request's flush has finished once `ctx.settled()` resolves, so "nothing
 * arrived" is checked after it, not after a wait.
 */
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, inject, it, type MockInstance, vi } from "vitest";
import { hasAsyncContext } from "../../src/core/context";
import { ModaConfigError, modaTracer, task, traceHeaders, withModa, wrap } from "../../src/index";
import { recordingContext, type TestWorker } from "../support/execution-context";
import { type DecodedSpan, newSink, type Sink } from "../support/receiver-client";

type Env = Record<string, string>;

function client(): OpenAI {
  return wrap(new OpenAI({ apiKey: "sk-provider", baseURL: `${inject("openaiUrl")}/v1`, maxRetries: 0 }));
}

/** One chat call; `model: "mock-error-500"` makes the mock answer 500. */
async function ask(model = "gpt-4o-mini"): Promise<string> {
  const completion = await client().chat.completions.create({ model, messages: [{ role: "user", content: "Hi" }] });
  return completion.choices[0]?.message.content ?? "";
}

/** Sends one request to a worker whose fetch is `fetch`, and waits until its flush is over. */
async function serve(sink: Sink, fetch: TestWorker["fetch"], env: Env = {}): Promise<number> {
  const worker = withModa<TestWorker>({ fetch });
  const ctx = recordingContext();
  const workerEnv = { MODA_API_KEY: "k", MODA_BASE_URL: sink.url, MODA_DEBUG: "true", ...env };
  try {
    const response = await worker.fetch(new Request("https://app.example/run"), workerEnv, ctx);
    await response.text();
    return response.status;
  } catch {
    return 0;
  } finally {
    await ctx.settled();
  }
}

let debugLines: MockInstance<typeof console.debug>;
beforeEach(() => {
  debugLines = vi.spyOn(console, "debug").mockImplementation(() => undefined);
});
afterEach(() => debugLines.mockRestore());

const said = (text: string) => debugLines.mock.calls.some((args) => args.map(String).join(" ").includes(text));
const root = (spans: DecodedSpan[]) => spans.find((span) => span.kind === "SERVER") as DecodedSpan;

describe("a request is exported when it did something worth tracing", () => {
  it("one without an LLM call, entity or OpenTelemetry span: no export at all, and debug says why", async () => {
    const sink = newSink();
    expect(await serve(sink, () => new Response("plain"))).toBe(200);
    expect(await sink.requests()).toEqual([]);
    expect(said('request "GET /run" not exported (1 span(s)): no LLM call')).toBe(true);
  });

  it("one with an LLM call: its request span and the call, the call under the request span", async () => {
    const sink = newSink();
    await serve(sink, async () => new Response(await ask()));
    const spans = await sink.waitForSpans(2);
    const llm = spans.find((span) => span.kind === "CLIENT") as DecodedSpan;
    expect(llm.parentSpanId).toBe(root(spans).spanId);
    expect(llm.traceId).toBe(root(spans).traceId);
  });

  it("one with a task, or with a span of other OpenTelemetry code (modaTracer())", async () => {
    const sink = newSink();
    const step = task("step", () => "done");
    await serve(sink, () => new Response(step()));
    await serve(sink, () => {
      modaTracer().startSpan("db query").end();
      return new Response("ok");
    });
    const spans = await sink.waitForSpans(4);
    expect(spans.map((span) => span.name).sort()).toEqual(["GET /run", "GET /run", "db query", "step.task"]);
  });

  it("one that hands its trace on with traceHeaders(): the service it calls needs its request span", async () => {
    const sink = newSink();
    await serve(sink, () => new Response(traceHeaders().traceparent));
    const [span] = await sink.waitForSpans(1);
    expect(span?.name).toBe("GET /run");
  });

  it("every request with exportAllRequests: true, as an option or as MODA_EXPORT_ALL_REQUESTS", async () => {
    const sink = newSink();
    const worker = withModa<TestWorker>({ fetch: () => new Response("plain") }, { exportAllRequests: true });
    const ctx = recordingContext();
    await (
      await worker.fetch(new Request("https://app.example/a"), { MODA_API_KEY: "k", MODA_BASE_URL: sink.url }, ctx)
    ).text();
    await ctx.settled();
    await serve(sink, () => new Response("plain"), { MODA_EXPORT_ALL_REQUESTS: "true" });
    const spans = await sink.waitForSpans(2);
    expect(spans.map((span) => span.name).sort()).toEqual(["GET /a", "GET /run"]);
  });

  it("refuses an exportAllRequests that is not a boolean, naming it", () => {
    const options = { exportAllRequests: "sometimes" as unknown as boolean };
    expect(() => withModa(() => new Response("x"), options)).toThrow(ModaConfigError);
    expect(() => withModa(() => new Response("x"), options)).toThrow(/exportAllRequests/);
  });
});

describe("sampleRate, decided when the request ends", () => {
  const NEVER = { MODA_SAMPLE_RATE: "0" };

  it("leaves out a healthy request that was not drawn, and debug says why", async () => {
    const sink = newSink();
    expect(await serve(sink, async () => new Response(await ask()), NEVER)).toBe(200);
    expect(await sink.requests()).toEqual([]);
    expect(said("sampled out (sampleRate 0) and no span in error")).toBe(true);
  });

  it("keeps a request whose LLM call failed, whatever the draw", async () => {
    const sink = newSink();
    const fetch = async () => new Response(await ask("mock-error-500").catch(() => "fallback"));
    expect(await serve(sink, fetch, NEVER)).toBe(200);
    const spans = await sink.waitForSpans(2);
    expect(spans.find((span) => span.kind === "CLIENT")?.status.code).toBe("ERROR");
  });

  it("keeps a request answered with a 5xx, whatever the draw", async () => {
    const sink = newSink();
    expect(await serve(sink, async () => new Response(await ask(), { status: 503 }), NEVER)).toBe(503);
    const spans = await sink.waitForSpans(2);
    expect(root(spans).attributes["http.response.status_code"]).toBe(503);
  });

  it("keeps a request whose handler threw, whatever the draw", async () => {
    const sink = newSink();
    const fetch = async (): Promise<Response> => {
      await ask();
      throw new TypeError("handler broke");
    };
    expect(await serve(sink, fetch, NEVER)).toBe(0);
    const spans = await sink.waitForSpans(2);
    expect(root(spans).status.code).toBe("ERROR");
  });

  // Without AsyncLocalStorage, a span made after the flush has no known request at all (test/core/scope-lookup.test.ts).
  it.runIf(hasAsyncContext())(
    "a request left out records none of its late spans (their parent was never sent)",
    async () => {
      const sink = newSink();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let late: Promise<boolean> | undefined;
      await serve(sink, () => {
        late = gate.then(() => modaTracer().startSpan("late").isRecording());
        return new Response("plain");
      });
      release();
      expect(await late).toBe(false);
      expect(await sink.requests()).toEqual([]);
    },
  );
});
