/**
 * The rule of docs/architecture.md, "Finding a span's request", one case at a time, without AsyncLocalStorage
 * (unless a case gives one), each in a fresh copy of the library: what an isolate has seen is part of the rule.
 * The matrix of test/handler/request-attribution.test.ts runs the same rule through real SDK calls.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { type RecordingContext, recordingContext } from "../support/execution-context";
import { freshIsolate, type Moda } from "../support/fresh-isolate";
import { type DecodedSpan, newSink, type Sink } from "../support/receiver-client";

type Worker = { fetch(request: Request, env: Record<string, string>, ctx: RecordingContext): Promise<Response> };
type Body = (path: string) => Promise<void> | void;

let moda: Moda;
let warn: MockInstance<typeof console.warn>;

beforeEach(async () => {
  const isolate = await freshIsolate();
  isolate.context.useAsyncLocalStorage(null);
  moda = isolate.moda;
  warn = vi.spyOn(console, "warn").mockImplementation(() => {});
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Resolves once `size` callers are waiting in it: that many requests are then in flight at once. */
function gate(size: number): () => Promise<void> {
  let entered = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return () => {
    if (++entered === size) open();
    return opened;
  };
}

/** A Worker whose `fetch` waits at `gate` (after an `await`, so nothing is current any more), then runs `body`. */
function worker(body: Body, wait: () => Promise<void>, options: Parameters<Moda["withModa"]>[1] = {}): Worker {
  return moda.withModa<Worker>(
    {
      async fetch(request) {
        await wait();
        await body(new URL(request.url).pathname);
        return new Response("ok");
      },
    },
    options,
  );
}

/** Sends one request per path to its worker, all in flight together, and waits for their exports. */
async function serve(requests: Array<[Worker, string, Sink]>): Promise<void> {
  const ctx = recordingContext();
  await Promise.all(
    requests.map(async ([target, path, sink]) => {
      const env = { MODA_API_KEY: "key", MODA_BASE_URL: sink.url, MODA_EXPORT_ALL_REQUESTS: "true" };
      await (await target.fetch(new Request(`https://app.example${path}`), env, ctx)).text();
    }),
  );
  await ctx.settled();
}

const named = (spans: DecodedSpan[], name: string) => spans.find((span) => span.name === name);
const rootOf = (spans: DecodedSpan[], path: string) => spans.find((span) => span.name === `GET ${path}`);
const droppedWarnings = () => warn.mock.calls.filter(([message]) => String(message).includes("could not be known"));

