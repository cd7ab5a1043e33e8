/** One line's worth about a trace: what the request list shows. */
import type { DecodedSpan } from "../otlp/decoded-span";
import { entityOf } from "./entity";
import { isLlmSpan, llmCallOf } from "./llm-call";
import { type SpanNode, traceTree } from "./trace-tree";

export interface TraceSummary {
  traceId: string;
  /** The root span's name (`POST /chat`), or the earliest span's. */
  title: string;
  service?: string;
  startNs: bigint;
  durationMs: number;
  httpStatus?: number;
  error: boolean;
  spanCount: number;
  /** Calls to a model: LLM spans with no LLM span under them. */
  llmCalls: number;
  /** Each distinct `provider model` of the LLM calls, in call order. */
  models: string[];
  inputTokens: number;
  outputTokens: number;
}

export function summariseTrace(spans: readonly DecodedSpan[]): TraceSummary {
  const tree = traceTree(spans);
  const root = tree.roots[0]?.span;
  const llms = tree.rows.filter(isModelCall).map((row) => llmCallOf(row.span));
  const status = root?.attributes["http.response.status_code"];
  return {
    traceId: tree.traceId,
    title: root ? titleOf(root) : "",
    service: spans[0]?.resource["service.name"] === undefined ? undefined : String(spans[0].resource["service.name"]),
    startNs: tree.startNs,
    durationMs: Number((tree.endNs - tree.startNs) / 1000n) / 1000,
    httpStatus: typeof status === "number" ? status : undefined,
    error: spans.some((span) => span.status.code === "ERROR"),
    spanCount: spans.length,
    llmCalls: llms.length,
    models: [
      ...new Set(
        llms.map((call) => [call.provider, call.responseModel ?? call.requestModel].filter(Boolean).join(" ")),
      ),
    ],
    inputTokens: llms.reduce((sum, call) => sum + (call.tokens.input ?? 0), 0),
    outputTokens: llms.reduce((sum, call) => sum + (call.tokens.output ?? 0), 0),
  };
}

/**
 * An LLM span with no LLM span under it: one call to a model. (The Vercel AI SDK's `ai.generateText` spans its
 * steps' calls, and counts their tokens again.)
 */
function isModelCall(node: SpanNode): boolean {
  const hasLlmBelow = (parent: SpanNode): boolean =>
    parent.children.some((child) => isLlmSpan(child.span) || hasLlmBelow(child));
  return isLlmSpan(node.span) && !hasLlmBelow(node);
}

function titleOf(span: DecodedSpan): string {
  const entity = entityOf(span);
  return entity ? `${entity.kind} ${entity.name}` : span.name;
}

/** Newest first: by start time, latest first. */
export function newestFirst(a: TraceSummary, b: TraceSummary): number {
  return a.startNs < b.startNs ? 1 : a.startNs > b.startNs ? -1 : 0;
}
