import type { Attributes, AttributeValue, SpanStatus } from "@opentelemetry/api";
import type { ResolvedConfig } from "../config/options";
import type { PromptReference } from "../core/context";
import { SpanStatusCode } from "../core/otel";
import { ContentLimiter } from "../policy/content-limiter";
import {
  type ExportedMessage,
  type ExportedPart,
  exportMessages,
  exportOutputMessages,
  exportParts,
  exportToolDefinitions,
} from "../policy/exported-messages";
import { type ConversationId, conversationIdOf, givenConversationId } from "./conversation-id";
import type { LlmCall, Operation, OutputMessage, ToolDefinition } from "./llm-call";

/*
 * Every attribute name the tracer writes on an LLM span lives here, written out where its value is chosen. Two
 * families:
 *  - `gen_ai`: OpenTelemetry GenAI semantic conventions v1.41;
 *  - `moda`: the `llm.*` names Moda documents (OpenLLMetry's older names; Moda's own SDK writes them).
 * Server, error, Moda and Traceloop association attributes are written whatever the families.
 */

const GEN_AI_INPUT_MESSAGES = "gen_ai.input.messages";
const GEN_AI_OUTPUT_MESSAGES = "gen_ai.output.messages";
const GEN_AI_SYSTEM_INSTRUCTIONS = "gen_ai.system_instructions";
const GEN_AI_TOOL_DEFINITIONS = "gen_ai.tool.definitions";
const LLM_PROMPTS = "llm.prompts";
const LLM_COMPLETIONS = "llm.completions";
const LLM_REQUEST_FUNCTIONS = "llm.request.functions";

type IndexedAttributeName = (index: number, field: "role" | "content") => string;

/** `{prefix}.{index}.role` / `.content`; each name is built once, as every span with content writes the same few. */
function indexedAttributeNames(prefix: string): IndexedAttributeName {
  const names = { role: [] as string[], content: [] as string[] };
  return (index, field) => {
    names[field][index] ??= `${prefix}.${index}.${field}`;
    return names[field][index];
  };
}

/** `llm.prompts.{index}.role` / `.content`. */
export const llmPromptAttribute = indexedAttributeNames(LLM_PROMPTS);

/** `llm.completions.{index}.role` / `.content`. */
export const llmCompletionAttribute = indexedAttributeNames(LLM_COMPLETIONS);

// Shared with the entity spans (entity-attributes.ts) and the AI SDK's metadata (src/integrations/ai-sdk.ts).
export const GEN_AI_OPERATION_NAME = "gen_ai.operation.name";
export const GEN_AI_CONVERSATION_ID = "gen_ai.conversation.id";
export const TRACELOOP_WORKFLOW_NAME = "traceloop.workflow.name";
export const MODA_CONVERSATION_ID = "moda.conversation_id";
export const MODA_USER_ID = "moda.user_id";
/**
 * The caller stopped a streamed answer before its end (`break`, `return()`, an abort, a cancelled ReadableStream).
 * Neither Moda nor OpenLLMetry has a name for this; it is not an error (status stays unset).
 */
export const MODA_STREAM_CANCELLED = "moda.stream.cancelled";
/** Followed by the property's key: `traceloop.association.properties.<key>`. */
export const TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX = "traceloop.association.properties.";

