/**
 * Bedrock Converse shapes (as `@aws-sdk/client-bedrock-runtime` takes and returns them; Amazon Nova's InvokeModel
 * bodies use the same shapes, with base64 text where the SDK has bytes) → the provider-neutral parts of an LlmCall.
 * Cache points are directives, not content: they are left out; what they saved shows in the usage.
 */

import {
  asArray,
  definedOnly,
  isObject,
  type JsonObject,
  numberOrUndefined,
  providerFinishReason,
  stringOrUndefined,
  stringsOrUndefined,
} from "../../instrument/parts";
import type {
  FinishReason,
  InputMessage,
  OutputMessage,
  Part,
  RequestParams,
  ToolDefinition,
  Usage,
} from "../../semconv/llm-call";

/** A Converse answer, or what a stream has told of one so far. */
export interface ConverseAnswer {
  output?: { message?: { role?: string; content?: unknown[] } };
  stopReason?: string;
  usage?: JsonObject;
}

/**
 * `inferenceConfig`, `toolConfig` and the model's own fields → the request fields the conventions name. Nova's
 * InvokeModel body spells some fields its own way (`max_new_tokens`, `top_p`, `top_k`).
 */
export function requestParams(input: JsonObject, model: string | undefined, stream: boolean): RequestParams {
  const inference = isObject(input.inferenceConfig) ? input.inferenceConfig : {};
  const extra = isObject(input.additionalModelRequestFields) ? input.additionalModelRequestFields : {};
  const tools = toolDefinitions(input.toolConfig);
  return definedOnly({
    model,
    temperature: numberOrUndefined(inference.temperature),
    topP: numberOrUndefined(inference.topP) ?? numberOrUndefined(inference.top_p),
    topK:
      numberOrUndefined(inference.topK) ??
      numberOrUndefined(inference.top_k) ??
      numberOrUndefined(extra.top_k) ??
      numberOrUndefined(extra.topK),
    maxTokens: numberOrUndefined(inference.maxTokens) ?? numberOrUndefined(inference.max_new_tokens),
    stopSequences: stringsOrUndefined(inference.stopSequences),
    stream,
    tools: tools.length > 0 ? tools : undefined,
  });
}

function toolDefinitions(toolConfig: unknown): ToolDefinition[] {
  const tools = isObject(toolConfig) ? asArray(toolConfig.tools) : [];
  return tools.filter(isObject).flatMap((tool): ToolDefinition[] => {
    if (isObject(tool.toolSpec)) {
      const spec = tool.toolSpec;
      const schema = isObject(spec.inputSchema) ? spec.inputSchema.json : undefined;
      return [
        definedOnly({
          type: "function",
          name: String(spec.name),
          description: stringOrUndefined(spec.description),
          parameters: schema,
        }),
      ];
    }
    if (isObject(tool.systemTool)) return [{ type: "system_tool", name: String(tool.systemTool.name) }];
    return [];
  });
}

/** `system`: text, guarded text and cache points. */
export function systemInstructions(system: unknown): Part[] | undefined {
  const parts = asArray(system).filter(isObject).flatMap(blockToParts);
  return parts.length > 0 ? parts : undefined;
}

export function inputMessages(messages: unknown): InputMessage[] {
  return asArray(messages)
    .filter(isObject)
    .map((message) => {
      const blocks = asArray(message.content).filter(isObject);
      // Bedrock sends tool results in a user turn; a turn of nothing else is the tool's.
      const toolTurn = blocks.length > 0 && blocks.every((block) => isObject(block.toolResult));
      return { role: toolTurn ? "tool" : String(message.role ?? "user"), parts: blocks.flatMap(blockToParts) };
    });
}

/** One ContentBlock (a union: exactly one member is set) → its parts. */
export function blockToParts(block: JsonObject): Part[] {
  if (typeof block.text === "string") return block.text === "" ? [] : [{ type: "text", content: block.text }];
  if (isObject(block.image)) return mediaParts(block.image, "image");
  if (isObject(block.document)) return mediaParts(block.document, "document");
  if (isObject(block.video)) return mediaParts(block.video, "video");
  if (isObject(block.audio)) return mediaParts(block.audio, "audio");
  if (isObject(block.toolUse)) return [toolUse(block.toolUse)];
  if (isObject(block.toolResult)) return toolResultParts(block.toolResult);
  if (isObject(block.reasoningContent)) return reasoningParts(block.reasoningContent);
  if (isObject(block.guardContent)) return guardedParts(block.guardContent);
  if (isObject(block.citationsContent))
    return asArray(block.citationsContent.content).filter(isObject).flatMap(blockToParts);
  if (block.cachePoint !== undefined) return [];
  return [{ type: "text", content: JSON.stringify(block, bytesAsSize) }];
}

const DOCUMENT_TYPES: Record<string, string> = {
  pdf: "application/pdf",
  csv: "text/csv",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xls: "application/vnd.ms-excel",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  html: "text/html",
  txt: "text/plain",
  md: "text/markdown",
};

function mimeTypeOf(format: string | undefined, modality: string): string | undefined {
  if (!format) return undefined;
  if (modality === "document") return DOCUMENT_TYPES[format] ?? format;
  return `${modality}/${format === "jpg" ? "jpeg" : format}`;
}

