/**
 * What a workflow, task, agent or tool span says about itself: Traceloop's entity attributes
 * (`traceloop.entity.*`), else the GenAI conventions' agent, workflow and tool attributes, else the Vercel AI SDK's
 * tool call (`ai.toolCall.*`).
 */
import type { DecodedSpan } from "../otlp/decoded-span";
import { parsedJson, textOf } from "./attributes";

export type EntityKind = "workflow" | "task" | "agent" | "tool";

export interface Entity {
  kind: EntityKind;
  name: string;
  version?: string;
  /** The enclosing tasks and tools. */
  path?: string;
  toolCallId?: string;
  /** Parsed JSON when the value was JSON; undefined when not sent (content off). */
  input?: unknown;
  output?: unknown;
}

const KINDS_BY_OPERATION: Record<string, EntityKind> = {
  invoke_workflow: "workflow",
  invoke_agent: "agent",
  execute_tool: "tool",
};

function kindOf(span: DecodedSpan): EntityKind | undefined {
  if (span.attributes["ai.operationId"] === "ai.toolCall") return "tool";
  const kind = span.attributes["traceloop.span.kind"];
  if (kind === "workflow" || kind === "task" || kind === "agent" || kind === "tool") return kind;
  const operation = span.attributes["gen_ai.operation.name"];
  return typeof operation === "string" ? KINDS_BY_OPERATION[operation] : undefined;
}

export function entityOf(span: DecodedSpan): Entity | undefined {
  const kind = kindOf(span);
  if (kind === undefined) return undefined;
  const a = span.attributes;
  // A tool's own arguments read better than Traceloop's `{ args, kwargs }` around them.
  const input = a["gen_ai.tool.call.arguments"] ?? a["traceloop.entity.input"] ?? a["ai.toolCall.args"];
  const output = a["gen_ai.tool.call.result"] ?? a["traceloop.entity.output"] ?? a["ai.toolCall.result"];
  return {
    kind,
    name:
      textOf(a, [
        "traceloop.entity.name",
        "gen_ai.agent.name",
        "gen_ai.workflow.name",
        "gen_ai.tool.name",
        "ai.toolCall.name",
      ]) ?? span.name,
    version: textOf(a, ["traceloop.entity.version", "gen_ai.agent.version"]),
    path: textOf(a, ["traceloop.entity.path"]),
    toolCallId: textOf(a, ["gen_ai.tool.call.id", "ai.toolCall.id"]),
    input: input === undefined ? undefined : parsedJson(input),
    output: output === undefined ? undefined : parsedJson(output),
  };
}
