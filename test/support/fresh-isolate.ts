/**
 * A fresh copy of the library, as a new isolate would load it: its module state (requests in flight, the
 * background scope, warnings already given, the AsyncLocalStorage found) starts empty. For tests of rules
 * that depend on what the isolate has seen.
 */
import { vi } from "vitest";

export type Moda = typeof import("../../src/index");
export type Context = typeof import("../../src/core/context");

export interface Isolate {
  readonly moda: Moda;
  /** The tracer's context module of this copy: to check or choose its AsyncLocalStorage. */
  readonly context: Context;
}

export async function freshIsolate(): Promise<Isolate> {
  vi.resetModules();
  const [moda, context] = await Promise.all([import("../../src/index"), import("../../src/core/context")]);
  return { moda, context };
}
