import { describe, expect, it, vi } from "vitest";
import { hasAsyncContext } from "../../src/core/context";
import { ModaConfigError, modaTracer, withModa } from "../../src/index";
import { recordingContext, type TestEventWorker, type TestWorker } from "../support/execution-context";
import { newSink, type Sink } from "../support/receiver-client";

function processEnv(): Record<string, string | undefined> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

const TRACEPARENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const TRACEPARENT_SPAN = "00f067aa0ba902b7";

function envFor(sink: Sink, extra: Record<string, string> = {}) {
  return { MODA_API_KEY: "test-key", MODA_BASE_URL: sink.url, MODA_EXPORT_ALL_REQUESTS: "true", ...extra };
}

describe("withModa on a Workers ExportedHandler", () => {
  it("exports one SERVER root span per request with the HTTP attributes, after the response", async () => {
    const sink = newSink();
    const worker = withModa<TestWorker>({
      async fetch(request: Request) {
        return new Response(`hello ${new URL(request.url).pathname}`, { status: 201 });
      },
    });
    const ctx = recordingContext();
    const request = new Request("https://app.example/chat?secret=1", {
      method: "POST",
      headers: { "user-agent": "ua-test" },
    });
    const response = await worker.fetch(request, envFor(sink), ctx);
    expect(await response.text()).toBe("hello /chat");
    expect(response.status).toBe(201);
    await ctx.settled();
    const [root] = await sink.waitForSpans(1);
    expect(root).toMatchObject({
      name: "POST /chat",
      kind: "SERVER",
      parentSpanId: "",
      attributes: {
        "http.request.method": "POST",
        "url.path": "/chat",
        "url.scheme": "https",
        "server.address": "app.example",
        "user_agent.original": "ua-test",
        "http.response.status_code": 201,
      },
      // `npm test` sets npm_package_name, which names the service when nothing else does.
      resource: { "service.name": processEnv().npm_package_name ?? "moda-edge-app" },
      scope: { name: "moda-edge" },
    });
    expect(JSON.stringify(root)).not.toContain("secret=1");
    const [request0] = await sink.requests();
    expect(request0?.headers.authorization).toBe("Bearer test-key");
  });

  it("hands the response back before the export is done, and the spans arrive after", async () => {
    const sink = newSink();
    // The ingest holds its answer until the test has checked the response.
    await sink.script([{ hold: true }]);
    const worker = withModa<TestWorker>({ fetch: () => new Response("fast") });
    const ctx = recordingContext();
    let exportDone = false;
    const response = await worker.fetch(new Request("https://app.example/"), envFor(sink), ctx);
    const flushed = ctx.settled().then(() => {
      exportDone = true;
    });
    expect(await response.text()).toBe("fast");
    await sink.waitForRequests(1);
    expect(exportDone).toBe(false);
    expect(ctx.pending).toBe(1);
    await sink.release();
    await flushed;
    expect(await sink.spans()).toHaveLength(1);
  });

  it("keeps the root span open until the last chunk of a streamed body", async () => {
    const sink = newSink();
    let push!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => (push = c) });
    const worker = withModa<TestWorker>({ fetch: () => new Response(body) });
    const ctx = recordingContext();
    const response = await worker.fetch(new Request("https://app.example/stream"), envFor(sink), ctx);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    push.enqueue(new TextEncoder().encode("first"));
    await reader.read();
    expect(await sink.spans()).toHaveLength(0);
    // The clock moves on before the last chunk, so that a span that ended at the first one would show it.
    const firstReadAt = Date.now();
    while (Date.now() < firstReadAt + 2) await new Promise((r) => setTimeout(r, 1));
    const lastChunkAt = Date.now();
    push.enqueue(new TextEncoder().encode("last"));
    push.close();
    expect((await reader.read()).done).toBe(false);
    expect((await reader.read()).done).toBe(true);
    await ctx.settled();
    const [root] = await sink.waitForSpans(1);
    expect(Number(BigInt(root?.endTimeUnixNano ?? "0") / 1_000_000n)).toBeGreaterThanOrEqual(lastChunkAt - 1);
    expect(root?.attributes["moda.response.cancelled"]).toBeUndefined();
  });

  it("ends the root span when the client cancels the body", async () => {
    const sink = newSink();
    const body = new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(new Uint8Array([1])) });
    const worker = withModa<TestWorker>({ fetch: () => new Response(body) });
    const ctx = recordingContext();
    const response = await worker.fetch(new Request("https://app.example/sse"), envFor(sink), ctx);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await reader.cancel("client went away");
    await ctx.settled();
    const [root] = await sink.waitForSpans(1);
    expect(root?.attributes["moda.response.cancelled"]).toBe(true);
  });

  it.each([
    ["of unknown length", {}],
    ["with a Content-Length", { "content-length": "10" }],
  ])("records an error of a body %s as the root span's error", async (_, headers) => {
    const sink = newSink();
    const broken = new RangeError("upstream broke");
    let pulls = 0;
    // One chunk, then the error once that chunk has been read.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue(new TextEncoder().encode("part"));
        else controller.error(broken);
      },
    });
    const worker = withModa<TestWorker>({ fetch: () => new Response(body, { headers }) });
    const ctx = recordingContext();
    const response = await worker.fetch(new Request("https://app.example/proxy"), envFor(sink), ctx);
    await expect(response.text()).rejects.toThrow();
    await ctx.settled();
    const [root] = await sink.waitForSpans(1);
    expect(root?.status).toEqual({ code: "ERROR", message: "response body failed" });
    expect(root?.events[0]).toMatchObject({ name: "exception", attributes: { "exception.message": "upstream broke" } });
    expect(root?.attributes["moda.response.cancelled"]).toBeUndefined();
  });

  it.runIf(typeof (globalThis as { IdentityTransformStream?: unknown }).IdentityTransformStream === "function")(
    "on Workers, pipes the body through the runtime's stream instead of re-streaming it in JavaScript",
    async () => {
      const sink = newSink();
      const worker = withModa<TestWorker>({ fetch: () => Response.json({ answer: "hello" }) });
      const ctx = recordingContext();
      const response = await worker.fetch(new Request("https://app.example/"), envFor(sink), ctx);
      // Only the runtime's streams are byte streams here: a body re-streamed in JavaScript has no BYOB reader.
      const reader = (response.body as ReadableStream<Uint8Array>).getReader({ mode: "byob" });
      const { value } = await reader.read(new Uint8Array(64));
      expect(new TextDecoder().decode(value)).toBe('{"answer":"hello"}');
      expect((await reader.read(new Uint8Array(64))).done).toBe(true);
      await ctx.settled();
      expect(await sink.waitForSpans(1)).toHaveLength(1);
    },
  );

  it("continues an incoming W3C traceparent and tracestate", async () => {
    const sink = newSink();
    const worker = withModa<TestWorker>({ fetch: () => new Response("ok") });
    const ctx = recordingContext();
    const headers = { traceparent: `00-${TRACEPARENT_TRACE}-${TRACEPARENT_SPAN}-01`, tracestate: "vendor=abc" };
    await (await worker.fetch(new Request("https://app.example/", { headers }), envFor(sink), ctx)).text();
    await ctx.settled();
    const [root] = await sink.waitForSpans(1);
    expect(root).toMatchObject({
      traceId: TRACEPARENT_TRACE,
      parentSpanId: TRACEPARENT_SPAN,
      traceState: "vendor=abc",
    });
  });

  it("ignores an invalid traceparent and starts a new trace", async () => {
    const sink = newSink();
    const worker = withModa<TestWorker>({ fetch: () => new Response("ok") });
    const ctx = recordingContext();
    const headers = { traceparent: `00-${"0".repeat(32)}-${TRACEPARENT_SPAN}-01` };
    await (await worker.fetch(new Request("https://app.example/", { headers }), envFor(sink), ctx)).text();
    await ctx.settled();
    const [root] = await sink.waitForSpans(1);
    expect(root?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root?.traceId).not.toBe("0".repeat(32));
    expect(root?.parentSpanId).toBe("");
  });

  it("records a thrown error and rethrows the same object", async () => {
    const sink = newSink();
    const thrown = new RangeError("handler broke");
    const worker = withModa<TestWorker>({
      async fetch(): Promise<Response> {
        throw thrown;
      },
    });
    const ctx = recordingContext();
    await expect(worker.fetch(new Request("https://app.example/"), envFor(sink), ctx)).rejects.toBe(thrown);
    await ctx.settled();
    const [root] = await sink.waitForSpans(1);
    expect(root?.status).toEqual({ code: "ERROR", message: "handler broke" });
    expect(root?.attributes["error.type"]).toBe("RangeError");
    expect(root?.events[0]).toMatchObject({
      name: "exception",
      attributes: { "exception.type": "RangeError", "exception.message": "handler broke" },
    });
  });

  it("traces scheduled and queue, and passes other members through untouched", async () => {
    const sink = newSink();
    const tail = () => undefined;
    const worker = withModa<TestEventWorker>({
      fetch: () => new Response("ok"),
      async scheduled() {},
      async queue() {},
      tail,
      custom: 42,
    });
    expect(worker.tail).toBe(tail);
    expect(worker.custom).toBe(42);
    const ctx = recordingContext();
    await worker.scheduled({ cron: "*/5 * * * *", scheduledTime: 0 }, envFor(sink), ctx);
    await worker.queue({ queue: "jobs", messages: [{}, {}] }, envFor(sink), ctx);
    await ctx.settled();
    const spans = await sink.waitForSpans(2);
    const names = spans.map((s) => s.name).sort();
    expect(names).toEqual(["process jobs", "scheduled */5 * * * *"]);
    const queue = spans.find((s) => s.name === "process jobs");
    expect(queue?.attributes["messaging.batch.message_count"]).toBe(2);
    expect(spans[0]?.traceId).not.toBe(spans[1]?.traceId);
  });

  it("puts spans of OTel-instrumented code under the request span, nested as far as can be known", async () => {
    const sink = newSink();
    const tracer = modaTracer();
    const worker = withModa<TestWorker>({
      fetch: () =>
        tracer.startActiveSpan("outer", async (outer) => {
          tracer.startActiveSpan("inner", (inner) => inner.end());
          await new Promise((r) => setTimeout(r, 5));
          tracer.startActiveSpan("after-await", (late) => late.end());
          outer.end();
          return new Response("ok");
        }),
    });
    const ctx = recordingContext();
    await (await worker.fetch(new Request("https://app.example/"), envFor(sink), ctx)).text();
    await ctx.settled();
    const spans = await sink.waitForSpans(4);
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    expect(byName.outer?.parentSpanId).toBe(byName["GET /"]?.spanId);
    expect(byName.inner?.parentSpanId).toBe(byName.outer?.spanId);
    // After an await only an AsyncLocalStorage knows the innermost span; without one, the request span is certain.
    const expectedLateParent = hasAsyncContext() ? byName.outer : byName["GET /"];
    expect(byName["after-await"]?.parentSpanId).toBe(expectedLateParent?.spanId);
  });
});

