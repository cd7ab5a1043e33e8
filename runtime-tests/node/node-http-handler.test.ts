/**
 * `withModa` on Node's `(req, res)` handlers (Express, Next.js Pages API routes, Vercel's older Node signature), on a
 * real `node:http` server: the root span ends when the response has been sent, whenever the handler returns.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { modaTracer, withModa } from "../../src/index";
import { newSink } from "../../test/support/receiver-client";

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

let server: Server | undefined;
afterEach(() => server?.close());

async function serve(handler: NodeHandler): Promise<string> {
  server = createServer((req, res) => {
    try {
      const result = handler(req, res) as Promise<unknown> | undefined;
      result?.catch?.((error: unknown) => res.writeHead(500).end(String(error)));
    } catch (error) {
      res.writeHead(500).end(`thrown: ${String(error)}`);
    }
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("withModa on a Node (req, res) handler", () => {
  it("ends the root span when the response is sent, after the handler returned", async () => {
    const sink = newSink();
    const url = await serve(
      withModa(
        (req: IncomingMessage, res: ServerResponse) => {
          modaTracer().startSpan("before the answer").end();
          // As Express handlers do: return at once, answer later.
          setImmediate(() => res.writeHead(202, { "content-type": "text/plain" }).end(`got ${req.url}`));
        },
        { apiKey: "k", baseUrl: sink.url, exportAllRequests: true },
      ),
    );
    const response = await fetch(`${url}/api/items?token=secret`, {
      method: "POST",
      headers: { "user-agent": "ua-node", traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
    });
    expect(await response.text()).toBe("got /api/items?token=secret");
    const spans = await sink.waitForSpans(2);
    const root = spans.find((span) => span.kind === "SERVER");
    expect(root).toMatchObject({
      name: "POST /api/items",
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      parentSpanId: "00f067aa0ba902b7",
      attributes: {
        "http.request.method": "POST",
        "url.path": "/api/items",
        "url.scheme": "http",
        "server.address": "127.0.0.1",
        "user_agent.original": "ua-node",
        "http.response.status_code": 202,
      },
    });
    expect(JSON.stringify(spans)).not.toContain("secret");
    expect(spans.find((span) => span.name === "before the answer")?.parentSpanId).toBe(root?.spanId);
  });

  it("passes a thrown error on as it is, and records it", async () => {
    const sink = newSink();
    const url = await serve(
      withModa(
        (_req: IncomingMessage, _res: ServerResponse) => {
          throw new RangeError("handler broke");
        },
        { apiKey: "k", baseUrl: sink.url, exportAllRequests: true },
      ),
    );
    const response = await fetch(`${url}/boom`);
    expect(await response.text()).toBe("thrown: RangeError: handler broke");
    const [root] = await sink.waitForSpans(1);
    expect(root).toMatchObject({ name: "GET /boom", status: { code: "ERROR", message: "handler broke" } });
  });

  it("marks a response the client walked away from", async () => {
    const sink = newSink();
    let written!: () => void;
    const firstChunk = new Promise<void>((resolve) => {
      written = resolve;
    });
    const url = await serve(
      withModa(
        async (_req: IncomingMessage, res: ServerResponse) => {
          res.writeHead(200);
          res.write("part");
          written();
        },
        { apiKey: "k", baseUrl: sink.url, exportAllRequests: true },
      ),
    );
    const aborted = new AbortController();
    const response = await fetch(`${url}/slow`, { signal: aborted.signal });
    await firstChunk;
    await response.body?.getReader().read();
    aborted.abort();
    const [root] = await sink.waitForSpans(1);
    expect(root?.attributes["moda.response.cancelled"]).toBe(true);
  });
});
