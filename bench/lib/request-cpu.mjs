/**
 * The requests of the CPU measurement, the same code in Node and in a Worker: a handler making `calls` OpenAI
 * calls (the 10-message conversation, on the in-process fake `fetch`), untraced or traced (`withModa`, the client
 * wrapped; each made once, as an application makes them), each request served to its end: the response read,
 * then its `waitUntil` work (the export) awaited. What the process spends on a round is read from outside it.
 */
import { sinkStats } from "./sink.mjs";
import { newChatHandler, serveRequest } from "./traced-request.mjs";

const handlers = new Map();

function handlerFor(handler, calls) {
  const key = `${handler} ${calls}`;
  if (!handlers.has(key)) handlers.set(key, newChatHandler({ calls, traced: handler === "traced" }));
  return handlers.get(key);
}

/** Serves `count` requests to "untraced" or "traced", one after another; resolves to the exports that were sent. */
export async function serveRound(handler, calls, count) {
  const exportsBefore = sinkStats.requests;
  for (let i = 0; i < count; i++) await serveRequest(handlerFor(handler, calls));
  return sinkStats.requests - exportsBefore;
}
