import type { Attributes, AttributeValue, SpanStatus } from "@opentelemetry/api";
import type { ResolvedConfig } from "./config";
import {
  ContentLimiter,
  type ExportedMessage,
  type ExportedPart,
  exportMessages,
  exportOutputMessages,
  exportParts,
  exportToolDefinitions,
  redactAttributes,
} from "./content-policy";
import { type ConversationId, conversationIdOf } from "./conversation-id";
import type { LlmCall, Operation, RequestParams } from "./llm-call";
import { SpanStatusCode } from "./otel";

/*
 * Every attribute name the tracer writes lives here. Two families:
 *  - `gen_ai`: OpenTelemetry GenAI semantic conventions v1.41;
 *  - `moda`: the `llm.*` names Moda documents (OpenLLMetry's older names; Moda's own SDK writes them).
 * Server, error, Moda and Traceloop association attributes are written whatever the families.
 */

// OpenTelemetry general
export const SERVER_ADDRESS = "server.address";
export const SERVER_PORT = "server.port";
export const ERROR_TYPE = "error.type";
/** The provider's HTTP status on a failed call (OTel HTTP client conventions). */
export const HTTP_RESPONSE_STATUS_CODE = "http.response.status_code";

// OpenTelemetry GenAI v1.41
export const GEN_AI_OPERATION_NAME = "gen_ai.operation.name";
export const GEN_AI_PROVIDER_NAME = "gen_ai.provider.name";
export const GEN_AI_CONVERSATION_ID = "gen_ai.conversation.id";
export const GEN_AI_OUTPUT_TYPE = "gen_ai.output.type";
export const GEN_AI_REQUEST_MODEL = "gen_ai.request.model";
export const GEN_AI_REQUEST_TEMPERATURE = "gen_ai.request.temperature";
export const GEN_AI_REQUEST_TOP_P = "gen_ai.request.top_p";
export const GEN_AI_REQUEST_TOP_K = "gen_ai.request.top_k";
export const GEN_AI_REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens";
export const GEN_AI_REQUEST_STOP_SEQUENCES = "gen_ai.request.stop_sequences";
export const GEN_AI_REQUEST_SEED = "gen_ai.request.seed";
export const GEN_AI_REQUEST_FREQUENCY_PENALTY = "gen_ai.request.frequency_penalty";
export const GEN_AI_REQUEST_PRESENCE_PENALTY = "gen_ai.request.presence_penalty";
export const GEN_AI_REQUEST_CHOICE_COUNT = "gen_ai.request.choice.count";
export const GEN_AI_REQUEST_STREAM = "gen_ai.request.stream";
export const GEN_AI_REQUEST_ENCODING_FORMATS = "gen_ai.request.encoding_formats";
export const GEN_AI_EMBEDDINGS_DIMENSION_COUNT = "gen_ai.embeddings.dimension.count";
export const GEN_AI_RESPONSE_ID = "gen_ai.response.id";
export const GEN_AI_RESPONSE_MODEL = "gen_ai.response.model";
export const GEN_AI_RESPONSE_FINISH_REASONS = "gen_ai.response.finish_reasons";
/** Seconds from the request to the first streamed chunk. */
export const GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK = "gen_ai.response.time_to_first_chunk";
/** All input tokens, cached ones included. */
export const GEN_AI_USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
export const GEN_AI_USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
export const GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = "gen_ai.usage.cache_read.input_tokens";
export const GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS = "gen_ai.usage.cache_creation.input_tokens";
export const GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = "gen_ai.usage.reasoning.output_tokens";
export const GEN_AI_INPUT_MESSAGES = "gen_ai.input.messages";
export const GEN_AI_OUTPUT_MESSAGES = "gen_ai.output.messages";
export const GEN_AI_SYSTEM_INSTRUCTIONS = "gen_ai.system_instructions";
export const GEN_AI_TOOL_DEFINITIONS = "gen_ai.tool.definitions";

