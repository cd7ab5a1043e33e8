/**
 * The built package finds the runtime's AsyncLocalStorage with no set-up, where a user deploys it:
 * - workerd with no compatibility flag, on a date from 2026-08-04 (`nodejs_compat` on by default, so
 *   `process.getBuiltinModule` exists), and on the day before (no Node API: the fallback rules apply);
 * - an edge-runtime VM (a `process` with `env` and no `getBuiltinModule`, as Vercel Edge has), with and without
 *   the global AsyncLocalStorage Next.js puts there.
 * A module-level client and task, called after an `await` inside a span of the handler: only an AsyncLocalStorage
 * puts the task under that span; without one, the only request in flight is the task's parent.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { EdgeVM } from "@edge-runtime/vm";
import { build } from "esbuild";
import type { Miniflare } from "miniflare";
import { afterEach, describe, expect, inject, it } from "vitest";
import { type DecodedSpan, newSink } from "../../test/support/receiver-client";
import { startWithoutFlags } from "./support/workerd";

/** The handler both runtimes serve, over the built package's exports (`moda`) and the real OpenAI SDK (`OpenAI`). */
const handlerSource = (openaiUrl: string) => `
  const client = moda.wrap(new OpenAI({ apiKey: "sk-provider", baseURL: ${JSON.stringify(`${openaiUrl}/v1`)}, maxRetries: 0 }));
  const answer = moda.task("answer", async (prompt) => {
    const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: prompt }] });
    return completion.choices[0].message.content;
  });
  const tracer = moda.modaTracer();
  const handle = (request) =>
    tracer.startActiveSpan("outer", async (outer) => {
      const text = await answer(await request.text());
      outer.end();
      return new Response(text);
    });
`;

/** Where the task went: under the handler's span (AsyncLocalStorage) or under the request span (no such storage). */
function taskParent(spans: DecodedSpan[]): string | undefined {
  const task = spans.find((span) => span.name === "answer.task");
  const llm = spans.find((span) => span.kind === "CLIENT");
  expect(llm?.parentSpanId).toBe(task?.spanId);
  return spans.find((span) => span.spanId === task?.parentSpanId)?.name;
}

describe("the built package in workerd, no compatibility flags", () => {
  let miniflare: Miniflare | undefined;
  afterEach(() => miniflare?.dispose());

  const worker = () => `
    import OpenAI from "openai";
    import * as moda from "./dist/index.js";
    ${handlerSource(inject("openaiUrl"))}
    export default moda.withModa({ fetch: handle });
  `;

  it.each([
    {
      date: "2026-08-04",
      parent: "outer",
      said: 'AsyncLocalStorage from process.getBuiltinModule("node:async_hooks")',
    },
    { date: "2026-08-01", parent: "POST /", said: "no AsyncLocalStorage found" },
  ])("compatibility date $date: the task's parent is $parent", async ({ date, parent, said }) => {
    const sink = newSink();
    const logged: string[] = [];
    const bindings = { MODA_API_KEY: "k", MODA_BASE_URL: sink.url, MODA_DEBUG: "true" };
    miniflare = await startWithoutFlags(worker(), bindings, (line) => logged.push(line), date);
    const response = await miniflare.dispatchFetch("http://app.example/", { method: "POST", body: "Say hello." });
    expect(await response.text()).toBe("Hello! How can I help you today?");
    expect(taskParent(await sink.waitForSpans(4))).toBe(parent);
    expect(logged.join("\n")).toContain(said);
  });
});

describe("the built package in an edge-runtime VM", () => {
  /** The package and the OpenAI SDK as one script that sets `moda` and `OpenAI` on the VM's global. */
  async function edgeBundle(): Promise<string> {
    const bundle = await build({
      stdin: {
        contents:
          'import OpenAI from "openai"; import * as moda from "./dist/index.js"; Object.assign(globalThis, { moda, OpenAI });',
        resolveDir: new URL("../../", import.meta.url).pathname,
      },
      bundle: true,
      write: false,
      format: "iife",
      platform: "browser",
      conditions: ["edge-light", "worker", "browser"],
      logLevel: "silent",
    });
    return bundle.outputFiles[0]?.text ?? "";
  }

  it.each([
    {
      given: "the global AsyncLocalStorage (as Next.js sets it)",
      withGlobal: true,
      parent: "outer",
      said: "from globalThis",
    },
    { given: "no AsyncLocalStorage", withGlobal: false, parent: "POST /", said: "no AsyncLocalStorage found" },
  ])("with $given: the task's parent is $parent", async ({ withGlobal, parent, said }) => {
    const sink = newSink();
    const debugLines: string[] = [];
    const pending: Promise<unknown>[] = [];
    const vm = new EdgeVM({
      extend: (context) => {
        if (withGlobal) Object.assign(context, { AsyncLocalStorage });
        const test = {
          debug: (...parts: unknown[]) => debugLines.push(parts.map(String).join(" ")),
          waitUntil: (promise: Promise<unknown>) => pending.push(promise),
        };
        // Vercel Edge's process: env and a version (the OpenAI SDK reads it there), no Node modules.
        const process = { env: {}, version: "v20.0.0" };
        return Object.assign(context, { test, process });
      },
    });
    expect(vm.evaluate("typeof process.getBuiltinModule")).toBe("undefined");
    vm.evaluate(await edgeBundle());
    vm.evaluate("console.debug = test.debug");
    const text: string = await vm.evaluate(`(async () => {
      ${handlerSource(inject("openaiUrl"))}
      const handler = moda.withModa(handle, { apiKey: "k", baseUrl: ${JSON.stringify(sink.url)}, debug: true });
      const request = new Request("https://app.example/", { method: "POST", body: "Say hello." });
      return (await handler(request, { waitUntil: test.waitUntil })).text();
    })()`);
    expect(text).toBe("Hello! How can I help you today?");
    await Promise.all(pending);
    expect(taskParent(await sink.waitForSpans(4))).toBe(parent);
    expect(debugLines.join("\n")).toContain(said);
  });
});
