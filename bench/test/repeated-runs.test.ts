import { describe, expect, it } from "vitest";
import type { RoundRow } from "../lib/alternating-rounds.mjs";
import { combineRowRuns, combineRuns, type ModeResult, ratioOverRuns } from "../lib/repeated-runs.mjs";

function mode(ratio: number, rawMs: number): ModeResult {
  return { cleanMs: rawMs, afterSetupMs: rawMs, rawMs, wrappedMs: rawMs * ratio, ratio, addedMs: rawMs * (ratio - 1) };
}

const times = (ratio: number) => `${ratio.toFixed(2)}×`;

describe("combining a tracer's runs", () => {
  const runs = [
    { chat: mode(1.2, 0.07), stream: mode(1.01, 15), sink: { requests: 30 }, note: "first" },
    { chat: mode(1.1, 0.09), stream: mode(1.03, 14), sink: { requests: 31 }, note: "second" },
    { chat: mode(1.15, 0.08), stream: mode(1.02, 16), sink: { requests: 32 }, note: "third" },
  ];

  it("takes each figure's median over the runs, and the range of the ratios", () => {
    const combined = combineRuns(runs);
    expect(combined.chat).toEqual({
      cleanMs: 0.08,
      afterSetupMs: 0.08,
      rawMs: 0.08,
      wrappedMs: expect.closeTo(0.092, 6),
      ratio: 1.15,
      addedMs: expect.closeTo(0.012, 6),
      ratioRange: [1.1, 1.2],
    });
    expect(combined.stream).toMatchObject({ rawMs: 15, ratio: 1.02, ratioRange: [1.01, 1.03] });
    expect(combined.runs).toBe(3);
  });

  it("takes the added time as the median of each run's own difference, which agrees with the ratio", () => {
    // Wrapped minus unwrapped per run: 0.15, 0.42 and 0.32 ms. The median wrapped time (15.15 ms) minus the
    // median unwrapped one (15 ms) would say 0.15 ms, from the run whose ratio is the lowest.
    expect(combineRuns(runs).stream).toMatchObject({ addedMs: expect.closeTo(0.32, 6), ratio: 1.02 });
  });

  it("keeps what is not a mode's figures from the first run", () => {
    expect(combineRuns(runs)).toMatchObject({ sink: { requests: 30 }, note: "first" });
  });

  it("reports a run that failed instead of combining the others", () => {
    const failed = { error: "workerd exited" };
    expect(combineRuns([runs[0] ?? {}, failed, runs[2] ?? {}])).toBe(failed);
  });

  it("refuses to combine no runs", () => {
    expect(() => combineRuns([])).toThrow("no runs to combine");
  });
});

describe("a ratio over runs, as the report writes it", () => {
  it("gives the runs' range after the median when they differ", () => {
    expect(ratioOverRuns({ ratio: 1.15, ratioRange: [1.135, 1.181] }, times, 3)).toBe("1.15× (1.135–1.181)");
  });

  it("gives the ratio alone when the runs agree, or there was one", () => {
    expect(ratioOverRuns({ ratio: 1.2, ratioRange: [1.2, 1.2] }, times, 2)).toBe("1.20×");
  });
});

describe("combining runs of a measurement in rounds", () => {
  function row(calls: number, untracedUs: number, tracedUs: number, ratioRange: [number, number]): RoundRow {
    const ratio = tracedUs / untracedUs;
    return {
      calls,
      requests: 10,
      untracedUs,
      tracedUs,
      addedUs: tracedUs - untracedUs,
      ratio,
      ratioRange,
      exports: 60,
    };
  }

  it("takes each figure's median row by row, the widest range of the traced rounds, and every run's exports", () => {
    const combined = combineRowRuns([
      [row(0, 20, 300, [14, 16]), row(1, 200, 800, [3.8, 4.2])],
      [row(0, 30, 360, [11, 13]), row(1, 150, 900, [5.5, 6.5])],
      [row(0, 25, 330, [12, 14]), row(1, 180, 1000, [5, 6])],
    ]);
    expect(combined).toEqual([
      {
        calls: 0,
        requests: 10,
        untracedUs: 25,
        tracedUs: 330,
        addedUs: 305,
        ratio: 13.2,
        ratioRange: [11, 16],
        exports: 180,
        runs: 3,
      },
      {
        calls: 1,
        requests: 10,
        untracedUs: 180,
        tracedUs: 900,
        addedUs: 750,
        ratio: expect.closeTo(1000 / 180, 9),
        ratioRange: [3.8, 6.5],
        exports: 180,
        runs: 3,
      },
    ]);
  });

  it("fails the whole when one run failed", () => {
    expect(combineRowRuns([[row(0, 20, 300, [14, 16])], { error: "no /proc" }])).toEqual({ error: "no /proc" });
  });
});
