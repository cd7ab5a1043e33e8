import { FIXED32, FIXED64, LENGTH_DELIMITED, VARINT } from "./wire-types";

/**
 * Calls `visit` for each field of the protobuf message in `bytes[start, end)`: with a varint's value (exact
 * below 2^53), or with a length-delimited field's length and the offset its bytes start at. Fixed-size
 * fields are skipped. Throws on bytes that are not protobuf.
 */
export function readFields(
  bytes: Uint8Array,
  start: number,
  end: number,
  visit: (field: number, wireType: number, value: number, offset: number) => void,
): void {
  let pos = start;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; shift < 70 && pos < end; shift += 7) {
      const byte = bytes[pos++] ?? 0;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
    throw new Error("protobuf: malformed varint");
  };
  while (pos < end) {
    const tag = varint();
    const wireType = tag & 7;
    const value = wireType === VARINT || wireType === LENGTH_DELIMITED ? varint() : 0;
    const offset = pos;
    if (wireType === LENGTH_DELIMITED) pos += value;
    else if (wireType === FIXED64) pos += 8;
    else if (wireType === FIXED32) pos += 4;
    else if (wireType !== VARINT) throw new Error(`protobuf: unsupported wire type ${wireType}`);
    if (pos > end) throw new Error("protobuf: truncated field");
    visit(tag >>> 3, wireType, value, offset);
  }
}
