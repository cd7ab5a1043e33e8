/**
 * One traced request, and every field of what reached the receiver: each export body as the independent decoder
 * reads it in full (otlp-decode-full.ts), links, dropped counts and all.
 */
import type { ModaOptions } from "../../src/config/options";
import { withModa } from "../../src/index";
import { recordingContext, type TestWorker } from "./execution-context";
import { newSink } from "./receiver-client";

export interface TracedExports<T> {
  /** What the handler's body returned; undefined when it threw. */
  result: T | undefined;
  /** What it threw, which went on to the caller (the test). */
  thrown: unknown;
  exports: unknown[];
}

/** Serves one request (to `url`, with `headers`) to a `withModa` handler running `body`, then reads what was exported. */
export async function tracedExports<T>(
  body: (request: Request) => Promise<T>,
  {
    options,
    headers = {},
    url = "https://app.example/run",
  }: { options?: ModaOptions; headers?: Record<string, string>; url?: string } = {},
): Promise<TracedExports<T>> {
  const sink = newSink();
  let result: T | undefined;
  const worker = withModa<TestWorker>(
    {
      async fetch(request) {
        result = await body(request);
        return new Response("ok");
      },
    },
    options,
  );
  const ctx = recordingContext();
  // Every request, its request span included, whatever it did: these suites read all that could leave.
  const env = { MODA_API_KEY: "moda-test-key", MODA_BASE_URL: sink.url, MODA_EXPORT_ALL_REQUESTS: "true" };
  let thrown: unknown;
  try {
    await (await worker.fetch(new Request(url, { headers }), env, ctx)).text();
  } catch (error) {
    thrown = error;
  }
  await ctx.settled();
  return { result, thrown, exports: await sink.exports() };
}

export interface FullKeyValue {
  key: string;
  value?: { stringValue?: string; arrayValue?: { values?: { stringValue?: string }[] } };
}

export interface FullSpan {
  name?: string;
  droppedAttributesCount?: number;
  attributes?: FullKeyValue[];
  events?: { name?: string; attributes?: FullKeyValue[] }[];
  links?: { attributes?: FullKeyValue[] }[];
  status?: { message?: string };
}

/** The spans of decoded export bodies (resourceSpans → scopeSpans → spans). */
export function spansOfExports(exports: unknown[]): FullSpan[] {
  type Body = { resourceSpans?: { scopeSpans?: { spans?: FullSpan[] }[] }[] };
  return (exports as Body[]).flatMap((body) =>
    (body.resourceSpans ?? []).flatMap((resource) => (resource.scopeSpans ?? []).flatMap((scope) => scope.spans ?? [])),
  );
}
