/** Trace and span ids from `crypto.getRandomValues`, as lowercase hex. */

/**
 * Random bytes are drawn a pool at a time: one `getRandomValues` call costs microseconds in Node, whatever its
 * size, and a span needs only 8 bytes.
 */
const POOL_SIZE = 1024;
let pool = new Uint8Array(0);
let used = 0;

function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_SIZE));
    used = 0;
  }
  const start = used;
  used += bytes;
  let hex = "";
  for (const byte of pool.subarray(start, used)) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** The all-zero ids are invalid. */
export const INVALID_TRACE_ID = "0".repeat(32);
export const INVALID_SPAN_ID = "0".repeat(16);

export function newTraceId(): string {
  const id = randomHex(16);
  return id === INVALID_TRACE_ID ? newTraceId() : id;
}

export function newSpanId(): string {
  const id = randomHex(8);
  return id === INVALID_SPAN_ID ? newSpanId() : id;
}