/** An image, document, video or audio block: inline bytes, an S3 location, or (documents) text. */
function mediaParts(media: JsonObject, modality: string): Part[] {
  const mime_type = mimeTypeOf(stringOrUndefined(media.format), modality);
  const source = isObject(media.source) ? media.source : {};
  const bytes = base64Of(source.bytes);
  if (bytes !== undefined) return [definedOnly({ type: "blob" as const, modality, mime_type, content: bytes })];
  const s3 = isObject(source.s3Location) ? stringOrUndefined(source.s3Location.uri) : undefined;
  if (s3) return [definedOnly({ type: "uri" as const, modality, mime_type, uri: s3 })];
  if (typeof source.text === "string") return [{ type: "text", content: source.text }];
  return asArray(source.content).filter(isObject).flatMap(blockToParts);
}

function toolUse(use: JsonObject): Part {
  return definedOnly({
    type: "tool_call" as const,
    id: stringOrUndefined(use.toolUseId),
    name: String(use.name),
    arguments: use.input,
  });
}

/**
 * A tool result: its text (or JSON) as the response; images and documents in it follow as parts of their own, so
 * the binary policy applies to them as to any other.
 */
function toolResultParts(result: JsonObject): Part[] {
  const blocks = asArray(result.content).filter(isObject);
  const answers = blocks.flatMap((block) =>
    typeof block.text === "string" ? [block.text] : "json" in block ? [block.json] : [],
  );
  const media = blocks.filter((block) => typeof block.text !== "string" && !("json" in block)).flatMap(blockToParts);
  const response =
    answers.length === 1 ? answers[0] : answers.every((a) => typeof a === "string") ? answers.join("") : answers;
  return [
    definedOnly({ type: "tool_call_response" as const, id: stringOrUndefined(result.toolUseId), response }),
    ...media,
  ];
}

function reasoningParts(reasoning: JsonObject): Part[] {
  if (isObject(reasoning.reasoningText)) {
    const { text: thought, signature } = reasoning.reasoningText;
    return [
      definedOnly({
        type: "reasoning" as const,
        content: String(thought ?? ""),
        signature: stringOrUndefined(signature) || undefined,
      }),
    ];
  }
  const redacted = base64Of(reasoning.redactedContent);
  return redacted === undefined ? [] : [{ type: "redacted_reasoning", size: redacted.length }];
}

function guardedParts(guard: JsonObject): Part[] {
  if (isObject(guard.text))
    return typeof guard.text.text === "string" ? [{ type: "text", content: guard.text.text }] : [];
  if (isObject(guard.image)) return mediaParts(guard.image, "image");
  return [];
}

/** Bytes as base64 text: the SDK's Uint8Array, or the base64 text of a JSON body (Nova). */
function base64Of(bytes: unknown): string | undefined {
  if (typeof bytes === "string") return bytes;
  if (!ArrayBuffer.isView(bytes)) return undefined;
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let binary = "";
  for (let start = 0; start < view.length; start += 0x8000) {
    binary += String.fromCharCode(...view.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

/** For a block this file does not know: its bytes stand as their size. */
function bytesAsSize(_key: string, value: unknown): unknown {
  return ArrayBuffer.isView(value) ? { byte_size: value.byteLength } : value;
}

const FINISH_REASONS: Record<string, FinishReason> = {
  end_turn: "stop",
  stop_sequence: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_call",
  guardrail_intervened: "content_filter",
  content_filtered: "content_filter",
};

export function finishReason(stopReason: unknown): FinishReason | undefined {
  if (typeof stopReason !== "string" || stopReason === "") return undefined;
  return FINISH_REASONS[stopReason] ?? stopReason;
}

/** The answer's message, when there is one. */
export function outputMessages(answer: ConverseAnswer, fallbackFinish: FinishReason): OutputMessage[] | undefined {
  const message = answer.output?.message;
  if (!isObject(message)) return undefined;
  return [
    {
      role: String(message.role ?? "assistant"),
      parts: asArray(message.content).filter(isObject).flatMap(blockToParts),
      finish_reason: finishReason(answer.stopReason) ?? fallbackFinish,
      ...providerFinishReason(answer.stopReason),
    },
  ];
}

/**
 * Bedrock counts input without what was read from or written to the cache; the conventions count every input token.
 * Nova's InvokeModel body names the cache counts `…InputTokenCount`.
 */
export function usage(raw: unknown): Usage | undefined {
  if (!isObject(raw)) return undefined;
  const input = numberOrUndefined(raw.inputTokens);
  const cacheRead = numberOrUndefined(raw.cacheReadInputTokens) ?? numberOrUndefined(raw.cacheReadInputTokenCount);
  const cacheWrite = numberOrUndefined(raw.cacheWriteInputTokens) ?? numberOrUndefined(raw.cacheWriteInputTokenCount);
  return definedOnly({
    inputTokens: input === undefined ? undefined : input + (cacheRead ?? 0) + (cacheWrite ?? 0),
    outputTokens: numberOrUndefined(raw.outputTokens),
    cacheReadInputTokens: cacheRead,
    cacheCreationInputTokens: cacheWrite,
  });
}
