import { describe, expect, it } from "vitest";
import { roundsRun } from "../lib/alternating-rounds.mjs";
import { measureRequestCpu, type ServeRound } from "../lib/cpu-rounds.mjs";
import { processCpuUs } from "../lib/process-cpu.mjs";

/**
 * A serving process whose CPU clock moves by a set cost per request: 10 µs untraced, 30 µs traced per LLM call + 1,
 * the floor 10 µs and 20 more when there is an export (an LLM call). Only requests with an LLM call export.
 */
const COSTS = {
  untraced: () => 10,
  traced: (calls: number) => 30 * (calls + 1),
  floor: (calls: number) => (calls > 0 ? 30 : 10),
};

function fakeProcess(lostExports = 0) {
  const clock = { us: 0 };
  let lost = lostExports;
  const serveRound: ServeRound = async (handler, calls, count) => {
    clock.us += count * COSTS[handler](calls);
    if (handler === "untraced" || calls === 0) return 0;
    if (handler === "floor") return count;
    const missing = Math.min(lost, count);
    lost -= missing;
    return count - missing;
  };
  return { serveRound, cpuUs: () => clock.us };
}

describe("CPU per request, export included", () => {
  it("divides each round's CPU by its requests, sets tracing's cost against the floor's, counts every export", async () => {
    const { serveRound, cpuUs } = fakeProcess();
    const rows = await measureRequestCpu(serveRound, cpuUs, { rounds: 3, requests: { 0: 4, 1: 2 } });
    expect(
      rows.map(({ calls, requests, untracedUs, tracedUs, addedUs, floorUs, floorRatio, exports }) => ({
        calls,
        requests,
        untracedUs,
        tracedUs,
        addedUs,
        floorUs,
        floorRatio,
        exports,
      })),
    ).toEqual([
      { calls: 0, requests: 4, untracedUs: 10, tracedUs: 30, addedUs: 20, floorUs: 10, floorRatio: 20, exports: 0 },
      // Tracing adds 50 µs, the floor 20: 2.5 times as much.
      {
        calls: 1,
        requests: 2,
        untracedUs: 10,
        tracedUs: 60,
        addedUs: 50,
        floorUs: 30,
        floorRatio: 2.5,
        exports: roundsRun(3) * 2,
      },
    ]);
    expect(rows[1]?.floorRatioIqr).toEqual([2.5, 2.5]);
  });

  it("fails when a traced request's export was not sent: the CPU figure would leave it out", async () => {
    const { serveRound, cpuUs } = fakeProcess(2); // the first traced request (whose bytes the floor sends) loses one
    await expect(measureRequestCpu(serveRound, cpuUs, { rounds: 1, requests: { 1: 2 } })).rejects.toThrow(
      /expected 10 exports of traced requests and of the floor's, none of untraced ones; got 9, 10 and 0/,
    );
  });

  // /proc is Linux's: elsewhere the bench reports the workerd rows as not measured, and there is nothing to read here.
  it.runIf(process.platform === "linux")(
    "reads a process's CPU time from Linux's scheduler statistics, in µs, and nothing for no such process",
    () => {
      const before = processCpuUs(process.pid) ?? Number.NaN;
      const started = performance.now();
      let spins = 0;
      while (performance.now() - started < 20) spins++;
      const elapsedUs = (performance.now() - started) * 1000;
      const usedUs = (processCpuUs(process.pid) ?? Number.NaN) - before;
      expect(spins).toBeGreaterThan(0);
      // At least a twentieth of the spin (a loaded machine may take the core away), at most four threads' worth of it.
      expect(usedUs).toBeGreaterThan(elapsedUs / 20);
      expect(usedUs).toBeLessThan(elapsedUs * 4);
      expect(processCpuUs(2 ** 30)).toBeUndefined();
    },
  );
});
