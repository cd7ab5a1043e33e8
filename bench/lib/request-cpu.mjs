/**
 * The requests of the CPU measurement, the same code in Node and in a Worker: a handler making `calls` OpenAI
 * calls (the 10-message conversation, on the in-process fake `fetch`), untraced, traced (`withModa`, the client
 * wrapped; each made once, as an application makes them), or the floor: untraced, plus one
 * `ctx.waitUntil(fetch(ingest, { method: "POST", body }))` of the bytes the last traced request of as many calls
 * exported. Each request is served to its end: the response read, then its `waitUntil` work awaited. What the
 * process spends on a round is read from outside it.
 */
import { sinkStats } from "./sink.mjs";
import { MODA_ENV, newChatHandler, serveRequest } from "./traced-request.mjs";

const handlers = new Map();
/** The body the traced handler of `calls` calls last exported. */
const exportedBodies = new Map();

/** The untraced handler, then one POST of what the traced one exported (nothing, when it exported nothing). */
function floorHandler(calls) {
  const untraced = newChatHandler({ calls, traced: false });
  return {
    async fetch(request, env, ctx) {
      const response = await untraced.fetch(request, env, ctx);
      const body = exportedBodies.get(calls);
      if (body) ctx.waitUntil(fetch(env.MODA_BASE_URL, { method: "POST", body }));
      return response;
    },
  };
}

function handlerFor(handler, calls) {
  const key = `${handler} ${calls}`;
  if (!handlers.has(key)) {
    handlers.set(
      key,
      handler === "floor" ? floorHandler(calls) : newChatHandler({ calls, traced: handler === "traced" }),
    );
  }
  return handlers.get(key);
}

/**
 * Serves `count` requests to "untraced", "floor" or "traced", one after another, exporting to `ingestUrl` (default:
 * MODA_ENV's, which the in-process sink answers); resolves to the exports sent.
 */
export async function serveRound(handler, calls, count, ingestUrl = MODA_ENV.MODA_BASE_URL) {
  const exportsBefore = sinkStats.requests;
  const env = { ...MODA_ENV, MODA_BASE_URL: ingestUrl };
  for (let i = 0; i < count; i++) await serveRequest(handlerFor(handler, calls), env);
  if (handler === "traced" && sinkStats.requests > exportsBefore) exportedBodies.set(calls, sinkStats.lastBody);
  return sinkStats.requests - exportsBefore;
}
