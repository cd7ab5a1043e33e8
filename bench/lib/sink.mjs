/**
 * An in-process stand-in for every tracing backend (OTLP ingest, LangSmith, Braintrust, Sentry): reads each
 * request body whole, answers 200 — with `{}`, or with the JSON a tracer needs to hear for a path ending in
 * one of `answers`' keys (a login, say) — and counts requests and bytes, keeping the last body (the floor of the
 * CPU measurement sends it again). No network is touched.
 */
export const sinkStats = { requests: 0, bytes: 0, lastBody: undefined };

export function makeSinkFetch(answers = {}) {
  return async function sinkFetch(input, init) {
    const request = new Request(input, init);
    const body = new Uint8Array(await request.arrayBuffer());
    sinkStats.requests++;
    sinkStats.bytes += body.byteLength;
    sinkStats.lastBody = body;
    const path = new URL(request.url).pathname;
    const suffix = Object.keys(answers).find((end) => path.endsWith(end));
    const reply = suffix === undefined ? {} : answers[suffix];
    return new Response(JSON.stringify(reply), { status: 200, headers: { "content-type": "application/json" } });
  };
}

export const sinkFetch = makeSinkFetch();

/** `realFetch`, counting each request and keeping its body as the sink does (without reading it). */
export function countingFetch(realFetch) {
  return (input, init) => {
    sinkStats.requests++;
    sinkStats.bytes += init?.body?.byteLength ?? 0;
    sinkStats.lastBody = init?.body;
    return realFetch(input, init);
  };
}

/** A Sentry transport that counts the envelopes it is handed and drops them. */
export function countingTransport() {
  return {
    async send() {
      sinkStats.requests++;
      return { statusCode: 200 };
    },
    flush: async () => true,
  };
}