// Moda's documented names
/** Moda's docs name `llm.system`, its TypeScript SDK sends `llm.vendor`: both carry the provider. */
export const LLM_SYSTEM = "llm.system";
export const LLM_VENDOR = "llm.vendor";
export const LLM_REQUEST_TYPE = "llm.request.type";
export const LLM_REQUEST_MODEL = "llm.request.model";
export const LLM_REQUEST_MAX_TOKENS = "llm.request.max_tokens";
export const LLM_REQUEST_TEMPERATURE = "llm.request.temperature";
export const LLM_REQUEST_STREAMING = "llm.request.streaming";
export const LLM_RESPONSE_MODEL = "llm.response.model";
export const LLM_RESPONSE_FINISH_REASON = "llm.response.finish_reason";
export const LLM_USAGE_PROMPT_TOKENS = "llm.usage.prompt_tokens";
export const LLM_USAGE_COMPLETION_TOKENS = "llm.usage.completion_tokens";
export const LLM_USAGE_TOTAL_TOKENS = "llm.usage.total_tokens";
export const LLM_USAGE_REASONING_TOKENS = "llm.usage.reasoning_tokens";
export const LLM_USAGE_CACHE_READ_INPUT_TOKENS = "llm.usage.cache_read_input_tokens";
export const LLM_USAGE_CACHE_CREATION_INPUT_TOKENS = "llm.usage.cache_creation_input_tokens";
const LLM_PROMPTS = "llm.prompts";
const LLM_COMPLETIONS = "llm.completions";

/** `llm.prompts.{index}.role` / `.content`. */
export function llmPromptAttribute(index: number, field: "role" | "content"): string {
  return `${LLM_PROMPTS}.${index}.${field}`;
}

/** `llm.completions.{index}.role` / `.content`. */
export function llmCompletionAttribute(index: number, field: "role" | "content"): string {
  return `${LLM_COMPLETIONS}.${index}.${field}`;
}

// Moda
export const MODA_CONVERSATION_ID = "moda.conversation_id";
export const MODA_USER_ID = "moda.user_id";
/**
 * True when the caller stopped reading a streamed response before its end. Neither Moda nor OpenLLMetry has
 * a name for this; it is not an error (status stays unset), so it needs an attribute of its own.
 */
export const MODA_STREAM_CANCELLED = "moda.stream.cancelled";

// Traceloop entity attributes (workflow, task, agent and tool spans)
export const TRACELOOP_SPAN_KIND = "traceloop.span.kind";
export const TRACELOOP_WORKFLOW_NAME = "traceloop.workflow.name";
export const TRACELOOP_ENTITY_NAME = "traceloop.entity.name";
export const TRACELOOP_ENTITY_INPUT = "traceloop.entity.input";
export const TRACELOOP_ENTITY_OUTPUT = "traceloop.entity.output";
/** Followed by the property's key: `traceloop.association.properties.<key>`. */
export const TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX = "traceloop.association.properties.";

/** Attributes that carry prompts, completions or tool definitions: what a failed `redact` hook takes away. */
export function isContentAttribute(name: string): boolean {
  return (
    name === GEN_AI_INPUT_MESSAGES ||
    name === GEN_AI_OUTPUT_MESSAGES ||
    name === GEN_AI_SYSTEM_INSTRUCTIONS ||
    name === GEN_AI_TOOL_DEFINITIONS ||
    name.startsWith(`${LLM_PROMPTS}.`) ||
    name.startsWith(`${LLM_COMPLETIONS}.`)
  );
}

export interface PropagatedValues {
  conversationId?: string;
  userId?: string;
  workflowName?: string;
  associationProperties?: Readonly<Record<string, string>>;
}

export interface LlmSpanDescription {
  name: string;
  attributes: Attributes;
  status: SpanStatus;
  droppedAttributesCount: number;
}

/** Span name `{operation} {model}` (operation alone when no model). Cheap, sync: used when the span starts. */
export function llmSpanName(call: LlmCall): string {
  return call.request.model ? `${call.operation} ${call.request.model}` : call.operation;
}

