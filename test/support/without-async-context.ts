import { afterAll, beforeAll } from "vitest";
import { useAsyncLocalStorage } from "../../src/core/context";

/**
 * Runs the calling file's suites without AsyncLocalStorage, although every runtime the tests run in has one to
 * find: the rules for spans whose parent only the synchronous call tree knows (docs/nesting.md, "Without one").
 */
export function withoutAsyncLocalStorage(): void {
  beforeAll(() => useAsyncLocalStorage(null));
  afterAll(() => useAsyncLocalStorage(undefined));
}
