import { get } from "node:http";
import type { Miniflare } from "miniflare";
import { afterAll, expect, it } from "vitest";
import { newSink } from "../../test/support/receiver-client";
import { startWithoutFlags } from "./support/workerd";

// The built package, in workerd with no compatibility flag at all.
const WORKER = `
import { withModa } from "./dist/index.js";
export default withModa({
  async fetch(request) {
    if (new URL(request.url).pathname === "/sized") {
      // As a proxied upstream response carries it.
      return new Response("twelve bytes", { headers: { "content-length": "12" } });
    }
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("chunk 1 "));
        setTimeout(() => { controller.enqueue(new TextEncoder().encode("chunk 2")); controller.close(); }, 20);
      },
    });
    return new Response(body, { headers: { "x-path": new URL(request.url).pathname } });
  },
});
`;

function rawGet(url: URL): Promise<{ contentLength?: string; transferEncoding?: string; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () =>
        resolve({
          contentLength: response.headers["content-length"],
          transferEncoding: response.headers["transfer-encoding"],
          body,
        }),
      );
    }).on("error", reject);
  });
}

let miniflare: Miniflare | undefined;
afterAll(() => miniflare?.dispose());

it("the built package runs in workerd with no compatibility flags and exports the request span", async () => {
  const sink = newSink();
  miniflare = await startWithoutFlags(WORKER, {
    MODA_API_KEY: "k",
    MODA_BASE_URL: sink.url,
    MODA_EXPORT_ALL_REQUESTS: "true",
  });
  const response = await miniflare.dispatchFetch("http://app.example/no-flags");
  expect(await response.text()).toBe("chunk 1 chunk 2");
  // Over a real socket (dispatchFetch re-chunks every body): the traced response keeps its Content-Length.
  const sized = await rawGet(new URL("/sized", await miniflare.ready));
  expect(sized).toEqual({ contentLength: "12", transferEncoding: undefined, body: "twelve bytes" });
  const spans = await sink.waitForSpans(2);
  const requestSpan = spans.find((span) => span.name === "GET /no-flags");
  expect(requestSpan).toMatchObject({
    name: "GET /no-flags",
    kind: "SERVER",
    attributes: { "http.response.status_code": 200 },
  });
});
