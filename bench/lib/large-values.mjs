/**
 * Requests that carry large values, the same code in Node and in a Worker: an LLM call whose conversation is 10 MB,
 * and a `tool()` given 2,000 documents of 1,000 characters. Each is served untraced or traced (`withModa`, the
 * client wrapped, the tool a `tool()`), in two phases told apart by `mark(phase)`: the request (to the response's
 * last byte), then its export (the `waitUntil` work). The export waits on a 0 ms timer before it describes and
 * encodes anything (so that the response goes out first); those timers are held until the request phase is marked.
 */
import { tool, withModa, wrap } from "../../dist/index.js";
import { executionContext } from "./execution-context.mjs";
import { fakeOpenAIClient } from "./fake-llm.mjs";
import { sinkStats } from "./sink.mjs";
import { MODA_ENV } from "./traced-request.mjs";

export const CASES = ["conversation-10mb", "tool-2000-documents"];

const MESSAGE_CHARS = 5_000;
const CONVERSATION_CHARS = 10 * 1024 * 1024;
const DOCUMENTS = 2_000;
const DOCUMENT_CHARS = 1_000;

/** Text that differs from message to message, as a conversation's does. */
function text(index, length) {
  const line = `Message ${index}: the shipment of order A-${1000 + index} left the depot at ${index % 24}:00 and is on its way. `;
  return line.repeat(Math.ceil(length / line.length)).slice(0, length);
}

let conversation;
function conversationMessages() {
  conversation ??= Array.from({ length: Math.ceil(CONVERSATION_CHARS / MESSAGE_CHARS) }, (_, i) => ({
    role: i % 2 === 0 ? "user" : "assistant",
    content: text(i, MESSAGE_CHARS),
  }));
  return conversation;
}

let documents;
function documentList() {
  documents ??= Array.from({ length: DOCUMENTS }, (_, i) => ({ id: `doc-${i}`, text: text(i, DOCUMENT_CHARS) }));
  return documents;
}

function rank(docs) {
  return docs.length;
}

function newHandler(caseName, traced) {
  if (caseName === "conversation-10mb") {
    const client = traced ? wrap(fakeOpenAIClient()) : fakeOpenAIClient();
    return {
      async fetch() {
        await client.chat.completions.create({ model: "gpt-4o-mini", messages: conversationMessages() });
        return new Response("done");
      },
    };
  }
  const search = traced ? tool("search", rank) : rank;
  return {
    async fetch() {
      return new Response(String(search(documentList())));
    },
  };
}

const handlers = new Map();

function handlerFor(caseName, traced) {
  const key = `${caseName} ${traced}`;
  if (!handlers.has(key)) {
    const handler = newHandler(caseName, traced);
    handlers.set(key, traced ? withModa(handler) : handler);
  }
  return handlers.get(key);
}

/** Holds the 0 ms timers set while it is on, until `release()`; other timers run as usual. */
function holdZeroTimers() {
  const realSetTimeout = globalThis.setTimeout;
  const held = [];
  globalThis.setTimeout = (callback, ms, ...args) => {
    if ((ms ?? 0) > 0 || typeof callback !== "function") return realSetTimeout(callback, ms, ...args);
    held.push(() => callback(...args));
    return 0;
  };
  return {
    /**
     * Resolves once a 0 ms timer is held. In workerd the request span ends a little after the body was read (when
     * the runtime's pipe settles), and the export sets its timer only then.
     */
    async firstHeld() {
      for (let waited = 0; held.length === 0; waited++) {
        if (waited === 1000) throw new Error("the export did not wait on a 0 ms timer: its work cannot be told apart");
        await new Promise((resolve) => realSetTimeout(resolve, 1));
      }
    },
    release() {
      globalThis.setTimeout = realSetTimeout;
      for (const run of held) realSetTimeout(run, 0);
    },
  };
}

/** One request of `caseName`, served in two phases: `mark` is awaited at "start", "responded" and "exported". */
export async function serveInPhases(caseName, traced, mark) {
  const handler = handlerFor(caseName, traced);
  const { ctx, settled } = executionContext();
  const exportsBefore = sinkStats.requests;
  await mark("start");
  const timers = holdZeroTimers();
  try {
    const response = await handler.fetch(
      new Request("https://app.bench.invalid/large", { method: "POST" }),
      MODA_ENV,
      ctx,
    );
    await response.text();
    if (traced) await timers.firstHeld();
    await mark("responded");
    if (sinkStats.requests !== exportsBefore) throw new Error("the export went out before the response");
  } finally {
    timers.release();
  }
  await settled();
  await mark("exported");
  const exports = sinkStats.requests - exportsBefore;
  if (exports !== (traced ? 1 : 0)) throw new Error(`expected ${traced ? 1 : 0} export(s), got ${exports}`);
}