describe("withModa on a fetch-style function (Vercel Edge, Next.js)", () => {
  it("uses context.waitUntil and keeps the handler's arguments", async () => {
    const sink = newSink();
    const seen: unknown[] = [];
    const handler = withModa(
      async (request: Request, context: { params: { id: string }; waitUntil(p: Promise<unknown>): void }) => {
        seen.push(context.params.id);
        return Response.json({ path: new URL(request.url).pathname });
      },
      { apiKey: "k", baseUrl: sink.url, exportAllRequests: true },
    );
    const ctx = recordingContext();
    const response = await handler(new Request("https://app.example/api/chat"), {
      params: { id: "7" },
      waitUntil: (p) => ctx.waitUntil(p),
    });
    expect(await response.json()).toEqual({ path: "/api/chat" });
    expect(seen).toEqual(["7"]);
    expect(ctx.pending).toBe(1);
    await ctx.settled();
    const [root] = await sink.waitForSpans(1);
    expect(root?.name).toBe("GET /api/chat");
  });

  it("finds waitUntil in Vercel's global request context", async () => {
    const sink = newSink();
    const ctx = recordingContext();
    const key = Symbol.for("@vercel/request-context");
    const global = globalThis as Record<symbol, unknown>;
    global[key] = { get: () => ({ waitUntil: (p: Promise<unknown>) => ctx.waitUntil(p) }) };
    try {
      const handler = withModa((_request: Request) => new Response("ok"), {
        apiKey: "k",
        baseUrl: sink.url,
        exportAllRequests: true,
      });
      await (await handler(new Request("https://app.example/next"))).text();
      expect(ctx.pending).toBe(1);
      await ctx.settled();
      await sink.waitForSpans(1);
    } finally {
      delete global[key];
    }
  });
});

