/**
 * Anthropic Messages API shapes → the provider-neutral parts of an LlmCall. Shapes are read structurally (not
 * through the SDK's types) so every SDK version from 0.30 on, and blocks newer than this file, go through.
 */
import type {
  FinishReason,
  InputMessage,
  OutputMessage,
  Part,
  RequestParams,
  ToolDefinition,
  Usage,
} from "../../semconv/llm-call";
import {
  asArray,
  definedOnly,
  isObject,
  type JsonObject,
  joinedText,
  numberOrUndefined,
  providerFinishReason,
  stringOrUndefined,
} from "../parts";

/** A content block as the API sends or receives it. */
export interface AnthropicBlock {
  type: string;
  [field: string]: unknown;
}

export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
}

/** A Message (`messages.create` response), or what a stream has told of one so far. */
export interface AnthropicMessage {
  id?: string;
  model?: string;
  role?: string;
  content: AnthropicBlock[];
  stop_reason?: string | null;
  usage?: AnthropicUsage | null;
}

const blocksOf = (value: unknown): AnthropicBlock[] =>
  asArray(value).filter((item): item is AnthropicBlock => isObject(item) && typeof item.type === "string");

/** `messages.create` / `completions.create` params → the request fields the conventions name. */
export function requestParams(params: JsonObject): RequestParams {
  const request: RequestParams = {
    model: stringOrUndefined(params.model),
    temperature: numberOrUndefined(params.temperature),
    topP: numberOrUndefined(params.top_p),
    topK: numberOrUndefined(params.top_k),
    maxTokens: numberOrUndefined(params.max_tokens) ?? numberOrUndefined(params.max_tokens_to_sample),
    stream: params.stream === true,
  };
  const stops = params.stop_sequences;
  if (Array.isArray(stops)) request.stopSequences = stops.filter((s): s is string => typeof s === "string");
  if (Array.isArray(params.tools)) request.tools = params.tools.filter(isObject).map(toolDefinition);
  if (asksForJson(params)) request.outputType = "json";
  return request;
}

function asksForJson(params: JsonObject): boolean {
  const config = params.output_config;
  const format = isObject(config) ? config.format : params.output_format;
  return isObject(format) && format.type === "json_schema";
}

function toolDefinition(tool: JsonObject): ToolDefinition {
  // A custom tool has an input schema (and a `type` of `custom` or none); server tools are typed and versioned.
  const custom = tool.input_schema !== undefined && (tool.type === undefined || tool.type === "custom");
  return definedOnly({
    type: custom ? "function" : String(tool.type),
    name: String(tool.name),
    description: stringOrUndefined(tool.description),
    parameters: custom ? tool.input_schema : undefined,
  });
}

/** The `system` param: a string or text blocks. */
export function systemInstructions(system: unknown): Part[] | undefined {
  if (typeof system === "string") return [{ type: "text", content: system }];
  const parts = blocksOf(system).flatMap(blockToParts);
  return parts.length > 0 ? parts : undefined;
}

export function inputMessages(messages: unknown): InputMessage[] {
  if (!Array.isArray(messages)) return [];
  return messages.filter(isObject).map((message) => ({
    role: String(message.role),
    parts: contentToParts(message.content),
  }));
}

function contentToParts(content: unknown): Part[] {
  if (typeof content === "string") return [{ type: "text", content }];
  return blocksOf(content).flatMap(blockToParts);
}

/** One content block → its parts (a document of several blocks gives several). */
export function blockToParts(block: AnthropicBlock): Part[] {
  switch (block.type) {
    case "text":
      return [{ type: "text", content: String(block.text ?? "") }];
    case "image":
      return sourceToParts(block.source, "image");
    case "document":
      return sourceToParts(block.source, "document");
    case "search_result":
      return contentToParts(block.content);
    case "tool_use":
      return [
        definedOnly({
          type: "tool_call",
          id: stringOrUndefined(block.id),
          name: String(block.name),
          arguments: block.input,
        }),
      ];
    case "tool_result":
      return toolResultParts(block);
    case "thinking":
      return [
        definedOnly({
          type: "reasoning",
          content: String(block.thinking ?? ""),
          signature: stringOrUndefined(block.signature) || undefined,
        }),
      ];
    case "redacted_thinking":
      return [{ type: "redacted_reasoning", size: String(block.data ?? "").length }];
    case "server_tool_use":
    case "mcp_tool_use":
      return [serverToolCall(block)];
    case "container_upload":
      return [{ type: "file", modality: "file", file_id: String(block.file_id) }];
    default:
      return block.type.endsWith("_tool_result")
        ? [serverToolResponse(block)]
        : [{ type: "text", content: JSON.stringify(block) }];
  }
}