/**
 * The one mapping LlmCall → span name, status and attributes (both families, per `config.semconv`).
 * Async only because the conversation id hashes with crypto.subtle.
 */
export async function describeLlmCall(
  call: LlmCall,
  config: ResolvedConfig,
  propagated: PropagatedValues,
): Promise<LlmSpanDescription> {
  const conversation = await conversationIdOf(call, propagated.conversationId);
  const context: DescribeContext = {
    call,
    config,
    conversation,
    content: config.traceContent ? exportContent(call, config.captureBinary) : undefined,
    limiter: new ContentLimiter(config.limits.maxAttributeLength),
  };
  const attributes: Attributes = {};
  commonAttributes(attributes, call, propagated, conversation);
  if (config.semconv.has("gen_ai")) genAiAttributes(attributes, context);
  if (config.semconv.has("moda")) modaAttributes(attributes, context);
  return {
    name: llmSpanName(call),
    attributes: redactAttributes(attributes, config.redact, isContentAttribute),
    status: statusOf(call),
    droppedAttributesCount: context.limiter.droppedCount,
  };
}

interface ExportedContent {
  systemInstructions: ExportedPart[];
  inputMessages: ExportedMessage[];
  outputMessages: ExportedMessage[];
}

interface DescribeContext {
  call: LlmCall;
  config: ResolvedConfig;
  conversation: ConversationId;
  /** Undefined when content is not traced. */
  content: ExportedContent | undefined;
  limiter: ContentLimiter;
}

function exportContent(call: LlmCall, captureBinary: boolean): ExportedContent {
  return {
    systemInstructions: exportParts(call.systemInstructions ?? [], captureBinary),
    inputMessages: exportMessages(call.inputMessages ?? [], captureBinary),
    outputMessages: exportOutputMessages(call.outputMessages ?? [], captureBinary),
  };
}

function commonAttributes(
  attributes: Attributes,
  call: LlmCall,
  propagated: PropagatedValues,
  conversation: ConversationId,
): void {
  put(attributes, SERVER_ADDRESS, call.serverAddress);
  put(attributes, SERVER_PORT, call.serverPort);
  put(attributes, ERROR_TYPE, call.error?.type);
  put(attributes, HTTP_RESPONSE_STATUS_CODE, call.error?.statusCode);
  put(attributes, MODA_CONVERSATION_ID, conversation.id);
  put(attributes, MODA_USER_ID, propagated.userId);
  if (call.cancelled === true) attributes[MODA_STREAM_CANCELLED] = true;
  put(attributes, TRACELOOP_WORKFLOW_NAME, propagated.workflowName);
  for (const [key, value] of Object.entries(propagated.associationProperties ?? {})) {
    attributes[TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX + key] = value;
  }
}

/** Request parameters that map one to one onto a GenAI attribute. */
const GEN_AI_REQUEST_PARAMS: readonly (readonly [keyof RequestParams, string])[] = [
  ["model", GEN_AI_REQUEST_MODEL],
  ["temperature", GEN_AI_REQUEST_TEMPERATURE],
  ["topP", GEN_AI_REQUEST_TOP_P],
  ["topK", GEN_AI_REQUEST_TOP_K],
  ["maxTokens", GEN_AI_REQUEST_MAX_TOKENS],
  ["seed", GEN_AI_REQUEST_SEED],
  ["frequencyPenalty", GEN_AI_REQUEST_FREQUENCY_PENALTY],
  ["presencePenalty", GEN_AI_REQUEST_PRESENCE_PENALTY],
  ["stream", GEN_AI_REQUEST_STREAM],
  ["outputType", GEN_AI_OUTPUT_TYPE],
  ["dimensions", GEN_AI_EMBEDDINGS_DIMENSION_COUNT],
];