describe("a span whose request is not current (after an await, no AsyncLocalStorage)", () => {
  it("alone in flight: nests under that request", async () => {
    const sink = newSink();
    const tracer = moda.modaTracer();
    await serve([[worker((path) => tracer.startSpan(`late ${path}`).end(), gate(1)), "/one", sink]]);
    const spans = await sink.spans();
    const root = rootOf(spans, "/one");
    expect(named(spans, "late /one")).toMatchObject({ traceId: root?.traceId, parentSpanId: root?.spanId });
  });

  it("made by an entity defined in a request, with requests of the same settings in flight: nests under it", async () => {
    const sink = newSink();
    const wait = gate(3);
    const target = moda.withModa<Worker>({
      async fetch(request) {
        const path = new URL(request.url).pathname;
        const step = moda.task(`step ${path}`, () => undefined);
        await wait();
        step();
        return new Response("ok");
      },
    });
    await serve(["/a", "/b", "/c"].map((path) => [target, path, sink]));
    const spans = await sink.spans();
    for (const path of ["/a", "/b", "/c"]) {
      const root = rootOf(spans, path);
      expect(named(spans, `step ${path}.task`)).toMatchObject({ traceId: root?.traceId, parentSpanId: root?.spanId });
    }
  });

  it("with several requests of the same settings in flight and nothing to tell them apart: a trace of its own, exported", async () => {
    const sink = newSink();
    const tracer = moda.modaTracer();
    const target = worker((path) => tracer.startSpan(`late ${path}`).end(), gate(2));
    await serve([
      [target, "/a", sink],
      [target, "/b", sink],
    ]);
    const spans = await sink.spans();
    for (const path of ["/a", "/b"]) {
      const late = named(spans, `late ${path}`);
      expect(late?.parentSpanId).toBe("");
      expect(spans.filter((span) => span.traceId === late?.traceId)).toHaveLength(1);
    }
    expect(droppedWarnings()).toHaveLength(0);
  });

  it("is sampled on its own in a trace of its own: sampleRate 0 exports nothing of it", async () => {
    const sink = newSink();
    const tracer = moda.modaTracer();
    const target = worker((path) => tracer.startSpan(`late ${path}`).end(), gate(2), { sampleRate: 0 });
    await serve([
      [target, "/a", sink],
      [target, "/b", sink],
    ]);
    expect(await sink.requests()).toEqual([]);
  });

  it("with requests of different settings in flight: dropped, counted under debug, warned about once", async () => {
    const [sinkA, sinkB] = [newSink(), newSink()];
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    const tracer = moda.modaTracer();
    const wait = gate(4);
    // Made inside the request, and still not trusted: the same object may be shared by the other handler's requests.
    const body: Body = (path) => tracer.startSpan(`late ${path}`).end();
    const a = worker(body, wait, { debug: true });
    const b = worker(body, wait, { apiKey: "key-b", baseUrl: sinkB.url, debug: true });
    await serve([
      [a, "/a1", sinkA],
      [a, "/a2", sinkA],
      [b, "/b1", sinkB],
      [b, "/b2", sinkB],
    ]);
    const spans = [...(await sinkA.spans()), ...(await sinkB.spans())];
    expect(spans.map((span) => span.name).sort()).toEqual(["GET /a1", "GET /a2", "GET /b1", "GET /b2"]);
    expect(droppedWarnings()).toHaveLength(1);
    expect(String(droppedWarnings()[0]?.[0])).toContain("AsyncLocalStorage");
    const counted = debug.mock.calls.map(([message]) => String(message)).filter((m) => m.includes("dropped since"));
    expect(counted.join("\n")).toMatch(/4 span\(s\) dropped since the last flush/);
  });

  it("an entity's hint is no exception: with different settings in flight, its span is dropped too", async () => {
    const [sinkA, sinkB] = [newSink(), newSink()];
    const wait = gate(2);
    const handler = (options: Parameters<Moda["withModa"]>[1]) =>
      moda.withModa<Worker>(
        {
          async fetch() {
            const step = moda.task("step", () => undefined);
            await wait();
            step();
            return new Response("ok");
          },
        },
        options,
      );
    await serve([
      [handler({}), "/a", sinkA],
      [handler({ apiKey: "key-b", baseUrl: sinkB.url }), "/b", sinkB],
    ]);
    expect((await sinkA.spans()).map((span) => span.name)).toEqual(["GET /a"]);
    expect((await sinkB.spans()).map((span) => span.name)).toEqual(["GET /b"]);
    expect(droppedWarnings()).toHaveLength(1);
  });
});

describe("work a finished request left running (no AsyncLocalStorage): nothing tells whose it is", () => {
  it("is dropped, never exported with the one request in flight under its other settings", async () => {
    const [sinkA, sinkB] = [newSink(), newSink()];
    const tracer = moda.modaTracer();
    let resume!: () => void;
    const resumed = new Promise<void>((resolve) => {
      resume = resolve;
    });
    let leftover: Promise<void> | undefined;
    const b = worker(
      () => {
        leftover = resumed.then(() => tracer.startSpan("leftover of /b").end());
      },
      gate(1),
      { apiKey: "key-b", baseUrl: sinkB.url, traceContent: false },
    );
    await serve([[b, "/b", sinkB]]);
    const a = worker(async () => {
      resume();
      await leftover;
    }, gate(1));
    await serve([[a, "/a", sinkA]]);
    expect((await sinkA.spans()).map((span) => span.name)).toEqual(["GET /a"]);
    expect((await sinkB.spans()).map((span) => span.name)).toEqual(["GET /b"]);
    expect(droppedWarnings()).toHaveLength(1);
  });

  it("with no request in flight, is dropped rather than sent under init()'s key", async () => {
    const [sinkInit, sinkB] = [newSink(), newSink()];
    moda.init({ apiKey: "key-init", baseUrl: sinkInit.url });
    await serve([[worker(() => undefined, gate(1)), "/a", newSink()]]);
    await serve([
      [worker(() => undefined, gate(1), { apiKey: "key-b", baseUrl: sinkB.url, traceContent: false }), "/b", sinkB],
    ]);
    moda.modaTracer().startSpan("leftover").end();
    await moda.flush();
    expect((await sinkInit.spans()).map((span) => span.name)).not.toContain("leftover");
    expect((await sinkB.spans()).map((span) => span.name)).toEqual(["GET /b"]);
    expect(droppedWarnings()).toHaveLength(1);
  });
});

