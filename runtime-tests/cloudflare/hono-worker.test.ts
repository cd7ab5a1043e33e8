/**
 * A Hono Worker on a current compatibility date (Node APIs by default, no flag) with a module-level client and
 * nothing configured: AsyncLocalStorage is found on its own, so under 20 concurrent requests every LLM span lands
 * in its own request's trace, under the right parent, and `traceHeaders()` still knows the request after an `await`.
 */
import { expect, inject, it } from "vitest";
import { DATE_AFTER, workerFor } from "./support/worker";

const REQUESTS = 20;

const running = workerFor("hono-app.ts", DATE_AFTER, (tracesUrl) => ({
  bindings: { MODA_API_KEY: "k", MODA_BASE_URL: tracesUrl, OPENAI_BASE_URL: `${inject("openaiUrl")}/v1` },
}));

it(`nests every span of ${REQUESTS} concurrent requests in its own request's trace`, async () => {
  const asyncContext = await running.worker.dispatchFetch("http://app.example/async-context");
  // Nothing configures one: moda-edge finds it through process.getBuiltinModule (Node APIs on from this date).
  expect(await asyncContext.json()).toEqual({ found: true });
  const answers = await Promise.all(
    Array.from({ length: REQUESTS }, async (_, n) => {
      const response = await running.worker.dispatchFetch(`http://app.example/chat/${n}`);
      return (await response.json()) as { id: string; trace: { traceparent?: string } };
    }),
  );
  // Four spans per chat request; the /async-context request, which made no span of its own, is not exported (its
  // export would have arrived first).
  const spans = await running.sink.waitForSpans(4 * REQUESTS);
  expect(spans).toHaveLength(4 * REQUESTS);
  expect(spans.filter((span) => span.name === "GET /async-context")).toEqual([]);
  for (const answer of answers) {
    const root = spans.find(
      (span) => span.name === "GET /chat/:id" && span.attributes["url.path"] === `/chat/${answer.id}`,
    );
    expect(root?.parentSpanId).toBe("");
    const trace = spans.filter((span) => span.traceId === root?.traceId);
    expect(trace).toHaveLength(4);
    const followUp = trace.find((span) => span.name === `follow-up ${answer.id}`);
    expect(followUp?.parentSpanId).toBe(root?.spanId);
    const llms = trace.filter((span) => span.attributes["gen_ai.operation.name"] === "chat");
    expect(llms.map((span) => span.parentSpanId).sort()).toEqual([root?.spanId, followUp?.spanId].sort());
    expect(answer.trace.traceparent).toBe(`00-${root?.traceId}-${root?.spanId}-01`);
  }
});
