import { describe, expect, it } from "vitest";
import { withModa } from "../../dist/index.js";
import { roundsRun } from "../lib/alternating-rounds.mjs";
import { measureRequestOverhead, timeRound } from "../lib/request-rounds.mjs";
import { sinkStats } from "../lib/sink.mjs";
import { useSinkFetch } from "./sink-fetch";

describe("withModa's handler time, timed in rounds", () => {
  useSinkFetch();

  it("times each number of calls and exports every traced request with an LLM call once, after its round", async () => {
    const rows = await measureRequestOverhead({ rounds: 2, requests: { 0: 3, 1: 2 } });
    const exportsOf = (requests: number) => roundsRun(2) * requests;
    expect(rows.map(({ calls, requests, exports }) => ({ calls, requests, exports }))).toEqual([
      // A request without an LLM call exports nothing (moda-edge's default).
      { calls: 0, requests: 3, exports: 0 },
      { calls: 1, requests: 2, exports: exportsOf(2) },
    ]);
    for (const row of rows) {
      expect(row.untracedUs).toBeGreaterThan(0);
      expect(row.addedUs).toBeCloseTo(row.tracedUs - row.untracedUs, 9);
      expect(row.ratio).toBeCloseTo(row.tracedUs / row.untracedUs, 9);
    }
  });

  it("fails a round in which an export reached the backend, rather than count it as handler time", async () => {
    // The round's second request waits until the first one's export has reached the backend.
    const exportsBefore = sinkStats.requests;
    let served = 0;
    const slow = withModa(
      {
        async fetch() {
          if (served++ > 0) while (sinkStats.requests === exportsBefore) await new Promise((r) => setTimeout(r, 1));
          return new Response("done");
        },
      },
      { exportAllRequests: true },
    );
    await expect(timeRound(slow, 2)).rejects.toThrow(/export\(s\) ran inside a timed round/);
  });
});
