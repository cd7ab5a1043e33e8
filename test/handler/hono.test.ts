import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { moda, modaTracer } from "../../src/index";
import { recordingContext } from "../support/execution-context";
import { newSink, type Sink } from "../support/receiver-client";

interface Bindings {
  MODA_API_KEY: string;
  MODA_BASE_URL: string;
}

function app(): Hono<{ Bindings: Bindings }> {
  const hono = new Hono<{ Bindings: Bindings }>();
  hono.use(moda());
  // Hono's own error handler would log the error; the answer is the same 500.
  hono.onError((_error, c) => c.text("failed", 500));
  hono.get("/chat/:id", (c) => {
    modaTracer().startSpan("handler work").end();
    return c.json({ id: c.req.param("id") });
  });
  hono.get("/broken", () => {
    throw new RangeError("route broke");
  });
  hono.get("/stream", (c) => {
    let push!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (controller) => (push = controller) });
    queueMicrotask(() => {
      push.enqueue(new TextEncoder().encode("first "));
      push.enqueue(new TextEncoder().encode("last"));
      push.close();
    });
    return c.body(body);
  });
  return hono;
}

async function request(sink: Sink, path: string): Promise<{ status: number; text: string }> {
  const ctx = recordingContext();
  const env = { MODA_API_KEY: "k", MODA_BASE_URL: sink.url, MODA_EXPORT_ALL_REQUESTS: "true" };
  type HonoExecutionContext = Parameters<ReturnType<typeof app>["fetch"]>[2];
  const response = await app().fetch(
    new Request(`https://app.example${path}`),
    env,
    ctx as unknown as HonoExecutionContext,
  );
  const text = await response.text();
  expect(ctx.pending).toBe(1);
  await ctx.settled();
  return { status: response.status, text };
}

describe("moda(): Hono middleware", () => {
  it("names the root span by the matched route, with http.route, and nests the route's spans under it", async () => {
    const sink = newSink();
    expect(await request(sink, "/chat/42?secret=1")).toEqual({ status: 200, text: '{"id":"42"}' });
    const spans = await sink.waitForSpans(2);
    const root = spans.find((span) => span.parentSpanId === "");
    expect(root).toMatchObject({
      name: "GET /chat/:id",
      kind: "SERVER",
      attributes: { "http.route": "/chat/:id", "url.path": "/chat/42", "http.response.status_code": 200 },
    });
    expect(spans.find((span) => span.name === "handler work")?.parentSpanId).toBe(root?.spanId);
    expect(JSON.stringify(spans)).not.toContain("secret=1");
  });

  it("keeps the path as the name when no route matched", async () => {
    const sink = newSink();
    expect((await request(sink, "/nowhere")).status).toBe(404);
    const [root] = await sink.waitForSpans(1);
    expect(root?.name).toBe("GET /nowhere");
    expect(root?.attributes["http.route"]).toBeUndefined();
  });

  it("records the error Hono turned into its 500 answer", async () => {
    const sink = newSink();
    expect((await request(sink, "/broken")).status).toBe(500);
    const [root] = await sink.waitForSpans(1);
    expect(root).toMatchObject({ name: "GET /broken", status: { code: "ERROR", message: "route broke" } });
    expect(root?.events[0]?.attributes["exception.type"]).toBe("RangeError");
  });

  it("ends the root span with the streamed body, and the body arrives whole", async () => {
    const sink = newSink();
    expect((await request(sink, "/stream")).text).toBe("first last");
    const [root] = await sink.waitForSpans(1);
    expect(root?.name).toBe("GET /stream");
  });
});
