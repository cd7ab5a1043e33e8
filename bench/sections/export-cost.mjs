/**
 * Export cost in Node: a request with 1, 10 or 100 LLM spans of the 10-message conversation (plus the
 * request's own span), exported to an in-process sink, protobuf as by default, gzip and plain; the bytes sent,
 * and two times:
 * - the export's work: from the end of the flush's yield to the runtime (a 0 ms timer, which Node holds for
 *   1 ms) to the body handed to `fetch`: the spans described, encoded and gzipped;
 * - the whole flush, from the response to the end of the export, that yield and the wait for spans included.
 */
import { sinkFetch, sinkStats } from "../lib/sink.mjs";
import { median } from "../lib/stats.mjs";
import { MODA_ENV, tracedRequest } from "../lib/traced-request.mjs";

const SPAN_COUNTS = [1, 10, 100];
const WARMUP = 3;

/**
 * When a 0 ms timer last fired and when `fetch` was last called. The timers stay the runtime's own: each
 * callback is only stamped on its way in.
 */
function stampFlush() {
  const stamps = { yieldEndedAt: Number.NaN, handedAt: Number.NaN };
  const setTimer = globalThis.setTimeout;
  globalThis.setTimeout = (callback, ms, ...args) => {
    if (typeof callback !== "function" || (ms ?? 0) > 0) return setTimer(callback, ms, ...args);
    return setTimer(() => {
      stamps.yieldEndedAt = performance.now();
      callback(...args);
    }, ms);
  };
  globalThis.fetch = (input, init) => {
    stamps.handedAt = performance.now();
    return sinkFetch(input, init);
  };
  return stamps;
}

async function measure(spans, compression, repeats, stamps) {
  const env = { ...MODA_ENV, MODA_COMPRESSION: compression };
  const workTimes = [];
  const flushTimes = [];
  const bytes = [];
  for (let i = 0; i < WARMUP + repeats; i++) {
    const before = { ...sinkStats };
    const { flushMs } = await tracedRequest({ calls: spans, env });
    if (sinkStats.requests !== before.requests + 1) throw new Error("the request's spans were not exported once");
    const workMs = stamps.handedAt - stamps.yieldEndedAt;
    if (!(workMs >= 0 && workMs <= flushMs)) throw new Error(`the export's work was not stamped (${workMs} ms)`);
    if (i < WARMUP) continue;
    workTimes.push(workMs);
    flushTimes.push(flushMs);
    bytes.push(sinkStats.bytes - before.bytes);
  }
  return {
    spans,
    compression,
    workMsPerSpan: median(workTimes) / spans,
    bytesPerSpan: median(bytes) / spans,
    workMs: median(workTimes),
    flushMs: median(flushTimes),
    totalBytes: median(bytes),
  };
}

export async function run(repeatsArg) {
  const stamps = stampFlush();
  const repeats = Number(repeatsArg) || 15;
  const rows = [];
  for (const spans of SPAN_COUNTS) {
    for (const compression of ["gzip", "none"]) rows.push(await measure(spans, compression, repeats, stamps));
  }
  return rows;
}
