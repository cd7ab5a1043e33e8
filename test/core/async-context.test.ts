/**
 * AsyncLocalStorage found without configuration (issue 23, item 1), in each runtime the suite runs in: Node,
 * workerd (the vitest pool runs with nodejs_compat) and edge-runtime. Each case loads a fresh copy of the
 * library, as a new isolate would. runtime-tests/node/async-context-discovery.test.ts runs the built package in
 * workerd on both sides of compatibility date 2026-08-04, and in a bare edge-runtime VM.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type RecordingContext, recordingContext } from "../support/execution-context";
import { freshIsolate, type Moda } from "../support/fresh-isolate";
import { type DecodedSpan, newSink } from "../support/receiver-client";

type Worker = { fetch(request: Request, env: Record<string, string>, ctx: RecordingContext): Promise<Response> };
type Process = { getBuiltinModule(id: string): unknown };

const runtimeProcess = (globalThis as unknown as { process: Process }).process;
const global = globalThis as { AsyncLocalStorage?: unknown };

afterEach(() => {
  vi.restoreAllMocks();
  delete global.AsyncLocalStorage;
});

/** An AsyncLocalStorage that counts the contexts it runs, to tell which one the tracer uses. */
function countingAls(): { als: typeof AsyncLocalStorage; runs: () => number } {
  let runs = 0;
  class Counting<T> extends AsyncLocalStorage<T> {
    override run<R>(store: T, fn: (...args: unknown[]) => R): R {
      runs++;
      return super.run(store, fn);
    }
  }
  return { als: Counting as typeof AsyncLocalStorage, runs: () => runs };
}

/** Two requests in flight at once, each a span that ends after an `await`, with a child made after another. */
async function nestAcrossAwaits(moda: Moda, options: Parameters<Moda["withModa"]>[1] = {}) {
  const sink = newSink();
  const tracer = moda.modaTracer();
  let entered = 0;
  let open!: () => void;
  const bothIn = new Promise<void>((resolve) => {
    open = resolve;
  });
  const worker = moda.withModa<Worker>(
    {
      fetch: (request) =>
        tracer.startActiveSpan("outer", async (outer) => {
          if (++entered === 2) open();
          await bothIn;
          tracer.startSpan(`inner ${new URL(request.url).pathname}`).end();
          outer.end();
          return new Response("ok");
        }),
    },
    options,
  );
  const ctx = recordingContext();
  const env = { MODA_API_KEY: "k", MODA_BASE_URL: sink.url };
  const responses = await Promise.all(
    ["/a", "/b"].map((path) => worker.fetch(new Request(`https://app.example${path}`), env, ctx)),
  );
  await Promise.all(responses.map((response) => response.text()));
  await ctx.settled();
  return sink.spans();
}

/** Each request's inner span under its own outer span, under its own request span. */
function expectNested(spans: DecodedSpan[]): void {
  for (const path of ["/a", "/b"]) {
    const inner = spans.find((span) => span.name === `inner ${path}`);
    const outer = spans.find((span) => span.spanId === inner?.parentSpanId);
    const root = spans.find((span) => span.name === `GET ${path}`);
    expect(outer).toMatchObject({ name: "outer", traceId: root?.traceId, parentSpanId: root?.spanId });
  }
}

describe("AsyncLocalStorage, found without configuration", () => {
  it("is looked for once, at first use, not when the module loads: spans then nest across awaits", async () => {
    const getBuiltinModule = vi.spyOn(runtimeProcess, "getBuiltinModule");
    const asyncHooksLookups = () => getBuiltinModule.mock.calls.filter(([id]) => id === "node:async_hooks").length;
    const { moda, context } = await freshIsolate();
    expect(asyncHooksLookups()).toBe(0);
    const spans = await nestAcrossAwaits(moda);
    expect(asyncHooksLookups()).toBe(1);
    expect(context.describeAsyncContext()).toContain('process.getBuiltinModule("node:async_hooks")');
    expectNested(spans);
    await nestAcrossAwaits(moda);
    expect(asyncHooksLookups()).toBe(1);
  });

  it("prefers the global one of Next.js and Vercel Edge", async () => {
    const { als, runs } = countingAls();
    global.AsyncLocalStorage = als;
    const { moda, context } = await freshIsolate();
    const spans = await nestAcrossAwaits(moda);
    expect(context.describeAsyncContext()).toContain("AsyncLocalStorage from globalThis");
    expect(runs()).toBeGreaterThan(0);
    expectNested(spans);
  });

  it("is overridden by init({ asyncLocalStorage })", async () => {
    const { moda, context } = await freshIsolate();
    expect(context.hasAsyncContext()).toBe(true);
    const { als, runs } = countingAls();
    moda.init({ asyncLocalStorage: als });
    expectNested(await nestAcrossAwaits(moda));
    expect(runs()).toBeGreaterThan(0);
    expect(context.describeAsyncContext()).toContain("init({ asyncLocalStorage })");
  });

  it("is named under debug, at init() and at the first request; its absence too", async () => {
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    const found = await freshIsolate();
    found.moda.init({ debug: true });
    await nestAcrossAwaits(found.moda, { debug: true });
    const said = () => debug.mock.calls.map(([message]) => String(message));
    expect(said().filter((m) => m.includes("AsyncLocalStorage from process.getBuiltinModule"))).toHaveLength(2);
    debug.mockClear();
    const absent = await freshIsolate();
    absent.context.useAsyncLocalStorage(null);
    await nestAcrossAwaits(absent.moda, { debug: true });
    expect(said().filter((m) => m.includes("no AsyncLocalStorage found"))).toHaveLength(1);
  });

  it("is none where the runtime refuses the module, and requests are traced as before", async () => {
    vi.spyOn(runtimeProcess, "getBuiltinModule").mockImplementation(() => {
      throw new Error("no such module");
    });
    const { moda, context } = await freshIsolate();
    const spans = await nestAcrossAwaits(moda);
    expect(context.hasAsyncContext()).toBe(false);
    expect(spans.filter((span) => span.kind === "SERVER")).toHaveLength(2);
  });
});
