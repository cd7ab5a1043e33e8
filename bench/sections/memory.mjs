/**
 * Memory in Node (run with --expose-gc): the heap one buffered LLM span holds (a request with 100 calls of the
 * 10-message conversation, measured after a full GC while its spans wait for the flush, against the same
 * request untraced: no withModa, no wrap), and the peak heap of that request, export included, traced and untraced.
 */
import { sinkStats } from "../lib/sink.mjs";
import { median } from "../lib/stats.mjs";
import { tracedRequest } from "../lib/traced-request.mjs";

const CALLS = 100;

function heapAfterGc() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

/** Heap held at the end of the handler (spans buffered, not yet exported), above the heap before it. */
async function retained(traced) {
  const before = heapAfterGc();
  let held = 0;
  await tracedRequest({
    calls: CALLS,
    traced,
    hooks: {
      beforeResponse: () => {
        held = heapAfterGc() - before;
      },
    },
  });
  return held;
}

/** The largest heap seen during the request and its export, above the heap before it (no forced GC). */
async function peak(traced) {
  const before = heapAfterGc();
  let highest = before;
  const sample = () => {
    highest = Math.max(highest, process.memoryUsage().heapUsed);
  };
  const exportFetch = globalThis.fetch;
  // The export's fetch sees the serialized, compressed body while every span is still held.
  globalThis.fetch = async (...args) => {
    sample();
    return exportFetch(...args);
  };
  await tracedRequest({ calls: CALLS, traced, hooks: { afterCall: sample, beforeResponse: sample } });
  sample();
  globalThis.fetch = exportFetch;
  return highest - before;
}

export async function run(repeatsArg) {
  if (typeof globalThis.gc !== "function") throw new Error("run with node --expose-gc");
  const { sinkFetch } = await import("../lib/sink.mjs");
  globalThis.fetch = sinkFetch;
  const repeats = Number(repeatsArg) || 5;
  await tracedRequest({ calls: CALLS });
  await tracedRequest({ calls: CALLS, traced: false });
  const results = { calls: CALLS, retainedTraced: [], retainedUntraced: [], peakTraced: [], peakUntraced: [] };
  for (let i = 0; i < repeats; i++) {
    results.retainedTraced.push(await retained(true));
    results.retainedUntraced.push(await retained(false));
    results.peakTraced.push(await peak(true));
    results.peakUntraced.push(await peak(false));
  }
  const retainedTraced = median(results.retainedTraced);
  const retainedUntraced = median(results.retainedUntraced);
  return {
    calls: CALLS,
    bytesPerBufferedSpan: (retainedTraced - retainedUntraced) / CALLS,
    retainedTraced,
    retainedUntraced,
    peakTraced: median(results.peakTraced),
    peakUntraced: median(results.peakUntraced),
    exports: sinkStats.requests,
  };
}
