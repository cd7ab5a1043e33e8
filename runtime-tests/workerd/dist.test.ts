import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { expect, it } from "vitest";
// The built package itself, loaded in workerd with no compatibility flags.
import { withModa } from "../../dist/index.js";
import type { TestWorker } from "../../test/support/execution-context";
import { newSink } from "../../test/support/receiver-client";

it("the built package traces a handler in workerd with no compatibility flags", async () => {
  const sink = newSink();
  const worker = withModa<TestWorker>({ fetch: () => new Response("from dist") });
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request("https://app.example/dist"),
    // A request that only answers: exported because it is asked to be.
    { MODA_API_KEY: "k", MODA_BASE_URL: sink.url, MODA_EXPORT_ALL_REQUESTS: "true" },
    ctx,
  );
  expect(await response.text()).toBe("from dist");
  await waitOnExecutionContext(ctx);
  const [root] = await sink.waitForSpans(1);
  expect(root?.name).toBe("GET /dist");
});
