/**
 * wrangler bundles a Worker with esbuild's keepNames: each named function made at run time is then given its
 * `name` by `Object.defineProperty` as it is made, which costs workerd about 0.3 µs a time. So on the paths a
 * traced request runs (a call, a stream, the request's own span, the flush) moda-edge makes no named function:
 * closures are anonymous, or methods. Checked on the budget's Worker bundled as wrangler bundles it: a traced
 * request names no more functions than the same request untraced (whose SDK code names its own).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleWorker } from "../../bench/lib/worker-bundle.mjs";

const ENTRY = `
import Anthropic from "@anthropic-ai/sdk";
import { withModa, wrapAnthropic, wrapOpenAI } from "moda-edge";
import { CHAT_PARAMS, STREAM_PARAMS, fakeFetch, fakeOpenAIClient } from "../lib/fake-llm.mjs";
import { sinkFetch, sinkStats } from "../lib/sink.mjs";

const ENV = { MODA_API_KEY: "key", MODA_BASE_URL: "https://ingest.test.invalid/v1/traces" };
const anthropic = () =>
  new Anthropic({ apiKey: "key", baseURL: "https://api.bench.invalid", fetch: fakeFetch, maxRetries: 0 });

export { sinkStats };

/** A chat call, a stream read to its end and a Claude call, with clients made per request as a Worker makes them. */
const app = {
  async fetch(request) {
    const traced = request.headers.has("x-traced");
    const openai = traced ? wrapOpenAI(fakeOpenAIClient()) : fakeOpenAIClient();
    const claude = traced ? wrapAnthropic(anthropic()) : anthropic();
    await openai.chat.completions.create(CHAT_PARAMS);
    for await (const _ of await openai.chat.completions.create(STREAM_PARAMS));
    await claude.messages.create({ model: "claude-sonnet-5-5", max_tokens: 64, messages: [{ role: "user", content: "Hi" }] });
    return new Response("done");
  },
};
const tracedApp = withModa(app);

/** One request, its export awaited when traced. */
export async function request(traced) {
  const handler = traced ? tracedApp : app;
  const pending = [];
  const ctx = { waitUntil: (promise) => pending.push(promise), passThroughOnException() {}, props: {} };
  const nodeFetch = globalThis.fetch;
  globalThis.fetch = sinkFetch;
  try {
    const headers = traced ? { "x-traced": "1" } : {};
    const response = await handler.fetch(new Request("https://app.test.invalid/", { headers }), ENV, ctx);
    await response.text();
    await Promise.all(pending);
  } finally {
    globalThis.fetch = nodeFetch;
  }
}`;

interface BundledWorker {
  request(traced: boolean): Promise<void>;
  sinkStats: { requests: number; bytes: number };
}

const dir = mkdtempSync(join(tmpdir(), "moda-keep-names-"));
const file = join(dir, "worker.mjs");
const defineProperty = Object.defineProperty;
let counting = false;
/** How many times each name was given while counting. */
let named = new Map<string, number>();
let worker: BundledWorker;

beforeAll(async () => {
  const bundle = await bundleWorker({ contents: ENTRY });
  if (!bundle.ok) throw new Error(`the Worker does not bundle:\n${bundle.errors.join("\n")}`);
  // Installed before the bundle loads: esbuild's helper keeps the defineProperty it finds then.
  Object.defineProperty = ((target: object, key: PropertyKey, descriptor: PropertyDescriptor) => {
    if (counting && key === "name" && typeof target === "function" && calledFromBundle()) {
      const name = String(descriptor.value);
      named.set(name, (named.get(name) ?? 0) + 1);
    }
    return defineProperty(target, key, descriptor);
  }) as typeof Object.defineProperty;
  writeFileSync(file, bundle.code);
  worker = (await import(pathToFileURL(file).href)) as BundledWorker;
});

afterAll(() => {
  Object.defineProperty = defineProperty;
  rmSync(dir, { recursive: true, force: true });
});

/** Whether the `defineProperty` being counted was called by the bundle (Node's own undici names functions too). */
function calledFromBundle(): boolean {
  // 0: "Error", 1: this function, 2: the counting defineProperty, 3: its caller.
  return new Error().stack?.split("\n")[3]?.includes(file) ?? false;
}

/** Functions named while one request runs, after one to warm up (what runs once per client or isolate). */
async function namedDuring(traced: boolean): Promise<Map<string, number>> {
  await worker.request(traced);
  named = new Map();
  counting = true;
  try {
    await worker.request(traced);
  } finally {
    counting = false;
  }
  return named;
}

/** The names given more often in `traced` than in `untraced`, with how many times more. */
function namedMore(traced: Map<string, number>, untraced: Map<string, number>): Record<string, number> {
  const more = [...traced].map(([name, count]) => [name, count - (untraced.get(name) ?? 0)] as const);
  return Object.fromEntries(more.filter(([, extra]) => extra > 0));
}

describe("a traced request in a Worker bundled with keepNames", () => {
  it("names no function that the untraced request does not", async () => {
    const untraced = await namedDuring(false);
    // The SDKs' own closures are named too: the count sees the bundle's names at all.
    expect([...untraced.values()].reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
    const exportsBefore = worker.sinkStats.requests;
    const traced = await namedDuring(true);
    expect(worker.sinkStats.requests, "the traced requests were exported").toBe(exportsBefore + 2);
    expect(namedMore(traced, untraced)).toEqual({});
  });
});
