/**
 * Prints decoded spans as one tree per trace: request span, then the spans under it, with model, tokens, duration,
 * and under each span the lines `describe` gives (npm run demo: scripts/span-attributes.ts).
 */
import type { DecodedSpan } from "../otlp/decoded-span";
import { textOf } from "./attributes";
import { isLlmSpan, llmCallOf } from "./llm-call";
import { durationMs, groupByTrace, type SpanNode, traceTree } from "./trace-tree";

/** What one line says about a span, beyond its name. */
function details(span: DecodedSpan): string[] {
  const a = span.attributes;
  const parts = [span.kind, `${durationMs(span).toFixed(1)} ms`];
  const status = a["http.response.status_code"];
  if (status !== undefined) parts.push(`HTTP ${status}`);
  if (isLlmSpan(span)) parts.push(...llmDetails(span));
  if (a["moda.span.incomplete"] === true) parts.push("INCOMPLETE");
  if (span.status.code === "ERROR")
    parts.push(`ERROR ${span.status.message || textOf(a, ["error.type"]) || ""}`.trim());
  return parts;
}

function llmDetails(span: DecodedSpan): string[] {
  const call = llmCallOf(span);
  const parts: string[] = [];
  const model = call.responseModel ?? call.requestModel;
  if (call.provider !== undefined || model !== undefined)
    parts.push([call.provider, model].filter((v) => v !== undefined).join(" "));
  const { input, output } = call.tokens;
  if (input !== undefined || output !== undefined) parts.push(`tokens ${input ?? "?"} in / ${output ?? "?"} out`);
  if (call.streamed) {
    const firstChunk = call.timeToFirstChunkMs;
    parts.push(firstChunk === undefined ? "streamed" : `streamed, first chunk ${firstChunk.toFixed(1)} ms`);
  }
  return parts;
}

/** Lines to print under a span (none by default). */
export type Describe = (span: DecodedSpan) => string[];

function printSubtree(node: SpanNode, indent: string, last: boolean, describe: Describe): string[] {
  const lines = [`${indent}${last ? "└─" : "├─"} ${node.span.name}  ${details(node.span).join(" · ")}`];
  const childIndent = `${indent}${last ? "   " : "│  "}`;
  const describedIndent = `${childIndent}${node.children.length > 0 ? "│" : " "}    `;
  lines.push(...describe(node.span).map((described) => `${describedIndent}${described}`.trimEnd()));
  node.children.forEach((child, i) => {
    lines.push(...printSubtree(child, childIndent, i === node.children.length - 1, describe));
  });
  return lines;
}

/** The spans of one trace as a tree; a span whose parent is not among them (a remote parent) is a root. */
function printTrace(spans: DecodedSpan[], describe: Describe): string[] {
  const { roots } = traceTree(spans);
  const service = spans[0]?.resource["service.name"];
  const header = `trace ${spans[0]?.traceId}  (${spans.length} span${spans.length === 1 ? "" : "s"}, service ${service})`;
  return [header, ...roots.flatMap((root, i) => printSubtree(root, "", i === roots.length - 1, describe))];
}

export function formatSpanTree(spans: readonly DecodedSpan[], describe: Describe = () => []): string {
  return groupByTrace(spans)
    .map((trace) => printTrace(trace, describe).join("\n"))
    .join("\n\n");
}
