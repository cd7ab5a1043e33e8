/** What part a span plays, for its colour and label: an LLM call, an entity (workflow/task/agent/tool), a request. */
import type { DecodedSpan } from "../otlp/decoded-span";
import { type EntityKind, entityOf } from "./entity";
import { isLlmSpan } from "./llm-call";

export type SpanRole = "llm" | EntityKind | "request" | "span";

export function roleOf(span: DecodedSpan): SpanRole {
  if (isLlmSpan(span)) return "llm";
  const entity = entityOf(span);
  if (entity) return entity.kind;
  if (span.kind === "SERVER" || span.kind === "CONSUMER" || span.parentSpanId === "") return "request";
  return "span";
}

export const ROLE_LABELS: Record<SpanRole, string> = {
  llm: "LLM",
  workflow: "workflow",
  task: "task",
  agent: "agent",
  tool: "tool",
  request: "request",
  span: "span",
};
