/** Trace and span ids from `crypto.getRandomValues`, as lowercase hex. */

/**
 * Random bytes are drawn a pool at a time: one `getRandomValues` call costs microseconds in Node, whatever its
 * size. An id is written as one string from its character codes: nothing else is allocated per id.
 */
const POOL_BYTES = 16384;
let pool = new Uint8Array(0);
let used = 0;
const HEX_DIGITS = "0123456789abcdef";
/** The character codes of the id being written, one list per id length in bytes (reused). */
const idCodes: Record<number, number[]> = { 8: Array(16).fill(0), 16: Array(32).fill(0) };

function randomHex(bytes: 8 | 16): string {
  if (used + bytes > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    used = 0;
  }
  const codes = idCodes[bytes] as number[];
  for (let i = 0; i < bytes; i++) {
    const byte = pool[used + i] as number;
    codes[2 * i] = HEX_DIGITS.charCodeAt(byte >> 4);
    codes[2 * i + 1] = HEX_DIGITS.charCodeAt(byte & 15);
  }
  used += bytes;
  return String.fromCharCode(...codes);
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
