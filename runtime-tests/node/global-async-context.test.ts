import { AsyncLocalStorage } from "node:async_hooks";
import { afterAll, expect, it } from "vitest";
import { modaTracer, withModa } from "../../src/index";
import { newSink } from "../../test/support/receiver-client";

// Vercel Edge and Next.js publish AsyncLocalStorage as a global; the tracer picks it up on first use.
const global = globalThis as { AsyncLocalStorage?: unknown };
global.AsyncLocalStorage = AsyncLocalStorage;
afterAll(() => {
  delete global.AsyncLocalStorage;
});

it("uses a global AsyncLocalStorage (Vercel's) for nesting across awaits", async () => {
  const sink = newSink();
  const tracer = modaTracer();
  const pending: Promise<unknown>[] = [];
  const handler = withModa(
    (_request: Request, _context: { waitUntil(p: Promise<unknown>): void }) =>
      tracer.startActiveSpan("outer", async (outer) => {
        await new Promise((r) => setTimeout(r, 5));
        tracer.startSpan("inner").end();
        outer.end();
        return new Response("ok");
      }),
    { apiKey: "k", baseUrl: sink.url },
  );
  const [a, b] = await Promise.all([
    handler(new Request("https://app.example/a"), { waitUntil: (p) => pending.push(p) }),
    handler(new Request("https://app.example/b"), { waitUntil: (p) => pending.push(p) }),
  ]);
  await Promise.all([a?.text(), b?.text()]);
  await Promise.all(pending);
  const spans = await sink.waitForSpans(6);
  const inners = spans.filter((s) => s.name === "inner");
  expect(inners).toHaveLength(2);
  for (const inner of inners) {
    expect(spans.find((s) => s.spanId === inner.parentSpanId)?.name).toBe("outer");
  }
});
