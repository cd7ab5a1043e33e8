/** Runs code inside one traced Workers request and reads its spans back from the OTLP receiver. */
import { expect } from "vitest";
import type { ModaOptions } from "../../src/config/options";
import { withModa } from "../../src/index";
import { type RecordingContext, recordingContext } from "./execution-context";
import { type DecodedSpan, newSink } from "./receiver-client";

export interface TracedRequest<T> {
  /** What the body returned. */
  result: T;
  spans: DecodedSpan[];
  /** The request (SERVER) span. */
  root: DecodedSpan;
  /** The one span with this name; fails the test when there are none or several. */
  named(name: string): DecodedSpan;
  /** The one span whose attribute `key` is `value`. */
  having(key: string, value: unknown): DecodedSpan;
}

export interface TraceRequestOptions {
  /** Worker env entries besides the key and the receiver's URL (`MODA_TRACE_CONTENT`, …). */
  env?: Record<string, string>;
  options?: ModaOptions;
}

/** Exactly `spanCount` spans must arrive, the request span included. */
export async function traceRequest<T>(
  spanCount: number,
  body: () => Promise<T> | T,
  { env = {}, options }: TraceRequestOptions = {},
): Promise<TracedRequest<T>> {
  const sink = newSink();
  let result: T | undefined;
  const worker = withModa(
    {
      async fetch(_request: Request, _env: Record<string, string>, _ctx: RecordingContext) {
        result = await body();
        return new Response("ok");
      },
    },
    options,
  );
  const ctx = recordingContext();
  const request = new Request("https://app.example/run");
  const workerEnv = { MODA_API_KEY: "test-key", MODA_BASE_URL: sink.url, ...env };
  await (await worker.fetch(request, workerEnv, ctx)).text();
  await ctx.settled();
  // Fewer spans than expected: fail naming those that did arrive.
  const spans = await sink.waitForSpans(spanCount, 2_000).catch(() => sink.spans());
  const names = spans.map((s) => s.name);
  expect(names, `spans: ${names.join(", ")}`).toHaveLength(spanCount);
  expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
  const one = (found: DecodedSpan[], what: string): DecodedSpan => {
    expect(found, what).toHaveLength(1);
    return found[0] as DecodedSpan;
  };
  return {
    result: result as T,
    spans,
    root: one(
      spans.filter((s) => s.kind === "SERVER"),
      "the request span",
    ),
    named: (name) =>
      one(
        spans.filter((s) => s.name === name),
        `span "${name}"`,
      ),
    having: (key, value) =>
      one(
        spans.filter((s) => s.attributes[key] === value),
        `span with ${key}=${String(value)}`,
      ),
  };
}

/** Lets the current task end: whatever ran synchronously before is no longer current without AsyncLocalStorage. */
export const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

/** JSON text of an attribute value, parsed. */
export function json(value: unknown): unknown {
  expect(typeof value).toBe("string");
  return JSON.parse(value as string);
}
