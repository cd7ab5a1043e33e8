import { FIXED32, FIXED64, LENGTH_DELIMITED, VARINT } from "./wire-types";

/**
 * The protobuf wire format, for the handful of field types OTLP traces use. Each method writes one field,
 * tag included; a nested message is opened, written and closed in place, with no second pass.
 */

const TWO_POW_32 = 0x1_0000_0000;
/** Up to this many UTF-16 units a JavaScript loop writes ASCII about as fast as `encodeInto`, which allocates on each call. */
const SHORT_STRING = 256;
/** UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units). */
const MAX_UTF8_PER_UNIT = 3;

function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x20_0000) return 3;
  return value < 0x1000_0000 ? 4 : 5;
}

function hexNibble(code: number): number {
  return code <= 0x39 ? code - 0x30 : (code | 0x20) - 0x57;
}

export class ProtobufWriter {
  private buffer: Uint8Array<ArrayBuffer>;
  private view: DataView<ArrayBuffer>;
  private pos = 0;
  private readonly encoder = new TextEncoder();

  constructor(initialBytes: number) {
    this.buffer = new Uint8Array(Math.max(64, initialBytes));
    this.view = new DataView(this.buffer.buffer);
  }

  /** The bytes written so far. */
  finish(): Uint8Array<ArrayBuffer> {
    return this.buffer.subarray(0, this.pos);
  }

  /** uint32, enum and bool fields. */
  varint(field: number, value: number): void {
    this.tag(field, VARINT);
    this.rawVarint(value);
  }

  /** A uint32 or enum field outside a oneof, which proto3 leaves out at its default, 0. */
  varintUnlessZero(field: number, value: number | undefined): void {
    if (value) this.varint(field, value);
  }

  /** An int64 field from a number that `isInt64` accepts; negatives take ten bytes, as two's complement. */
  int64(field: number, value: number): void {
    this.tag(field, VARINT);
    if (value >= 0 && value < TWO_POW_32) {
      this.rawVarint(value);
    } else {
      const high = Math.floor(value / TWO_POW_32);
      this.rawVarint64(value - high * TWO_POW_32, high >>> 0);
    }
  }

  fixed32(field: number, value: number): void {
    this.tag(field, FIXED32);
    this.reserve(4);
    this.view.setUint32(this.pos, value, true);
    this.pos += 4;
  }

  fixed64(field: number, [low, high]: readonly [low: number, high: number]): void {
    this.tag(field, FIXED64);
    this.reserve(8);
    this.view.setUint32(this.pos, low, true);
    this.view.setUint32(this.pos + 4, high, true);
    this.pos += 8;
  }

  double(field: number, value: number): void {
    this.tag(field, FIXED64);
    this.reserve(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** A string field, as UTF-8 (a lone surrogate becomes U+FFFD). */
  string(field: number, value: string): void {
    this.tag(field, LENGTH_DELIMITED);
    const lengthBytes = varintSize(value.length);
    this.reserve(lengthBytes + value.length * MAX_UTF8_PER_UNIT);
    const start = this.pos;
    this.pos = start + lengthBytes;
    if (value.length > SHORT_STRING || !this.writeAscii(value)) {
      this.pos =
        start + lengthBytes + this.encoder.encodeInto(value, this.buffer.subarray(start + lengthBytes)).written;
    }
    this.closeLength(start, lengthBytes);
  }

  /** A bytes field given as hex digits (trace and span ids). */
  hexBytes(field: number, hex: string): void {
    this.tag(field, LENGTH_DELIMITED);
    const length = hex.length >>> 1;
    this.rawVarint(length);
    this.reserve(length);
    for (let i = 0; i < length; i++) {
      this.buffer[this.pos++] = (hexNibble(hex.charCodeAt(2 * i)) << 4) | hexNibble(hex.charCodeAt(2 * i + 1));
    }
  }

  /** Starts a nested message field; returns what `closeMessage` takes once its fields are written. */
  openMessage(field: number): number {
    this.tag(field, LENGTH_DELIMITED);
    this.reserve(1);
    return this.pos++;
  }

  closeMessage(start: number): void {
    this.closeLength(start, 1);
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint((field << 3) | wireType);
  }

  /** Writes `value` in ASCII; false, having written part of it, at its first other character. */
  private writeAscii(value: string): boolean {
    const buffer = this.buffer;
    let pos = this.pos;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) return false;
      buffer[pos++] = code;
    }
    this.pos = pos;
    return true;
  }

  /**
   * Puts the length of the bytes written since `start + lengthBytes` into the `lengthBytes` bytes left free at
   * `start`, moving those bytes when the length needs more room.
   */
  private closeLength(start: number, lengthBytes: number): void {
    const contentStart = start + lengthBytes;
    const length = this.pos - contentStart;
    const needed = varintSize(length);
    if (needed !== lengthBytes) {
      this.reserve(needed - lengthBytes);
      this.buffer.copyWithin(start + needed, contentStart, this.pos);
      this.pos += needed - lengthBytes;
    }
    this.putVarint(start, length);
  }

  /** A varint of a value in [0, 2^32). */
  private rawVarint(value: number): void {
    this.reserve(5);
    this.pos = this.putVarint(this.pos, value);
  }

  /** Writes a varint at `at`, in room already made; returns where it ends. */
  private putVarint(at: number, value: number): number {
    let pos = at;
    let rest = value >>> 0;
    while (rest > 0x7f) {
      this.buffer[pos++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    this.buffer[pos++] = rest;
    return pos;
  }

  /** A varint of a 64-bit value given as unsigned 32-bit halves. */
  private rawVarint64(low: number, high: number): void {
    this.reserve(10);
    let lo = low >>> 0;
    let hi = high >>> 0;
    while (hi !== 0 || lo > 0x7f) {
      this.buffer[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buffer[this.pos++] = lo;
  }

  /** Makes room for `bytes` more bytes. */
  private reserve(bytes: number): void {
    const needed = this.pos + bytes;
    if (needed <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(needed, this.buffer.length * 2));
    grown.set(this.buffer.subarray(0, this.pos));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }
}
