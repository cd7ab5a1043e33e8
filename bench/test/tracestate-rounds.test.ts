import { describe, expect, it } from "vitest";
import { roundsRun } from "../lib/alternating-rounds.mjs";
import { sinkStats } from "../lib/sink.mjs";
import { hostileTracestate, measureTracestate, TRACESTATE_BYTES } from "../lib/tracestate-rounds.mjs";
import { useSinkFetch } from "./sink-fetch";

describe("the 128 KB tracestate measurement", () => {
  useSinkFetch();

  it("sends a header of 128 KB of members, none of them a valid key", () => {
    const header = hostileTracestate();
    expect(header).toHaveLength(TRACESTATE_BYTES);
    expect(header.split(",").length).toBeGreaterThan(10_000);
    expect(header.split(",").every((member) => /^K\d*(=\d*)?$/.test(member))).toBe(true);
  });

  it("times requests with and without it, each exported after its round", async () => {
    const exportsBefore = sinkStats.requests;
    const row = await measureTracestate({ rounds: 1, requests: 2 });
    expect(row.untracedUs).toBeGreaterThan(0);
    expect(row.tracedUs).toBeGreaterThan(0);
    expect(row.addedUs).toBeCloseTo(row.tracedUs - row.untracedUs, 9);
    // Warm-up rounds included: every request of every round, with the header and without, was exported once.
    expect(sinkStats.requests - exportsBefore).toBe(roundsRun(1) * 2 * 2);
  });
});
