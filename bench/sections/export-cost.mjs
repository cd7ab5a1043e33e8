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
const COMPRESSIONS = ["gzip", "none"];
/** Requests of each configuration before any is timed: enough for the JIT to compile the export path. */
const WARMUP = 10;

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

/** One exported request of `spans` LLM spans: its export's work, its whole flush and the bytes sent. */
async function exportOnce({ spans, compression }, stamps) {
  const before = { ...sinkStats };
  const { flushMs } = await tracedRequest({ calls: spans, env: { ...MODA_ENV, MODA_COMPRESSION: compression } });
  if (sinkStats.requests !== before.requests + 1) throw new Error("the request's spans were not exported once");
  const workMs = stamps.handedAt - stamps.yieldEndedAt;
  if (!(workMs >= 0 && workMs <= flushMs)) throw new Error(`the export's work was not stamped (${workMs} ms)`);
  return { workMs, flushMs, bytes: sinkStats.bytes - before.bytes };
}

function summary({ spans, compression }, samples) {
  const workMs = median(samples.map((sample) => sample.workMs));
  const totalBytes = median(samples.map((sample) => sample.bytes));
  return {
    spans,
    compression,
    workMsPerSpan: workMs / spans,
    bytesPerSpan: totalBytes / spans,
    workMs,
    flushMs: median(samples.map((sample) => sample.flushMs)),
    totalBytes,
    warmupRequests: WARMUP,
  };
}

/**
 * Every configuration is warmed up before any is timed, and the timed requests take turns: otherwise the first
 * rows would be timed on code the JIT has not compiled yet and the last on code it has (the 1-span figures
 * varied by 70 % from run to run), and drift would fall on some rows only.
 */
export async function run(repeatsArg) {
  const stamps = stampFlush();
  const repeats = Number(repeatsArg) || 15;
  const configurations = SPAN_COUNTS.flatMap((spans) => COMPRESSIONS.map((compression) => ({ spans, compression })));
  for (let i = 0; i < WARMUP; i++) for (const configuration of configurations) await exportOnce(configuration, stamps);
  const samples = configurations.map(() => []);
  for (let i = 0; i < repeats; i++) {
    for (const [index, configuration] of configurations.entries()) {
      samples[index].push(await exportOnce(configuration, stamps));
    }
  }
  return configurations.map((configuration, index) => summary(configuration, samples[index]));
}
