/**
 * What a 128 KB `tracestate` costs a request (issue 24's budget: ≤ 2 ms), the same code in Node and in workerd: one
 * `withModa` handler answering at once, served requests that carry a valid `traceparent`, alternately with and without
 * the header, in rounds (see alternating-rounds.mjs; its "untraced" rounds are the ones without the header). The
 * requests are built before their round is timed: building a Request with a 128 KB header is the caller's cost.
 */
import { withModa } from "../../dist/index.js";
import { alternatingRounds } from "./alternating-rounds.mjs";
import { executionContext } from "./execution-context.mjs";
import { MODA_ENV } from "./traced-request.mjs";

export const TRACESTATE_BYTES = 128 * 1024;
const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

/**
 * 128 KB of small members with upper-case keys, none of them valid, so that none is kept early (with valid keys, the
 * same header was the old parser's quadratic case).
 */
export function hostileTracestate() {
  const members = [];
  let length = -1;
  for (let i = 0; length < TRACESTATE_BYTES; i++) {
    const member = `K${i}=${i}`;
    members.push(member);
    length += member.length + 1;
  }
  return members.join(",").slice(0, TRACESTATE_BYTES);
}

function requests(count, headers) {
  return Array.from({ length: count }, () => new Request("https://app.bench.invalid/", { headers }));
}

/** One round of `count` requests with `headers`, in µs per request; the exports are awaited after, untimed. */
async function timeRound(handler, count, headers) {
  const batch = requests(count, headers);
  const { ctx, settled } = executionContext();
  const started = performance.now();
  for (const request of batch) await (await handler.fetch(request, MODA_ENV, ctx)).arrayBuffer();
  const perRequestUs = ((performance.now() - started) * 1000) / count;
  await settled();
  return perRequestUs;
}

/** `options.rounds` timed rounds of `options.requests` requests each way: the header's added µs per request. */
export function measureTracestate(options) {
  // Every request exported, as before requests without an LLM call stayed home: the header is read by the export too.
  const handler = withModa({ fetch: () => new Response("ok") }, { exportAllRequests: true });
  const withHeader = { traceparent: TRACEPARENT, tracestate: hostileTracestate() };
  const without = { traceparent: TRACEPARENT };
  return alternatingRounds((rounds, count) => timeRound(handler, count, rounds === "traced" ? withHeader : without), {
    rounds: options.rounds,
    count: options.requests,
  });
}