function sourceToParts(source: unknown, modality: string): Part[] {
  if (!isObject(source)) return [];
  const mime_type = stringOrUndefined(source.media_type);
  switch (source.type) {
    case "base64":
      return [definedOnly({ type: "blob", modality, mime_type, content: String(source.data ?? "") })];
    case "url":
      return [definedOnly({ type: "uri", modality, mime_type, uri: String(source.url) })];
    case "file":
      return [definedOnly({ type: "file", modality, mime_type, file_id: String(source.file_id) })];
    case "text":
      return [{ type: "text", content: String(source.data ?? "") }];
    case "content":
      return contentToParts(source.content);
    default:
      return [{ type: "text", content: JSON.stringify(source) }];
  }
}

/**
 * A tool result: its text as the response; images and documents in it follow as parts of their own, so the
 * binary policy (descriptors instead of base64) applies to them as to any other.
 */
function toolResultParts(block: AnthropicBlock): Part[] {
  const parts = typeof block.content === "string" ? [] : contentToParts(block.content);
  const response = typeof block.content === "string" ? block.content : joinedText(parts);
  const media = parts.filter((part) => part.type !== "text");
  return [{ type: "tool_call_response", id: stringOrUndefined(block.tool_use_id), response }, ...media];
}

function serverToolCall(block: AnthropicBlock): Part {
  const name = String(block.name);
  const input = isObject(block.input) ? block.input : { input: block.input };
  const server = stringOrUndefined(block.server_name);
  return {
    type: "server_tool_call",
    id: stringOrUndefined(block.id),
    name,
    server_tool_call: { ...input, ...(server ? { server_name: server } : {}), type: name },
  };
}

function serverToolResponse(block: AnthropicBlock): Part {
  return {
    type: "server_tool_call_response",
    id: stringOrUndefined(block.tool_use_id),
    server_tool_call_response: { type: block.type.slice(0, -"_tool_result".length), content: block.content },
  };
}

const FINISH_REASONS: Record<string, FinishReason> = {
  end_turn: "stop",
  stop_sequence: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_call",
  refusal: "content_filter",
};

/** Anthropic's `stop_reason` → the conventions' finish reason; others (`pause_turn`, …) pass through. */
export function finishReason(stopReason: string | null | undefined): FinishReason | undefined {
  if (!stopReason) return undefined;
  return FINISH_REASONS[stopReason] ?? stopReason;
}

export function outputMessage(message: AnthropicMessage, fallbackFinish: FinishReason): OutputMessage {
  return {
    role: message.role ?? "assistant",
    parts: message.content.flatMap(blockToParts),
    finish_reason: finishReason(message.stop_reason) ?? fallbackFinish,
    ...providerFinishReason(message.stop_reason),
  };
}

/** Anthropic's input count excludes cached tokens; the conventions' input count includes them. */
export function usage(raw: AnthropicUsage | null | undefined): Usage | undefined {
  if (!raw) return undefined;
  const cacheRead = numberOrUndefined(raw.cache_read_input_tokens);
  const cacheCreation = numberOrUndefined(raw.cache_creation_input_tokens);
  const input = numberOrUndefined(raw.input_tokens);
  return definedOnly({
    inputTokens: input === undefined ? undefined : input + (cacheRead ?? 0) + (cacheCreation ?? 0),
    outputTokens: numberOrUndefined(raw.output_tokens),
    cacheReadInputTokens: cacheRead,
    cacheCreationInputTokens: cacheCreation,
    reasoningOutputTokens: numberOrUndefined(raw.output_tokens_details?.thinking_tokens),
  });
}
