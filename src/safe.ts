import { warnOnce } from "./debug";

/**
 * Runs tracer work so that its failure never reaches the user: the error is reported once and `fallback`
 * returned instead.
 */
export function safely<T>(what: string, work: () => T, fallback: T): T {
  try {
    return work();
  } catch (error) {
    warnOnce(`internal:${what}`, `internal error in ${what} (tracing continues without it): ${String(error)}`);
    return fallback;
  }
}
