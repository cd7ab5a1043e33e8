import { AsyncLocalStorage } from "node:async_hooks";
import { afterAll, expect, it } from "vitest";
import { init, modaTracer, traceHeaders, withModa } from "../../src/index";
import { recordingContext, type TestWorker } from "../../test/support/execution-context";
import { newSink } from "../../test/support/receiver-client";

init({ asyncLocalStorage: AsyncLocalStorage });
afterAll(() => init({}));

const tick = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 10));

it("with an AsyncLocalStorage handed over, spans nest along the call tree across awaits and concurrent requests", async () => {
  const sink = newSink();
  const tracer = modaTracer();
  const worker = withModa<TestWorker>({
    fetch: (request: Request) =>
      tracer.startActiveSpan("step", async (step) => {
        await tick();
        const headers = traceHeaders();
        tracer
          .startSpan(`after-await ${new URL(request.url).pathname}`, {
            attributes: { traceparent: headers.traceparent },
          })
          .end();
        step.end();
        return new Response("ok");
      }),
  });
  const env = { MODA_API_KEY: "k", MODA_BASE_URL: sink.url };
  const ctx = recordingContext();
  const paths = Array.from({ length: 20 }, (_, i) => `/r${i}`);
  const responses = await Promise.all(paths.map((p) => worker.fetch(new Request(`https://app.example${p}`), env, ctx)));
  await Promise.all(responses.map((r) => r.text()));
  await ctx.settled();
  const spans = await sink.waitForSpans(3 * paths.length);
  for (const path of paths) {
    const root = spans.find((s) => s.name === `GET ${path}`);
    const late = spans.find((s) => s.name === `after-await ${path}`);
    const step = spans.find((s) => s.spanId === late?.parentSpanId);
    expect(step).toMatchObject({ name: "step", traceId: root?.traceId, parentSpanId: root?.spanId });
    expect(late?.attributes.traceparent).toBe(`00-${root?.traceId}-${step?.spanId}-01`);
  }
});
