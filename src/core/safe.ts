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

/**
 * Says once that tracer work failed; for hot paths that catch inline rather than allocate a closure for `safely`.
 * The error is named by its type only: it may come from the application's values (a Proxy's trap, a getter), and
 * its message may quote them.
 */
export function reportInternalError(what: string, error: unknown): void {
  warnOnce(`internal:${what}`, `internal error in ${what} (tracing continues without it): ${errorType(error)}`);
}

function errorType(error: unknown): string {
  try {
    const name: unknown = error instanceof Error ? error.name : undefined;
    return typeof name === "string" ? name : typeof error;
  } catch {
    return "an unreadable value";
  }
}
