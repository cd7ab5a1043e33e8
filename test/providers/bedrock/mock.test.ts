/**
 * The mock Bedrock runtime's AWS event stream encoder (test/support/aws-event-stream.ts) against known answers: the
 * CRC-32 check value, and messages whose bytes are published for the format. (The real SDK decoding the mock's
 * streams, CRCs checked, is the other half of the proof: wrap-bedrock-*.test.ts.)
 */
import { expect, it } from "vitest";
import { crc32, encodeMessage } from "../../support/aws-event-stream";

const bytes = (text: string) => new TextEncoder().encode(text);
const PAYLOAD = bytes('{"foo": "bar"}');

it("computes CRC-32 as gzip does", () => {
  expect(crc32(bytes("123456789"))).toBe(0xcbf43926);
  expect(crc32(new Uint8Array())).toBe(0);
});

it("frames a message without headers", () => {
  expect([...encodeMessage({}, PAYLOAD)]).toEqual([
    ...[0, 0, 0, 30, 0, 0, 0, 0, 186, 242, 246, 138],
    ...PAYLOAD,
    ...[174, 114, 88, 228],
  ]);
});

it("frames a message with a string header", () => {
  const message = encodeMessage({ "content-type": "application/json" }, PAYLOAD);
  expect([...message.subarray(0, 12)]).toEqual([0, 0, 0, 62, 0, 0, 0, 32, 64, 93, 249, 70]);
  expect([...message.subarray(12, 44)]).toEqual([12, ...bytes("content-type"), 7, 0, 16, ...bytes("application/json")]);
  expect([...message.subarray(44, 58)]).toEqual([...PAYLOAD]);
  expect([...message.subarray(58)]).toEqual([111, 162, 191, 59]);
});