function genAiAttributes(attributes: Attributes, context: DescribeContext): void {
  const { call, conversation } = context;
  const { request } = call;
  attributes[GEN_AI_OPERATION_NAME] = call.operation;
  attributes[GEN_AI_PROVIDER_NAME] = call.provider;
  if (conversation.explicit) attributes[GEN_AI_CONVERSATION_ID] = conversation.id;
  for (const [param, name] of GEN_AI_REQUEST_PARAMS)
    put(attributes, name, request[param] as AttributeValue | undefined);
  putList(attributes, GEN_AI_REQUEST_STOP_SEQUENCES, request.stopSequences);
  putList(attributes, GEN_AI_REQUEST_ENCODING_FORMATS, request.encodingFormats);
  if (request.choiceCount !== undefined && request.choiceCount !== 1) {
    attributes[GEN_AI_REQUEST_CHOICE_COUNT] = request.choiceCount;
  }
  put(attributes, GEN_AI_RESPONSE_ID, call.responseId);
  put(attributes, GEN_AI_RESPONSE_MODEL, call.responseModel);
  putList(
    attributes,
    GEN_AI_RESPONSE_FINISH_REASONS,
    call.outputMessages?.map((message) => message.finish_reason),
  );
  put(attributes, GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK, call.timeToFirstChunk);
  put(attributes, GEN_AI_USAGE_INPUT_TOKENS, call.usage?.inputTokens);
  put(attributes, GEN_AI_USAGE_OUTPUT_TOKENS, call.usage?.outputTokens);
  put(attributes, GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, call.usage?.cacheReadInputTokens);
  put(attributes, GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS, call.usage?.cacheCreationInputTokens);
  put(attributes, GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, call.usage?.reasoningOutputTokens);
  genAiContentAttributes(attributes, context);
}

function genAiContentAttributes(attributes: Attributes, { call, config, content, limiter }: DescribeContext): void {
  const tools = call.request.tools ?? [];
  if (tools.length > 0) {
    attributes[GEN_AI_TOOL_DEFINITIONS] = limiter.json(exportToolDefinitions(tools, config.traceContent));
  }
  if (content === undefined) return;
  if (content.systemInstructions.length > 0) {
    attributes[GEN_AI_SYSTEM_INSTRUCTIONS] = limiter.json(content.systemInstructions);
  }
  if (content.inputMessages.length > 0) attributes[GEN_AI_INPUT_MESSAGES] = limiter.json(content.inputMessages);
  if (content.outputMessages.length > 0) attributes[GEN_AI_OUTPUT_MESSAGES] = limiter.json(content.outputMessages);
}

/** `llm.request.type` values, as OpenLLMetry names them. */
const LLM_REQUEST_TYPES: Readonly<Record<Operation, string>> = {
  chat: "chat",
  text_completion: "completion",
  embeddings: "embedding",
  generate_content: "completion",
};

function modaAttributes(attributes: Attributes, context: DescribeContext): void {
  const { call } = context;
  const { request, usage } = call;
  attributes[LLM_SYSTEM] = call.provider;
  attributes[LLM_VENDOR] = call.provider;
  attributes[LLM_REQUEST_TYPE] = LLM_REQUEST_TYPES[call.operation] ?? call.operation;
  put(attributes, LLM_REQUEST_MODEL, request.model);
  put(attributes, LLM_REQUEST_MAX_TOKENS, request.maxTokens);
  put(attributes, LLM_REQUEST_TEMPERATURE, request.temperature);
  put(attributes, LLM_REQUEST_STREAMING, request.stream);
  put(attributes, LLM_RESPONSE_MODEL, call.responseModel);
  put(attributes, LLM_RESPONSE_FINISH_REASON, call.outputMessages?.[0]?.finish_reason);
  put(attributes, LLM_USAGE_PROMPT_TOKENS, usage?.inputTokens);
  put(attributes, LLM_USAGE_COMPLETION_TOKENS, usage?.outputTokens);
  if (usage?.inputTokens !== undefined) {
    attributes[LLM_USAGE_TOTAL_TOKENS] = usage.inputTokens + (usage.outputTokens ?? 0);
  }
  put(attributes, LLM_USAGE_REASONING_TOKENS, usage?.reasoningOutputTokens);
  put(attributes, LLM_USAGE_CACHE_READ_INPUT_TOKENS, usage?.cacheReadInputTokens);
  put(attributes, LLM_USAGE_CACHE_CREATION_INPUT_TOKENS, usage?.cacheCreationInputTokens);
  if (context.content === undefined) return;
  legacyMessages(attributes, llmPromptAttribute, legacyPrompts(context.content), context);
  legacyMessages(attributes, llmCompletionAttribute, legacyCompletions(context.content), context);
}

