/**
 * Rounds of requests to an untraced and a traced handler, alternating, each first as often as second, with the
 * first rounds as warm-up: what the handler-time and the CPU measurements share. Medians of the rounds.
 */
import { median } from "./stats.mjs";

const WARMUP_ROUNDS = 4;
const HANDLERS = ["untraced", "traced"];

/**
 * `perRequestUs(handler, count)` runs one round of `count` requests to "untraced" or "traced" and resolves to its
 * µs per request. Resolves to the medians, their difference and ratio, and the range of the traced rounds against
 * the untraced median.
 */
export async function alternatingRounds(perRequestUs, { rounds, count }) {
  const times = { untraced: [], traced: [] };
  for (let i = 0; i < WARMUP_ROUNDS + rounds; i++) {
    for (const handler of i % 2 === 0 ? HANDLERS : [...HANDLERS].reverse()) {
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
    ratioRange: [Math.min(...times.traced) / untracedUs, Math.max(...times.traced) / untracedUs],
  };
}

/** How many rounds `alternatingRounds` runs of each handler, warm-up included. */
export function roundsRun(rounds) {
  return WARMUP_ROUNDS + rounds;
}