export interface PropagatedValues {
  conversationId?: string;
  userId?: string;
  workflowName?: string;
  associationProperties?: Readonly<Record<string, string>>;
  prompt?: PromptReference;
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
 * The one mapping LlmCall → span name, status and attributes (both families, per `config.semconv`). What may
 * leave of them (content, error text, credentials, sizes) is decided at export, as for every span.
 * Async only because the conversation id hashes with crypto.subtle.
 */
export async function describeLlmCall(
  call: LlmCall,
  config: ResolvedConfig,
  propagated: PropagatedValues,
): Promise<LlmSpanDescription> {
  const conversation = config.traceContent
    ? await conversationIdOf(call, propagated.conversationId)
    : givenConversationId(call, propagated.conversationId);
  const context: DescribeContext = {
    call,
    config,
    conversation,
    // Content that the export policy would remove (policy/exported-span.ts) is not even built.
    content: config.traceContent ? exportContent(call, config.captureBinary) : undefined,
    limiter: new ContentLimiter(config.limits.maxAttributeLength),
  };
  const attributes: Attributes = {};
  const put = putInto(attributes);
  writeCommonAttributes(put, call, propagated, conversation);
  if (config.semconv.has("gen_ai")) writeGenAiAttributes(put, context);
  if (config.semconv.has("moda")) writeModaAttributes(put, context);
  return {
    name: llmSpanName(call),
    attributes,
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
  /** Undefined when none was given and content is not traced. */
  conversation: ConversationId | undefined;
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

function writeCommonAttributes(
  put: PutAttribute,
  call: LlmCall,
  propagated: PropagatedValues,
  conversation: ConversationId | undefined,
): void {
  put("server.address", call.serverAddress);
  put("server.port", call.serverPort);
  put("error.type", call.error?.type);
  // The provider's HTTP status on a failed call (OTel HTTP client conventions).
  put("http.response.status_code", call.error?.statusCode);
  put(MODA_CONVERSATION_ID, conversation?.id);
  put(MODA_USER_ID, propagated.userId);
  put(MODA_STREAM_CANCELLED, call.cancelled === true ? true : undefined);
  // Cloudflare AI Gateway: no convention has names for it (docs/attributes.md).
  put("moda.ai_gateway.id", call.aiGateway?.id);
  put("moda.ai_gateway.cache_status", call.aiGateway?.cacheStatus);
  put("moda.ai_gateway.log_id", call.aiGateway?.logId);
  put(TRACELOOP_WORKFLOW_NAME, propagated.workflowName);
  // Moda's prompt management (withPrompt), the names Moda's SDKs send; the version always as text.
  const { prompt } = propagated;
  put("moda.prompt_key", prompt?.key);
  put("moda.prompt_id", prompt?.id);
  put("moda.prompt_version", prompt?.version === undefined ? undefined : String(prompt.version));
  put("moda.prompt_version_id", prompt?.versionId);
  const associations = propagated.associationProperties ?? {};
  for (const key of Object.keys(associations)) {
    put(TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX + key, associations[key]);
  }
}

/** `values` as a JSON string, or nothing for no values. */
function jsonList(limiter: ContentLimiter, values: readonly unknown[] | undefined): string | undefined {
  return values !== undefined && values.length > 0 ? limiter.json(values) : undefined;
}

function writeGenAiAttributes(put: PutAttribute, { call, conversation, limiter, content }: DescribeContext): void {
  const { request, usage } = call;
  put(GEN_AI_OPERATION_NAME, call.operation);
  put("gen_ai.provider.name", call.provider);
  put(GEN_AI_CONVERSATION_ID, conversation?.explicit ? conversation.id : undefined);
  put("gen_ai.request.model", request.model);
  put("gen_ai.request.temperature", request.temperature);
  put("gen_ai.request.top_p", request.topP);
  put("gen_ai.request.top_k", request.topK);
  put("gen_ai.request.max_tokens", request.maxTokens);
  put("gen_ai.request.seed", request.seed);
  put("gen_ai.request.frequency_penalty", request.frequencyPenalty);
  put("gen_ai.request.presence_penalty", request.presencePenalty);
  put("gen_ai.request.stream", request.stream);
  put("gen_ai.output.type", request.outputType);
  put("gen_ai.embeddings.dimension.count", request.dimensions);
  put("gen_ai.request.stop_sequences", nonEmpty(request.stopSequences));
  put("gen_ai.request.encoding_formats", nonEmpty(request.encodingFormats));
  put("gen_ai.request.choice.count", request.choiceCount === 1 ? undefined : request.choiceCount);
  put("gen_ai.response.id", call.responseId);
  put("gen_ai.response.model", call.responseModel);
  put("gen_ai.response.finish_reasons", nonEmpty(call.outputMessages?.map((message) => message.finish_reason)));
  // Seconds from the request to the first streamed chunk.
  put("gen_ai.response.time_to_first_chunk", call.timeToFirstChunk);
  // All input tokens, cached ones included.
  put("gen_ai.usage.input_tokens", usage?.inputTokens);
  put("gen_ai.usage.output_tokens", usage?.outputTokens);
  put("gen_ai.usage.cache_read.input_tokens", usage?.cacheReadInputTokens);
  put("gen_ai.usage.cache_creation.input_tokens", usage?.cacheCreationInputTokens);
  put("gen_ai.usage.reasoning.output_tokens", usage?.reasoningOutputTokens);
  put(GEN_AI_TOOL_DEFINITIONS, jsonList(limiter, exportToolDefinitions(request.tools ?? [])));
  put(GEN_AI_SYSTEM_INSTRUCTIONS, jsonList(limiter, content?.systemInstructions));
  put(GEN_AI_INPUT_MESSAGES, jsonList(limiter, content?.inputMessages));
  put(GEN_AI_OUTPUT_MESSAGES, jsonList(limiter, content?.outputMessages));
}

/** `llm.request.type` values, as OpenLLMetry names them. */
const LLM_REQUEST_TYPES: Readonly<Record<Operation, string>> = {
  chat: "chat",
  text_completion: "completion",
  embeddings: "embedding",
  generate_content: "completion",
};

function writeModaAttributes(put: PutAttribute, context: DescribeContext): void {
  const { call, content } = context;
  const { request, usage } = call;
  // Moda's docs name `llm.system`, its TypeScript SDK sends `llm.vendor`: both carry the provider.
  put("llm.system", call.provider);
  put("llm.vendor", call.provider);
  put("llm.request.type", LLM_REQUEST_TYPES[call.operation] ?? call.operation);
  put("llm.request.model", request.model);
  put("llm.request.max_tokens", request.maxTokens);
  put("llm.request.temperature", request.temperature);
  put("llm.request.streaming", request.stream);
  put("llm.response.model", call.responseModel);
  // The provider's own value, as Moda's SDK sends it (`gen_ai.*` carry the conventions' values).
  put("llm.response.finish_reason", providerFinishReason(call.outputMessages?.[0]));
  put("llm.usage.prompt_tokens", usage?.inputTokens);
  put("llm.usage.completion_tokens", usage?.outputTokens);
  const total = usage?.inputTokens === undefined ? undefined : usage.inputTokens + (usage.outputTokens ?? 0);
  put("llm.usage.total_tokens", total);
  put("llm.usage.reasoning_tokens", usage?.reasoningOutputTokens);
  put("llm.usage.cache_read_input_tokens", usage?.cacheReadInputTokens);
  put("llm.usage.cache_creation_input_tokens", usage?.cacheCreationInputTokens);
  writeFunctions(put, request.tools ?? [], context);
  if (content === undefined) return;
  legacyMessages(put, LLM_PROMPTS, legacyPrompts(content), context);
  legacyMessages(put, LLM_COMPLETIONS, legacyCompletions(content, call.outputMessages ?? []), context);
}

function providerFinishReason(message: OutputMessage | undefined): string | undefined {
  return message?.providerFinishReason ?? message?.finish_reason;
}

/**
 * OpenLLMetry's flat tool definitions, `llm.request.functions.{i}.name|description|parameters`. The names are not
 * content (as `gen_ai.tool.definitions` keeps them); descriptions and parameters are, and are built only when
 * content is traced.
 */
function writeFunctions(put: PutAttribute, tools: readonly ToolDefinition[], { content, limiter }: DescribeContext) {
  tools.forEach((tool, index) => {
    const prefix = `${LLM_REQUEST_FUNCTIONS}.${index}`;
    put(`${prefix}.name`, tool.name);
    if (content === undefined) return;
    put(`${prefix}.description`, tool.description === undefined ? undefined : limiter.text(tool.description));
    put(`${prefix}.parameters`, tool.parameters === undefined ? undefined : limiter.json(tool.parameters));
  });
}

/** One indexed legacy message; `textType` is the part type whose content is written as plain text. */
interface LegacyEntry {
  role: string;
  parts: ExportedPart[];
  textType: "text" | "reasoning";
  /** A completion's finish reason, the provider's own value. */
  finishReason?: string;
}

/** System instructions first, as a `system` prompt, then the input messages. */
function legacyPrompts(content: ExportedContent): LegacyEntry[] {
  const prompts: LegacyEntry[] = [];
  if (content.systemInstructions.length > 0) {
    prompts.push({ role: "system", parts: content.systemInstructions, textType: "text" });
  }
  for (const { role, parts } of content.inputMessages) prompts.push({ role, parts, textType: "text" });
  return prompts;
}

/** One completion per output message, preceded by a `thinking` completion when the model reasoned. */
function legacyCompletions(content: ExportedContent, outputs: readonly OutputMessage[]): LegacyEntry[] {
  return content.outputMessages.flatMap(({ role, parts }, index): LegacyEntry[] => {
    const thinking = parts.filter(isReasoningPart);
    const answer: LegacyEntry = {
      role,
      parts: parts.filter((part) => !isReasoningPart(part)),
      textType: "text",
      finishReason: providerFinishReason(outputs[index]),
    };
    return thinking.length > 0 ? [{ role: "thinking", parts: thinking, textType: "reasoning" }, answer] : [answer];
  });
}

function isReasoningPart(part: ExportedPart): boolean {
  return part.type === "reasoning" || part.type === "redacted_reasoning";
}

/**
 * Indexed role/content pairs, with OpenLLMetry's flat tool calls, tool call ids and finish reasons. Past
 * `maxLegacyMessages`, the latest messages are kept (the turn this call answers) and the older ones counted as
 * dropped; `gen_ai.input.messages` still holds them all.
 */
function legacyMessages(
  put: PutAttribute,
  prefix: typeof LLM_PROMPTS | typeof LLM_COMPLETIONS,
  entries: readonly LegacyEntry[],
  { config, limiter }: DescribeContext,
): void {
  const attributeName = prefix === LLM_PROMPTS ? llmPromptAttribute : llmCompletionAttribute;
  const kept = entries.slice(Math.max(0, entries.length - config.limits.maxLegacyMessages));
  limiter.droppedCount += 2 * (entries.length - kept.length);
  kept.forEach((entry, index) => {
    put(attributeName(index, "role"), entry.role);
    put(attributeName(index, "content"), legacyContent(entry, limiter));
    if (entry.finishReason !== undefined) put(`${prefix}.${index}.finish_reason`, entry.finishReason);
    writeToolCalls(put, `${prefix}.${index}`, entry.parts, limiter);
  });
}

/** `{message}.tool_calls.{i}.id|name|arguments` for the calls a message makes, `{message}.tool_call_id` for a result. */
function writeToolCalls(put: PutAttribute, message: string, parts: readonly ExportedPart[], limiter: ContentLimiter) {
  // A message answering several calls at once (Anthropic's tool results) names the first.
  put(`${message}.tool_call_id`, stringOf(parts.find((part) => part.type === "tool_call_response")?.id));
  let calls = 0;
  for (const part of parts) {
    if (part.type !== "tool_call") continue;
    const prefix = `${message}.tool_calls.${calls++}`;
    put(`${prefix}.id`, stringOf(part.id));
    put(`${prefix}.name`, stringOf(part.name));
    const args = part.arguments;
    put(
      `${prefix}.arguments`,
      typeof args === "string" ? limiter.text(args) : args === undefined ? undefined : limiter.json(args),
    );
  }
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Plain text when every part is text (joined with "\n"), else the JSON of the parts. */
function legacyContent({ parts, textType }: LegacyEntry, limiter: ContentLimiter): string {
  if (!parts.every((part) => part.type === textType)) return limiter.json(parts);
  return limiter.text(joinedTexts(parts));
}

/** The parts' non-empty contents joined with "\n" (a single part's content as it is, with no copy). */
function joinedTexts(parts: readonly ExportedPart[]): string {
  let joined = "";
  for (const part of parts) {
    const text = String(part.content ?? "");
    if (text !== "") joined = joined === "" ? text : `${joined}\n${text}`;
  }
  return joined;
}

function statusOf(call: LlmCall): SpanStatus {
  // Success and cancellation leave the status unset: OpenTelemetry asks instrumentations not to set OK.
  if (call.error === undefined) return { code: SpanStatusCode.UNSET };
  return call.error.message === undefined
    ? { code: SpanStatusCode.ERROR }
    : { code: SpanStatusCode.ERROR, message: call.error.message };
}

function nonEmpty<T>(values: T[] | undefined): T[] | undefined {
  return values !== undefined && values.length > 0 ? values : undefined;
}

/** Sets an attribute unless its value is undefined or null (left out, as the OpenTelemetry SDKs leave it). */
type PutAttribute = (name: string, value: AttributeValue | null | undefined) => void;

function putInto(attributes: Attributes): PutAttribute {
  return (name, value) => {
    if (value !== undefined && value !== null) attributes[name] = value;
  };
}
