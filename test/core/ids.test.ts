import { afterEach, describe, expect, it, vi } from "vitest";
import { newSpanId, newTraceId } from "../../src/core/ids";

/** More ids than one pool of random bytes holds (`getRandomValues` gives at most 64 KiB), so that it is drawn again. */
const MANY = 10_000;

describe("trace and span ids", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("are lowercase hex of 8 and 16 bytes, every one different, across refills of the random pool", () => {
    const spanIds = Array.from({ length: MANY }, newSpanId);
    const traceIds = Array.from({ length: MANY }, newTraceId);
    for (const id of spanIds) expect(id).toMatch(/^[0-9a-f]{16}$/);
    for (const id of traceIds) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(spanIds).size).toBe(MANY);
    expect(new Set(traceIds).size).toBe(MANY);
  });

  it("spell the random bytes in order, two digits a byte", () => {
    const bytes = [0x00, 0x0f, 0x10, 0xff, 0xa5, 0x5a, 0x01, 0x80];
    vi.spyOn(crypto, "getRandomValues").mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
      const view = array as unknown as Uint8Array;
      for (let i = 0; i < view.length; i++) view[i] = bytes[i % bytes.length] as number;
      return array;
    });
    // Draw until the pool is refilled from the mock: the first id of a fresh pool starts at its first byte.
    const drawn = Array.from({ length: MANY }, newSpanId);
    expect(drawn).toContain("000f10ffa55a0180");
  });
});
