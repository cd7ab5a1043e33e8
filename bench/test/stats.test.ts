import { describe, expect, it } from "vitest";
import { halfIqr, median, quantile } from "../lib/stats.mjs";

describe("bench statistics", () => {
  it("takes the middle value, or the mean of the middle two, whatever the order given", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("interpolates a quantile between the two nearest values", () => {
    expect(quantile([50, 10, 40, 20, 30], 0.25)).toBe(20);
    expect(quantile([1, 2], 0.75)).toBe(1.75);
    expect(quantile([7], 0.9)).toBe(7);
  });

  it("gives half the interquartile range as the noise band", () => {
    expect(halfIqr([1, 2, 3, 4, 5, 6, 7, 8, 9])).toBe(2);
    expect(halfIqr([5, 5, 5])).toBe(0);
  });

  it("answers NaN for no values, and leaves the values given in their order", () => {
    expect(median([])).toBeNaN();
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});
