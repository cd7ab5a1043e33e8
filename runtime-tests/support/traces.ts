/**
 * Reading the decoded spans of the apps the runtime tests serve (the example apps, the Bun and Deno app): grouping by
 * trace, finding a trace's root and children, and the checks those suites share.
 */
import { expect } from "vitest";
import { groupByTrace } from "../../cli/view/trace-tree";
import type { DecodedSpan } from "../../test/support/otlp-types";
import type { RelayedStream } from "./paced-relay";

export interface Trace {
  root: DecodedSpan;
  spans: DecodedSpan[];
  childrenOf(span: DecodedSpan): DecodedSpan[];
  named(name: string): DecodedSpan;
}

function asTrace(spans: DecodedSpan[]): Trace {
  const roots = spans.filter((span) => span.parentSpanId === "");
  expect(roots, "each trace has exactly one root span").toHaveLength(1);
  const root = roots[0] as DecodedSpan;
  return {
    root,
    spans,
    childrenOf: (parent) => spans.filter((span) => span.parentSpanId === parent.spanId),
    named(name) {
      const found = spans.filter((span) => span.name === name);
      expect(
        found.map((span) => span.name),
        `one span named ${name}`,
      ).toEqual([name]);
      return found[0] as DecodedSpan;
    },
  };
}

/** The traces among `spans`, each checked to have one root. */
export function tracesOf(spans: DecodedSpan[]): Trace[] {
  return groupByTrace(spans).map(asTrace);
}

/** The only trace among `spans`. */
export function onlyTrace(spans: DecodedSpan[]): Trace {
  const traces = tracesOf(spans);
  expect(traces.map((trace) => trace.root.name)).toHaveLength(1);
  return traces[0] as Trace;
}

/** The LLM spans (kind CLIENT with a GenAI operation) of a trace. */
export function llmSpans(trace: Trace): DecodedSpan[] {
  return trace.spans.filter((span) => span.kind === "CLIENT" && span.attributes["gen_ai.operation.name"] !== undefined);
}

function endMs(span: DecodedSpan): number {
  return Number(BigInt(span.endTimeUnixNano) / 1_000_000n);
}

/**
 * How far apart the test's clock and the app's may read the same moment (they are read in different processes,
 * one with Date.now(), one with performance.timeOrigin + now()).
 */
const CLOCK_SLACK_MS = 10;

/**
 * The request span `root` ended with its streamed response, not when the handler returned: no earlier than the
 * relay wrote the provider's last frame, which the app had to read before it could end its response. The relay
 * holds each frame 50 ms, so a span that ended when the handler returned (at the first frame) ends long before.
 */
export function expectEndedWithStream(root: DecodedSpan, relayed: RelayedStream): void {
  expect(relayed.frames).toBeGreaterThanOrEqual(3);
  expect(endMs(root)).toBeGreaterThanOrEqual(relayed.lastFrameAt - CLOCK_SLACK_MS);
}

/** What a served app's chat route answers: the text, and the provider's token counts. */
export interface ChatAnswer {
  answer: string;
  usage: { prompt_tokens: number; completion_tokens: number };
}

/**
 * A chat request's trace: the `route` request span is the root and answered 200 for `serviceName`, with one LLM span,
 * the OpenAI call, under `parent` (default: the root), carrying the tokens the provider reported in `answer`. The LLM
 * span, for more checks.
 */
export function expectChatTrace(
  trace: Trace,
  route: string,
  serviceName: string,
  answer: ChatAnswer,
  parent: DecodedSpan = trace.root,
): DecodedSpan {
  expect(trace.root).toMatchObject({ name: route, kind: "SERVER" });
  expect(trace.root.attributes["http.response.status_code"]).toBe(200);
  expect(trace.root.resource["service.name"]).toBe(serviceName);
  const [llm, ...others] = llmSpans(trace);
  expect(others).toEqual([]);
  expect(llm?.parentSpanId).toBe(parent.spanId);
  expect(llm?.attributes).toMatchObject({
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": "gpt-4o-mini",
    "gen_ai.usage.input_tokens": answer.usage.prompt_tokens,
    "gen_ai.usage.output_tokens": answer.usage.completion_tokens,
  });
  return llm as DecodedSpan;
}