describe("configuration", () => {
  it("rejects an invalid explicit option with a ModaConfigError naming it", () => {
    const handler = () => new Response("ok");
    expect(() => withModa(handler, { baseUrl: "not a url" })).toThrow(ModaConfigError);
    expect(() => withModa(handler, { baseUrl: "ftp://x" })).toThrow(/baseUrl/);
    expect(() => withModa(handler, { apiKey: 42 as unknown as string })).toThrow(/apiKey/);
    expect(() => withModa(handler, { sampleRate: 2 })).toThrow(/sampleRate/);
    expect(() => withModa(handler, { protocol: "grpc" as "http/json" })).toThrow(/protocol/);
    try {
      withModa(handler, { traceContent: "maybe" as unknown as boolean });
    } catch (error) {
      expect(error).toBeInstanceOf(ModaConfigError);
      expect((error as ModaConfigError).option).toBe("traceContent");
    }
  });

  it("rejects what is not a handler with an error that names the supported shapes", () => {
    expect(() => withModa(42 as unknown as object)).toThrow(
      /expects a handler function, a Workers ExportedHandler object \(\{ fetch, … \}\) or a Workers class .*got number/,
    );
    expect(() => withModa(null as unknown as object)).toThrow(/got null/);
  });

  it("reports an invalid env value and still runs the handler, untraced", async () => {
    const sink = newSink();
    const worker = withModa<TestWorker>({ fetch: () => new Response("still served") });
    const ctx = recordingContext();
    const response = await worker.fetch(
      new Request("https://app.example/"),
      envFor(sink, { MODA_SAMPLE_RATE: "lots" }),
      ctx,
    );
    expect(await response.text()).toBe("still served");
    expect(ctx.pending).toBe(0);
  });

  it("is a no-op without an API key: the handler works and nothing is sent", async () => {
    const sink = newSink();
    const worker = withModa<TestWorker>({ fetch: () => new Response("no key") });
    const ctx = recordingContext();
    const response = await worker.fetch(
      new Request("https://app.example/"),
      { MODA_BASE_URL: sink.url, MODA_EXPORT_ALL_REQUESTS: "true" },
      ctx,
    );
    expect(await response.text()).toBe("no key");
    await ctx.settled();
    expect(await sink.requests()).toEqual([]);
  });

  it("says once, under debug, that there is no key", async () => {
    const said = vi.spyOn(console, "debug").mockImplementation(() => undefined);
    try {
      const worker = withModa<TestWorker>({ fetch: () => new Response("no key") });
      for (let i = 0; i < 2; i++) {
        const ctx = recordingContext();
        await (await worker.fetch(new Request("https://app.example/"), { MODA_DEBUG: "true" }, ctx)).text();
        await ctx.settled();
      }
      const noKey = said.mock.calls.filter(([message]) => String(message).includes("no API key"));
      expect(noKey).toHaveLength(1);
    } finally {
      said.mockRestore();
    }
  });

  it("reads the service name and protocol from env, per request", async () => {
    const sinkA = newSink();
    const sinkB = newSink();
    const worker = withModa<TestWorker>({ fetch: () => new Response("ok") });
    const ctx = recordingContext();
    await (
      await worker.fetch(new Request("https://a.example/"), envFor(sinkA, { MODA_SERVICE_NAME: "svc-a" }), ctx)
    ).text();
    await (
      await worker.fetch(
        new Request("https://b.example/"),
        envFor(sinkB, { MODA_SERVICE_NAME: "svc-b", MODA_PROTOCOL: "http/json" }),
        ctx,
      )
    ).text();
    await ctx.settled();
    const [a] = await sinkA.waitForSpans(1);
    const [b] = await sinkB.waitForSpans(1);
    expect(a?.resource["service.name"]).toBe("svc-a");
    expect(b?.resource["service.name"]).toBe("svc-b");
    expect((await sinkB.requests())[0]?.contentType).toContain("application/json");
  });
});