/** One indexed legacy message; `textType` is the part type whose content is written as plain text. */
interface LegacyEntry {
  role: string;
  parts: ExportedPart[];
  textType: "text" | "reasoning";
}

/** System instructions first, as a `system` prompt, then the input messages. */
function legacyPrompts(content: ExportedContent): LegacyEntry[] {
  const system: LegacyEntry[] =
    content.systemInstructions.length > 0
      ? [{ role: "system", parts: content.systemInstructions, textType: "text" }]
      : [];
  return [
    ...system,
    ...content.inputMessages.map(({ role, parts }): LegacyEntry => ({ role, parts, textType: "text" })),
  ];
}

/** One completion per output message, preceded by a `thinking` completion when the model reasoned. */
function legacyCompletions(content: ExportedContent): LegacyEntry[] {
  return content.outputMessages.flatMap(({ role, parts }): LegacyEntry[] => {
    const thinking = parts.filter(isReasoningPart);
    const answer: LegacyEntry = { role, parts: parts.filter((part) => !isReasoningPart(part)), textType: "text" };
    return thinking.length > 0 ? [{ role: "thinking", parts: thinking, textType: "reasoning" }, answer] : [answer];
  });
}

function isReasoningPart(part: ExportedPart): boolean {
  return part.type === "reasoning" || part.type === "redacted_reasoning";
}

/**
 * Indexed role/content pairs. Past `maxLegacyMessages`, the latest messages are kept (the turn this call
 * answers) and the older ones counted as dropped; `gen_ai.input.messages` still holds them all.
 */
function legacyMessages(
  attributes: Attributes,
  attributeName: (index: number, field: "role" | "content") => string,
  entries: readonly LegacyEntry[],
  { config, limiter }: DescribeContext,
): void {
  const kept = entries.slice(Math.max(0, entries.length - config.limits.maxLegacyMessages));
  limiter.droppedCount += 2 * (entries.length - kept.length);
  kept.forEach((entry, index) => {
    attributes[attributeName(index, "role")] = entry.role;
    attributes[attributeName(index, "content")] = legacyContent(entry, limiter);
  });
}

/** Plain text when every part is text (joined with "\n"), else the JSON of the parts. */
function legacyContent({ parts, textType }: LegacyEntry, limiter: ContentLimiter): string {
  if (!parts.every((part) => part.type === textType)) return limiter.json(parts);
  const texts = parts.map((part) => String(part.content ?? "")).filter((text) => text !== "");
  return limiter.text(texts.join("\n"));
}

function statusOf(call: LlmCall): SpanStatus {
  // Success and cancellation leave the status unset: OpenTelemetry asks instrumentations not to set OK.
  if (call.error === undefined) return { code: SpanStatusCode.UNSET };
  return call.error.message === undefined
    ? { code: SpanStatusCode.ERROR }
    : { code: SpanStatusCode.ERROR, message: call.error.message };
}

function put(attributes: Attributes, name: string, value: AttributeValue | null | undefined): void {
  if (value !== undefined && value !== null) attributes[name] = value;
}

function putList(attributes: Attributes, name: string, values: string[] | undefined): void {
  if (values !== undefined && values.length > 0) attributes[name] = values;
}
