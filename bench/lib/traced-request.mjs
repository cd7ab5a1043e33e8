/**
 * One request of a `withModa` Worker handler (untraced: the bare handler) making `calls` OpenAI calls (the
 * 10-message conversation, each call with its own last question) through a wrapped client on the in-process
 * fake `fetch`, run as the platform runs it: the response is read, then the `waitUntil` work (the export)
 * runs. Exports go to the global `fetch`.
 */
import { withModa, wrap } from "../../dist/index.js";
import { chatParams, fakeOpenAIClient } from "./fake-llm.mjs";

export const MODA_ENV = { MODA_API_KEY: "bench-key", MODA_BASE_URL: "https://ingest.bench.invalid/v1/traces" };

/**
 * Resolves to `{ handlerMs, flushMs }`. `hooks.afterCall(i)` and `hooks.beforeResponse()` run at those
 * points (for the memory benchmark).
 */
export async function tracedRequest({ calls, traced = true, env = MODA_ENV, hooks = {} }) {
  const client = traced ? wrap(fakeOpenAIClient()) : fakeOpenAIClient();
  const instrument = traced ? withModa : (plain) => plain;
  const handler = instrument({
    async fetch() {
      for (let i = 0; i < calls; i++) {
        await client.chat.completions.create(chatParams(i));
        hooks.afterCall?.(i);
      }
      await hooks.beforeResponse?.();
      return new Response("done");
    },
  });
  const pending = [];
  const ctx = { waitUntil: (promise) => pending.push(promise), passThroughOnException() {}, props: {} };
  const started = performance.now();
  const response = await handler.fetch(new Request("https://app.bench.invalid/chat", { method: "POST" }), env, ctx);
  await response.text();
  const handled = performance.now();
  await Promise.all(pending);
  return { handlerMs: handled - started, flushMs: performance.now() - handled };
}
