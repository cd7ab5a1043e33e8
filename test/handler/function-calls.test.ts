import { describe, expect, it } from "vitest";
import { withModa } from "../../src/index";
import { recordingContext } from "../support/execution-context";
import { newSink } from "../support/receiver-client";

const NEXT_REQUEST_CONTEXT = Symbol.for("@next/request-context");
/** Next's work store key carries its version; any version is found. */
const NEXT_WORK_STORE = Symbol.for("@next/work-async-storage@99.0.0-test");

type Globals = Record<PropertyKey, unknown>;

/** Sets a global for one test, and takes it away after. */
async function withGlobal(key: PropertyKey, value: unknown, run: () => Promise<void>): Promise<void> {
  const globals = globalThis as Globals;
  const before = Object.getOwnPropertyDescriptor(globals, key);
  globals[key] = value;
  try {
    await run();
  } finally {
    if (before) Object.defineProperty(globals, key, before);
    else delete globals[key];
  }
}

describe("withModa on a function, called with what is not a Request", () => {
  it("runs the handler untouched: the same this, arguments and result, nothing exported", async () => {
    const sink = newSink();
    const seen: unknown[] = [];
    const handler = withModa(
      function (this: unknown, ...args: unknown[]) {
        seen.push(this, ...args);
        return "plain result";
      } as unknown as (request: Request) => Response,
      { apiKey: "k", baseUrl: sink.url, exportAllRequests: true },
    ) as unknown as (this: unknown, ...args: unknown[]) => unknown;
    const self = { name: "caller" };
    const odd = { url: 42, headers: "no" };
    expect(handler.call(self, "text", odd, 7)).toBe("plain result");
    expect(seen).toEqual([self, "text", odd, 7]);
    const thrown = new RangeError("its own error");
    const throwing = withModa((() => {
      throw thrown;
    }) as unknown as (request: Request) => Response) as unknown as (value: number) => unknown;
    expect(() => throwing(1)).toThrow(thrown);
    expect(await sink.requests()).toEqual([]);
  });

  it("declares the handler's parameters, at least one (Deno.serve passes no Request to a handler declaring none)", () => {
    expect(withModa((_request: Request, _env: unknown, _ctx: unknown) => new Response("ok")).length).toBe(3);
    expect(withModa(() => new Response("ok")).length).toBe(1);
  });

  it("keeps what a runtime marked the handler with (Lambda's streamifyResponse symbol)", () => {
    const streaming = Symbol.for("aws.lambda.runtime.handler.streaming");
    const handler = Object.assign((_request: Request) => new Response("ok"), { [streaming]: "response" });
    expect((withModa(handler) as unknown as Globals)[streaming]).toBe("response");
  });
});

describe("withModa on a function: where the export is kept alive", () => {
  it("a Worker's (request, env, ctx): ctx.waitUntil, and the config from env", async () => {
    const sink = newSink();
    const worker = { fetch: withModa((_request: Request, _env: unknown, _ctx: unknown) => new Response("ok")) };
    const ctx = recordingContext();
    await (
      await worker.fetch(
        new Request("https://app.example/w"),
        { MODA_API_KEY: "k", MODA_BASE_URL: sink.url, MODA_EXPORT_ALL_REQUESTS: "true" },
        ctx,
      )
    ).text();
    expect(ctx.pending).toBe(1);
    await ctx.settled();
    expect((await sink.waitForSpans(1))[0]?.name).toBe("GET /w");
  });

  it.each([
    ["Next's request context (after()'s, as a platform publishes it)", NEXT_REQUEST_CONTEXT, "request-context"],
    ["the work store next start gives after()", NEXT_WORK_STORE, "work-store"],
    ["Supabase's EdgeRuntime", "EdgeRuntime", "supabase"],
  ] as const)("%s", async (_, key, shape) => {
    const sink = newSink();
    const ctx = recordingContext();
    const waitUntil = (promise: Promise<unknown>) => ctx.waitUntil(promise);
    const published = {
      "request-context": { get: () => ({ waitUntil }) },
      "work-store": { getStore: () => ({ afterContext: { waitUntil } }) },
      supabase: { waitUntil },
    }[shape];
    await withGlobal(key, published, async () => {
      const handler = withModa((_request: Request) => new Response("ok"), {
        apiKey: "k",
        baseUrl: sink.url,
        exportAllRequests: true,
      });
      await (await handler(new Request("https://app.example/kept"))).text();
      expect(ctx.pending).toBe(1);
    });
    await ctx.settled();
    expect((await sink.waitForSpans(1))[0]?.name).toBe("GET /kept");
  });

  it("on Vercel Edge, where EdgeRuntime is a string, runs without it", async () => {
    const sink = newSink();
    await withGlobal("EdgeRuntime", "edge-runtime", async () => {
      const handler = withModa((_request: Request) => new Response("edge"), {
        apiKey: "k",
        baseUrl: sink.url,
        exportAllRequests: true,
      });
      expect(await (await handler(new Request("https://app.example/e"))).text()).toBe("edge");
    });
    expect((await sink.waitForSpans(1))[0]?.name).toBe("GET /e");
  });
});
