import { afterEach, beforeEach } from "vitest";
import { sinkFetch } from "../lib/sink.mjs";

/** Points the global `fetch` at the in-process sink for each test of the file, as the bench's sections do. */
export function useSinkFetch(): void {
  const realFetch = globalThis.fetch;
  beforeEach(() => {
    globalThis.fetch = sinkFetch;
  });
  afterEach(() => {
    globalThis.fetch = realFetch;
  });
}
