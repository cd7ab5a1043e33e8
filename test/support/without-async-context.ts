import { afterAll, beforeAll, beforeEach } from "vitest";
import { useAsyncLocalStorage } from "../../src/core/context";
import { forgetRequestsBegun } from "../../src/core/scopes-in-flight";

/**
 * Runs the calling file's suites without AsyncLocalStorage, although every runtime the tests run in has one to
 * find: the rules for spans whose parent only the synchronous call tree knows (docs/nesting.md, "Without one").
 * Each test is an isolate of its own: the requests of earlier tests (each with its own receiver, so other export
 * settings) would otherwise forbid every guess (docs/architecture.md, "Finding a span's request").
 */
export function withoutAsyncLocalStorage(): void {
  beforeAll(() => useAsyncLocalStorage(null));
  beforeEach(() => forgetRequestsBegun());
  afterAll(() => useAsyncLocalStorage(undefined));
}
