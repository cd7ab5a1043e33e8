import { warnOnce } from "./debug";

/**
 * Runs tracer work so that its failure never reaches the user: the error is reported once and `fallback`
 * returned instead.
 */
export function safely<T>(what: string, work: () => T, fallback: T): T {
  try {
    return work();
  } catch (error) {
    reportInternalError(what, error);
    return fallback;
  }
}

/** Says once that tracer work failed; for hot paths that catch inline rather than allocate a closure for `safely`. */
export function reportInternalError(what: string, error: unknown): void {
  warnOnce(`internal:${what}`, `internal error in ${what} (tracing continues without it): ${String(error)}`);
}
