import type { HrTime, SpanContext, SpanKind } from "@opentelemetry/api";

/** How the values of a span map onto OTLP's fields, the same in protobuf and in JSON. */

const NANOS_PER_SECOND = 1_000_000_000;
const TWO_POW_16 = 0x1_0000;
const TWO_POW_32 = 0x1_0000_0000;
const INT64_MIN = -(2 ** 63);
const INT64_END = 2 ** 63;
/** `SpanFlags` bits (trace.proto): the parent context says whether it is remote, and whether it is. */
const FLAG_HAS_IS_REMOTE = 0x100;
const FLAG_IS_REMOTE = 0x200;

/** OTLP numbers its span kinds from UNSPECIFIED = 0; the API from INTERNAL = 0. */
export function otlpSpanKind(kind: SpanKind): number {
  return kind + 1;
}

/**
 * `Span.flags` / `Link.flags`: the W3C trace flags in the low byte, and whether `remote` (a span's parent, a
 * link's target) came from another process.
 */
export function spanFlags(traceFlags: number, remote: SpanContext | undefined): number {
  return (traceFlags & 0xff) | FLAG_HAS_IS_REMOTE | (remote?.isRemote ? FLAG_IS_REMOTE : 0);
}

/** Whether a number goes out as `int_value` (int64) rather than `double_value`. */
export function isInt64(value: number): boolean {
  return Number.isInteger(value) && value >= INT64_MIN && value < INT64_END;
}

/** Whole seconds and the nanoseconds within the second, however the HrTime was given; zero when before 1970. */
function secondsAndNanos([seconds, nanos]: HrTime): [number, number] {
  const wholeNanos = Math.trunc(nanos);
  const carry = Math.floor(wholeNanos / NANOS_PER_SECOND);
  const wholeSeconds = Math.trunc(seconds) + carry;
  const nanosInSecond = wholeNanos - carry * NANOS_PER_SECOND;
  return wholeSeconds >= 0 && Number.isFinite(wholeSeconds + nanosInSecond) ? [wholeSeconds, nanosInSecond] : [0, 0];
}

/** Unix nanoseconds as the decimal string OTLP/JSON writes a fixed64 as. */
export function unixNanosDecimal(time: HrTime): string {
  const [seconds, nanos] = secondsAndNanos(time);
  return seconds === 0 ? String(nanos) : `${seconds}${String(nanos).padStart(9, "0")}`;
}

/**
 * Unix nanoseconds as the low and high 32 bits of a fixed64. `seconds * 1e9` passes 2^53 (and stops being
 * exact as a double) in 1970 + 104 days, so the product is built from 16-bit halves of the seconds.
 */
export function unixNanosBits(time: HrTime): [low: number, high: number] {
  const [seconds, nanos] = secondsAndNanos(time);
  const secondsLow = seconds % TWO_POW_16;
  const lowPart = secondsLow * NANOS_PER_SECOND + nanos;
  const highPart = ((seconds - secondsLow) / TWO_POW_16) * NANOS_PER_SECOND;
  const lowSum = (highPart % TWO_POW_16) * TWO_POW_16 + (lowPart % TWO_POW_32);
  const high = Math.floor(highPart / TWO_POW_16) + Math.floor(lowPart / TWO_POW_32) + Math.floor(lowSum / TWO_POW_32);
  return [lowSum % TWO_POW_32, high % TWO_POW_32];
}
