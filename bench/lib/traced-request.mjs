/**
 * Requests of a Worker handler, traced with `withModa` or bare, making `calls` OpenAI calls (the
 * 10-message conversation, each call with its own last question) through a wrapped client on the in-process
 * fake `fetch`, run as the platform runs it: the response is read, then the `waitUntil` work (the export)
 * runs. Exports go to the global `fetch`.
 */
import { withModa, wrap } from "../../dist/index.js";
import { executionContext } from "./execution-context.mjs";
import { chatParams, fakeOpenAIClient } from "./fake-llm.mjs";

export const MODA_ENV = { MODA_API_KEY: "bench-key", MODA_BASE_URL: "https://ingest.bench.invalid/v1/traces" };

/**
 * A Worker handler making `calls` OpenAI calls through `client`, each with its own last question, then answering.
 * `hooks.afterCall(i)` and `hooks.beforeResponse()` run at those points (for the memory benchmark).
 */
export function chatHandler(client, calls, hooks = {}) {
  return {
    async fetch() {
      for (let i = 0; i < calls; i++) {
        await client.chat.completions.create(chatParams(i));
        hooks.afterCall?.(i);
      }
      await hooks.beforeResponse?.();
      return new Response("done");
    },
  };
}

/** A request to the chat route of a `chatHandler`. */
export function chatRequest() {
  return new Request("https://app.bench.invalid/chat", { method: "POST" });
}

/**
 * One request served by `handler` as the platform serves it: the response is read, then its `waitUntil` work (the
 * export) runs. Resolves to `{ handlerMs, flushMs }`: to the response's last byte, then to the end of that work.
 */
export async function serveRequest(handler, env = MODA_ENV) {
  const { ctx, settled } = executionContext();
  const started = performance.now();
  const response = await handler.fetch(chatRequest(), env, ctx);
  await response.text();
  const handled = performance.now();
  await settled();
  return { handlerMs: handled - started, flushMs: performance.now() - handled };
}

/** A `chatHandler` on a client of its own: traced (`withModa`, the client wrapped) or bare. */
export function newChatHandler({ calls, traced, hooks = {} }) {
  const client = traced ? wrap(fakeOpenAIClient()) : fakeOpenAIClient();
  const handler = chatHandler(client, calls, hooks);
  return traced ? withModa(handler) : handler;
}

/** One request of a handler and client made for it alone, traced or not. */
export function tracedRequest({ calls, traced = true, env = MODA_ENV, hooks = {} }) {
  return serveRequest(newChatHandler({ calls, traced, hooks }), env);
}
