/**
 * `export default withModa(async (request, env, ctx) => …)`: where workerd lends `cloudflare:workers` to code
 * (Node APIs on: the default from 2026-08-04), the wrapped function is also a WorkerEntrypoint class, so the Worker
 * starts and its requests are traced with their `env` and `ctx`. (Before that date, workerd refuses a function
 * there with its own message; docs/platforms.md says to export `{ fetch: withModa(fn) }`.)
 */
import { expect, it } from "vitest";
import { newSink } from "../../test/support/receiver-client";
import { DATE_AFTER, startWorker } from "./support/worker";

it("a wrapped function as the default export starts, answers with its env and ctx, and is traced", async () => {
  const sink = newSink();
  const worker = await startWorker("default-function.ts", DATE_AFTER, {
    bindings: { MODA_API_KEY: "k", MODA_BASE_URL: sink.url, MODA_EXPORT_ALL_REQUESTS: "true" },
  });
  try {
    const response = await worker.dispatchFetch("http://app.example/hello");
    expect(await response.json()).toEqual({ path: "/hello", keyed: true, ctx: "function" });
    const [root] = await sink.waitForSpans(1);
    expect(root).toMatchObject({ name: "GET /hello", kind: "SERVER" });
  } finally {
    await worker.dispose();
  }
});
