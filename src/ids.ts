/** Trace and span ids from `crypto.getRandomValues`, as lowercase hex. */

function randomHex(bytes: number): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes));
  let hex = "";
  for (const byte of buf) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

const ALL_ZERO = /^0+$/;

export function newTraceId(): string {
  const id = randomHex(16);
  return ALL_ZERO.test(id) ? newTraceId() : id;
}

export function newSpanId(): string {
  const id = randomHex(8);
  return ALL_ZERO.test(id) ? newSpanId() : id;
}

export { randomHex };
