/**
 * Export cost in Node: a request with 1, 10 or 100 LLM spans of the 10-message conversation (plus the
 * request's own span), exported to an in-process sink; the time from the response to the end of the export
 * (serialize, gzip, hand to fetch) and the bytes sent, per LLM span. Protobuf, as by default; gzip and plain.
 */
import { sinkFetch, sinkStats } from "../lib/sink.mjs";
import { median } from "../lib/stats.mjs";
import { MODA_ENV, tracedRequest } from "../lib/traced-request.mjs";

const SPAN_COUNTS = [1, 10, 100];
const WARMUP = 3;

async function measure(spans, compression, repeats) {
  const env = { ...MODA_ENV, MODA_COMPRESSION: compression };
  const times = [];
  const bytes = [];
  for (let i = 0; i < WARMUP + repeats; i++) {
    const before = { ...sinkStats };
    const { flushMs } = await tracedRequest({ calls: spans, env });
    if (sinkStats.requests !== before.requests + 1) throw new Error("the request's spans were not exported once");
    if (i < WARMUP) continue;
    times.push(flushMs);
    bytes.push(sinkStats.bytes - before.bytes);
  }
  return {
    spans,
    compression,
    msPerSpan: median(times) / spans,
    bytesPerSpan: median(bytes) / spans,
    totalMs: median(times),
    totalBytes: median(bytes),
  };
}

export async function run(repeatsArg) {
  globalThis.fetch = sinkFetch;
  const repeats = Number(repeatsArg) || 15;
  const rows = [];
  for (const spans of SPAN_COUNTS) {
    for (const compression of ["gzip", "none"]) rows.push(await measure(spans, compression, repeats));
  }
  return rows;
}
