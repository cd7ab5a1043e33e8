/**
 * Rounds of requests to several configurations of one handler (untraced and traced; the floor too), interleaved:
 * each round serves every configuration once, in an order rotated from round to round so that each comes first,
 * and after each other, equally often; the first rounds are warm-up. What the handler-time and the CPU
 * measurements share. Medians of the rounds, and interquartile ranges of the ratios each round gives.
 */
import { median, quantile } from "./stats.mjs";

const WARMUP_ROUNDS = 4;
const PAIR = ["untraced", "traced"];

/** `values`' first and third quartiles. */
function iqr(values) {
  return [quantile(values, 0.25), quantile(values, 0.75)];
}

/** The order of `handlers` in round `i`: rotated by `i`, and reversed every other cycle. */
function orderOf(handlers, i) {
  const rotated = handlers.map((_, k) => handlers[(i + k) % handlers.length]);
  return Math.floor(i / handlers.length) % 2 === 0 ? rotated : rotated.reverse();
}

/**
 * What the floor gives, when it was measured: its median, and the traced request's added CPU over the floor's
 * (traced − untraced) / (floor − untraced), from the medians, with the interquartile range of that ratio round by
 * round (each round's three requests ran side by side).
 */
function floorFigures(times, untracedUs, tracedUs) {
  if (!times.floor) return {};
  const floorUs = median(times.floor);
  const perRound = times.traced.map(
    (traced, i) => (traced - times.untraced[i]) / Math.max(1, times.floor[i] - times.untraced[i]),
  );
  return {
    floorUs,
    floorAddedUs: floorUs - untracedUs,
    floorRatio: (tracedUs - untracedUs) / Math.max(1, floorUs - untracedUs),
    floorRatioIqr: iqr(perRound),
  };
}

/**
 * `perRequestUs(handler, count)` runs one round of `count` requests to one of `handlers` and resolves to its µs per
 * request. Resolves to the medians, their difference and ratio, the interquartile range of the traced/untraced ratio
 * round by round, the range of the traced rounds against the untraced median, and the floor's figures.
 */
export async function alternatingRounds(perRequestUs, { rounds, count, handlers = PAIR }) {
  const times = Object.fromEntries(handlers.map((handler) => [handler, []]));
  for (let i = 0; i < WARMUP_ROUNDS + rounds; i++) {
    for (const handler of orderOf(handlers, i)) {
      const us = await perRequestUs(handler, count);
      if (i >= WARMUP_ROUNDS) times[handler].push(us);
    }
  }
  const untracedUs = median(times.untraced);
  const tracedUs = median(times.traced);
  return {
    requests: count,
    untracedUs,
    tracedUs,
    addedUs: tracedUs - untracedUs,
    ratio: tracedUs / untracedUs,
    ratioIqr: iqr(times.traced.map((traced, i) => traced / times.untraced[i])),
    ratioRange: [Math.min(...times.traced) / untracedUs, Math.max(...times.traced) / untracedUs],
    ...floorFigures(times, untracedUs, tracedUs),
  };
}

/** How many rounds `alternatingRounds` runs of each handler, warm-up included. */
export function roundsRun(rounds) {
  return WARMUP_ROUNDS + rounds;
}
