import type { HrTime, TimeInput } from "@opentelemetry/api";

/** The runtime's `performance`, looked up once: in Node, reading the global runs a getter. */
let clock: Performance | null | undefined;

/** Milliseconds since the epoch, with sub-millisecond precision where the runtime gives it. */
export function nowMs(): number {
  clock ??= typeof globalThis.performance?.timeOrigin === "number" ? globalThis.performance : null;
  return clock ? clock.timeOrigin + clock.now() : Date.now();
}

export function msToHrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.round((ms - seconds * 1000) * 1e6);
  return nanos >= 1e9 ? [seconds + 1, nanos - 1e9] : [seconds, nanos];
}

export function hrTimeToMs(time: HrTime): number {
  return time[0] * 1000 + time[1] / 1e6;
}

/** Converts any OpenTelemetry `TimeInput` (ms epoch, performance-relative ms, HrTime, Date) to HrTime. */
export function toHrTime(input: TimeInput | undefined): HrTime {
  if (input === undefined) return msToHrTime(nowMs());
  if (Array.isArray(input)) return [input[0], input[1]];
  if (input instanceof Date) return msToHrTime(input.getTime());
  const origin = globalThis.performance?.timeOrigin ?? 0;
  // Values below the time origin are performance.now() readings, as @opentelemetry/core reads them.
  return msToHrTime(input < origin ? origin + input : input);
}
