import type { Attributes, AttributeValue } from "@opentelemetry/api";
import type { ContextValues } from "../core/context";
import {
  GEN_AI_CONVERSATION_ID,
  GEN_AI_OPERATION_NAME,
  MODA_CONVERSATION_ID,
  MODA_USER_ID,
  TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX,
  TRACELOOP_WORKFLOW_NAME,
} from "./llm-attributes";

/**
 * Attribute names and values of the spans `workflow`, `task`, `agent` and `tool` make: Traceloop's entity
 * attributes (the `moda` family) and the GenAI conventions' agent and framework spans (v1.41, `gen_ai`).
 * The names they share with LLM spans live in llm-attributes.ts.
 */

export const TRACELOOP_SPAN_KIND = "traceloop.span.kind";
export const TRACELOOP_ENTITY_NAME = "traceloop.entity.name";
export const TRACELOOP_ENTITY_INPUT = "traceloop.entity.input";
export const TRACELOOP_ENTITY_OUTPUT = "traceloop.entity.output";
export const TRACELOOP_ENTITY_PATH = "traceloop.entity.path";
export const TRACELOOP_ENTITY_VERSION = "traceloop.entity.version";

export const GEN_AI_WORKFLOW_NAME = "gen_ai.workflow.name";
export const GEN_AI_AGENT_NAME = "gen_ai.agent.name";
export const GEN_AI_AGENT_VERSION = "gen_ai.agent.version";
export const GEN_AI_TOOL_NAME = "gen_ai.tool.name";
export const GEN_AI_TOOL_TYPE = "gen_ai.tool.type";
export const GEN_AI_TOOL_CALL_ID = "gen_ai.tool.call.id";
export const GEN_AI_TOOL_CALL_ARGUMENTS = "gen_ai.tool.call.arguments";
export const GEN_AI_TOOL_CALL_RESULT = "gen_ai.tool.call.result";

export const OPERATION_INVOKE_WORKFLOW = "invoke_workflow";
export const OPERATION_INVOKE_AGENT = "invoke_agent";
export const OPERATION_EXECUTE_TOOL = "execute_tool";
/** A function the application runs itself, as opposed to a provider's built-in tool. */
export const TOOL_TYPE_FUNCTION = "function";

/** Traceloop's span kinds, which are also the names of the four wrappers. */
export type EntityKind = "workflow" | "task" | "agent" | "tool";

/** What names an entity span. */
export interface EntityIdentity {
  readonly kind: EntityKind;
  readonly name: string;
  readonly version?: string | number;
}

/** What one call of an entity says about itself, besides its content. */
export interface EntityCall {
  /** The model's id of the tool call a tool span executes. */
  readonly toolCallId?: string;
}

/** The GenAI operation of each kind; a task has none. */
const GEN_AI_OPERATIONS: Readonly<Record<EntityKind, string | undefined>> = {
  workflow: OPERATION_INVOKE_WORKFLOW,
  agent: OPERATION_INVOKE_AGENT,
  tool: OPERATION_EXECUTE_TOOL,
  task: undefined,
};

/** `invoke_agent planner` where the GenAI conventions name the operation, else Traceloop's `planner.agent`. */
export function entitySpanName({ kind, name }: EntityIdentity, genAi: boolean): string {
  const operation = GEN_AI_OPERATIONS[kind];
  return genAi && operation ? `${operation} ${name}` : `${name}.${kind}`;
}

/** Traceloop's identity attributes; `path` is the chain of enclosing tasks and tools. */
export function traceloopEntityAttributes(identity: EntityIdentity, path: string | undefined): Attributes {
  const attributes: Attributes = {
    [TRACELOOP_SPAN_KIND]: identity.kind,
    [TRACELOOP_ENTITY_NAME]: identity.name,
  };
  put(attributes, TRACELOOP_ENTITY_PATH, path || undefined);
  put(attributes, TRACELOOP_ENTITY_VERSION, identity.version);
  return attributes;
}

/** The GenAI conventions' identity attributes of the agent, workflow and tool spans. */
export function genAiEntityAttributes({ kind, name, version }: EntityIdentity, call: EntityCall): Attributes {
  const operation = GEN_AI_OPERATIONS[kind];
  if (!operation) return {};
  const attributes: Attributes = { [GEN_AI_OPERATION_NAME]: operation };
  if (kind === "workflow") attributes[GEN_AI_WORKFLOW_NAME] = name;
  if (kind === "agent") {
    attributes[GEN_AI_AGENT_NAME] = name;
    put(attributes, GEN_AI_AGENT_VERSION, version === undefined ? undefined : String(version));
  }
  if (kind === "tool") {
    attributes[GEN_AI_TOOL_NAME] = name;
    attributes[GEN_AI_TOOL_TYPE] = TOOL_TYPE_FUNCTION;
    put(attributes, GEN_AI_TOOL_CALL_ID, call.toolCallId);
  }
  return attributes;
}

/** Which attribute families a span is written in (`config.semconv`). */
export interface Families {
  readonly traceloop: boolean;
  readonly genAi: boolean;
}

/** Traceloop's input around the JSON text of its arguments: `{"args":[…],"kwargs":{}}`, or `{"args":[],"kwargs":{…}}`. */
export function traceloopInputJson(keywords: boolean, json: string): string {
  return keywords ? `{"args":[],"kwargs":${json}}` : `{"args":${json},"kwargs":{}}`;
}

/** The characters `traceloopInputJson` adds around the arguments. */
export const TRACELOOP_INPUT_FRAME_LENGTH = traceloopInputJson(true, "").length;

/** Traceloop's input on every entity, the GenAI tool call's arguments on tools. Values are JSON text, made on demand. */
export function entityInputAttributes(
  kind: EntityKind,
  families: Families,
  json: { traceloop: () => string; toolArguments: () => string },
): Attributes {
  const attributes: Attributes = {};
  if (families.traceloop) attributes[TRACELOOP_ENTITY_INPUT] = json.traceloop();
  if (families.genAi && kind === "tool") attributes[GEN_AI_TOOL_CALL_ARGUMENTS] = json.toolArguments();
  return attributes;
}

/** Traceloop's output on every entity, the GenAI tool call's result on tools: the same JSON text. */
export function entityOutputAttributes(kind: EntityKind, families: Families, json: () => string): Attributes {
  const attributes: Attributes = {};
  if (families.traceloop) attributes[TRACELOOP_ENTITY_OUTPUT] = json();
  if (families.genAi && kind === "tool")
    attributes[GEN_AI_TOOL_CALL_RESULT] = attributes[TRACELOOP_ENTITY_OUTPUT] ?? json();
  return attributes;
}

/**
 * What flows down the call tree onto every span below it: the workflow name, the association properties, and
 * the conversation and user ids given explicitly (an explicit conversation id is the one `gen_ai.conversation.id`
 * may carry).
 */
export function propagatedAttributes(values: ContextValues, genAi: boolean): Attributes {
  const attributes: Attributes = {};
  put(attributes, TRACELOOP_WORKFLOW_NAME, values.workflowName);
  put(attributes, MODA_CONVERSATION_ID, values.conversationId);
  if (genAi) put(attributes, GEN_AI_CONVERSATION_ID, values.conversationId);
  put(attributes, MODA_USER_ID, values.userId);
  for (const [key, value] of Object.entries(values.associationProperties ?? {})) {
    attributes[TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX + key] = value;
  }
  return attributes;
}

function put(attributes: Attributes, name: string, value: AttributeValue | undefined): void {
  if (value !== undefined) attributes[name] = value;
}