describe("a span made while no request is in flight (the background scope)", () => {
  it("goes out with flush() under init()'s settings", async () => {
    const sink = newSink();
    moda.init({ apiKey: "k", baseUrl: sink.url, serviceName: "script" });
    const tracer = moda.modaTracer();
    tracer.startActiveSpan("script step", (span) => {
      tracer.startSpan("child").end();
      span.end();
    });
    await moda.flush();
    const spans = await sink.spans();
    expect(spans.map((s) => s.name).sort()).toEqual(["child", "script step"]);
    expect(spans[0]?.resource["service.name"]).toBe("script");
    await moda.flush();
    expect(await sink.spans()).toHaveLength(2);
  });

  it("without a key from init(), goes out with the next request when that request's settings are the only ones seen", async () => {
    const sink = newSink();
    moda.modaTracer().startSpan("module-level work").end();
    await serve([[worker(() => undefined, gate(1)), "/", sink]]);
    const spans = await sink.spans();
    const background = named(spans, "module-level work");
    expect(background?.parentSpanId).toBe("");
    expect(background?.traceId).not.toBe(rootOf(spans, "/")?.traceId);
  });

  it("once a request has run, goes out under the settings every request had, never under another's", async () => {
    const [sinkA, sinkB] = [newSink(), newSink()];
    const a = worker(() => undefined, gate(1));
    await serve([[a, "/a", sinkA]]);
    // Between requests: leftover work of /a as far as anything can tell, so it may leave only under /a's settings.
    moda.modaTracer().startSpan("between requests").end();
    await serve([[worker(() => undefined, gate(1), { apiKey: "key-b", baseUrl: sinkB.url }), "/b", sinkB]]);
    expect((await sinkB.spans()).map((span) => span.name)).toEqual(["GET /b"]);
    await serve([[a, "/a2", sinkA]]);
    const late = named(await sinkA.spans(), "between requests");
    expect(late?.parentSpanId).toBe("");
    expect(late?.traceId).not.toBe(rootOf(await sinkA.spans(), "/a2")?.traceId);
  });

  it("without a key from init(), is dropped when the request records content differently", async () => {
    const sink = newSink();
    moda.modaTracer().startSpan("module-level work").end();
    await serve([[worker(() => undefined, gate(1), { traceContent: false }), "/", sink]]);
    expect((await sink.spans()).map((span) => span.name)).toEqual(["GET /"]);
  });
});

describe("a span of a request already exported (known through AsyncLocalStorage)", () => {
  it("goes out as a trace of its own with the next request of the same settings, never with another's", async () => {
    moda.init({ asyncLocalStorage: AsyncLocalStorage });
    const [sinkA, sinkB] = [newSink(), newSink()];
    const tracer = moda.modaTracer();
    let resume!: () => void;
    const resumed = new Promise<void>((resolve) => {
      resume = resolve;
    });
    let lateWork: Promise<void> | undefined;
    const a = worker((path) => {
      // Work the first request leaves running: it resumes after the request has been exported.
      if (path === "/first") lateWork = resumed.then(() => tracer.startSpan("late work").end());
    }, gate(1));
    await serve([[a, "/first", sinkA]]);
    resume();
    await lateWork;
    await serve([[worker(() => undefined, gate(1), { apiKey: "key-b", baseUrl: sinkB.url }), "/b", sinkB]]);
    expect((await sinkB.spans()).map((span) => span.name)).toEqual(["GET /b"]);
    await serve([[a, "/second", sinkA]]);
    const spans = await sinkA.spans();
    expect(spans.map((span) => span.name).sort()).toEqual(["GET /first", "GET /second", "late work"]);
    expect(named(spans, "late work")?.parentSpanId).toBe("");
  });
});
