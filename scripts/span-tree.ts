/**
 * Prints decoded spans as one tree per trace: request span, then the spans under it, with model, tokens, duration,
 * and under each span the lines `describe` gives (scripts/span-attributes.ts).
 */
import type { DecodedAttributes, DecodedSpan, DecodedValue } from "../test/support/otlp-types";

export function durationMs(span: DecodedSpan): number {
  return Number((BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1000n) / 1000;
}

function first(attributes: DecodedAttributes, names: readonly string[]): DecodedValue | undefined {
  for (const name of names) if (attributes[name] !== undefined) return attributes[name];
  return undefined;
}

const INPUT_TOKENS = [
  "gen_ai.usage.input_tokens",
  "llm.usage.prompt_tokens",
  "ai.usage.inputTokens",
  "ai.usage.promptTokens",
];
const OUTPUT_TOKENS = [
  "gen_ai.usage.output_tokens",
  "llm.usage.completion_tokens",
  "ai.usage.outputTokens",
  "ai.usage.completionTokens",
];

/** What one line says about a span, beyond its name. */
function details(span: DecodedSpan): string[] {
  const a = span.attributes;
  const parts = [span.kind, `${durationMs(span).toFixed(1)} ms`];
  const status = a["http.response.status_code"];
  if (status !== undefined) parts.push(`HTTP ${status}`);
  const provider = first(a, ["gen_ai.provider.name", "gen_ai.system", "llm.system"]);
  const model = first(a, ["gen_ai.response.model", "llm.response.model", "gen_ai.request.model", "ai.model.id"]);
  if (provider !== undefined || model !== undefined)
    parts.push([provider, model].filter((v) => v !== undefined).join(" "));
  const input = first(a, INPUT_TOKENS);
  const output = first(a, OUTPUT_TOKENS);
  if (input !== undefined || output !== undefined) parts.push(`tokens ${input ?? "?"} in / ${output ?? "?"} out`);
  if (a["gen_ai.request.stream"] === true) {
    const firstChunk = a["gen_ai.response.time_to_first_chunk"];
    parts.push(
      typeof firstChunk === "number" ? `streamed, first chunk ${(firstChunk * 1000).toFixed(1)} ms` : "streamed",
    );
  }
  if (a["moda.span.incomplete"] === true) parts.push("INCOMPLETE");
  if (span.status.code === "ERROR") parts.push(`ERROR ${span.status.message || String(a["error.type"] ?? "")}`.trim());
  return parts;
}

function byStart(a: DecodedSpan, b: DecodedSpan): number {
  const diff = BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/** Lines to print under a span (none by default). */
export type Describe = (span: DecodedSpan) => string[];

function printSubtree(
  span: DecodedSpan,
  children: Map<string, DecodedSpan[]>,
  indent: string,
  last: boolean,
  describe: Describe,
): string[] {
  const lines = [`${indent}${last ? "└─" : "├─"} ${span.name}  ${details(span).join(" · ")}`];
  const kids = (children.get(span.spanId) ?? []).sort(byStart);
  const childIndent = `${indent}${last ? "   " : "│  "}`;
  const describedIndent = `${childIndent}${kids.length > 0 ? "│" : " "}    `;
  lines.push(...describe(span).map((described) => `${describedIndent}${described}`.trimEnd()));
  kids.forEach((kid, i) => {
    lines.push(...printSubtree(kid, children, childIndent, i === kids.length - 1, describe));
  });
  return lines;
}

/** The spans of one trace as a tree; a span whose parent is not among them (a remote parent) is a root. */
function printTrace(spans: DecodedSpan[], describe: Describe): string[] {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string, DecodedSpan[]>();
  const roots: DecodedSpan[] = [];
  for (const span of spans) {
    if (span.parentSpanId && ids.has(span.parentSpanId)) {
      children.set(span.parentSpanId, [...(children.get(span.parentSpanId) ?? []), span]);
    } else roots.push(span);
  }
  const service = spans[0]?.resource["service.name"];
  const header = `trace ${spans[0]?.traceId}  (${spans.length} span${spans.length === 1 ? "" : "s"}, service ${service})`;
  return [
    header,
    ...roots.sort(byStart).flatMap((root, i) => printSubtree(root, children, "", i === roots.length - 1, describe)),
  ];
}

/** Groups spans by trace, traces in the order they started. */
export function groupByTrace(spans: readonly DecodedSpan[]): DecodedSpan[][] {
  const traces = new Map<string, DecodedSpan[]>();
  for (const span of spans) traces.set(span.traceId, [...(traces.get(span.traceId) ?? []), span]);
  const earliest = (trace: DecodedSpan[]) => trace.reduce((min, s) => (byStart(s, min) < 0 ? s : min));
  return [...traces.values()].sort((a, b) => byStart(earliest(a), earliest(b)));
}

export function formatSpanTree(spans: readonly DecodedSpan[], describe: Describe = () => []): string {
  return groupByTrace(spans)
    .map((trace) => printTrace(trace, describe).join("\n"))
    .join("\n\n");
}
