/**
 * The AWS event stream encoding (`application/vnd.amazon.eventstream`), written from its specification for the mock
 * Bedrock server: each message is a prelude (total length, headers length: 4-byte big-endian integers) with its
 * CRC32, the headers (name length: 1 byte, name, value type: 1 byte, then for a string: length: 2 bytes, value),
 * the payload, and the CRC32 of everything before it. Only string headers (type 7) are written: Bedrock sends no
 * other kind. Web APIs only.
 */

const STRING_HEADER = 7;
/** Prelude (8 bytes) + prelude CRC (4) + message CRC (4). */
const OVERHEAD = 16;

const CRC_TABLE = buildCrcTable();

function buildCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
    table[byte] = crc >>> 0;
  }
  return table;
}

/** CRC-32 as gzip computes it (reflected polynomial 0xEDB88320). */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function encodeHeaders(headers: Record<string, string>): Uint8Array {
  const encoder = new TextEncoder();
  const encoded = Object.entries(headers).map(([name, value]) => {
    const nameBytes = encoder.encode(name);
    const valueBytes = encoder.encode(value);
    const header = new Uint8Array(1 + nameBytes.length + 1 + 2 + valueBytes.length);
    const view = new DataView(header.buffer);
    header[0] = nameBytes.length;
    header.set(nameBytes, 1);
    header[1 + nameBytes.length] = STRING_HEADER;
    view.setUint16(2 + nameBytes.length, valueBytes.length);
    header.set(valueBytes, 4 + nameBytes.length);
    return header;
  });
  return concat(encoded);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** One event stream message. */
export function encodeMessage(headers: Record<string, string>, payload: Uint8Array): Uint8Array {
  const headerBytes = encodeHeaders(headers);
  const message = new Uint8Array(OVERHEAD + headerBytes.length + payload.length);
  const view = new DataView(message.buffer);
  view.setUint32(0, message.length);
  view.setUint32(4, headerBytes.length);
  view.setUint32(8, crc32(message.subarray(0, 8)));
  message.set(headerBytes, 12);
  message.set(payload, 12 + headerBytes.length);
  view.setUint32(message.length - 4, crc32(message.subarray(0, message.length - 4)));
  return message;
}

/** An event of a Bedrock stream: `:event-type` names the union member, the payload is its JSON. */
export function encodeEvent(eventType: string, body: unknown): Uint8Array {
  const headers = { ":event-type": eventType, ":content-type": "application/json", ":message-type": "event" };
  return encodeMessage(headers, new TextEncoder().encode(JSON.stringify(body)));
}

/** A modeled exception in a Bedrock stream (`throttlingException`, `modelStreamErrorException`, …). */
export function encodeException(exceptionType: string, body: unknown): Uint8Array {
  const headers = {
    ":exception-type": exceptionType,
    ":content-type": "application/json",
    ":message-type": "exception",
  };
  return encodeMessage(headers, new TextEncoder().encode(JSON.stringify(body)));
}
