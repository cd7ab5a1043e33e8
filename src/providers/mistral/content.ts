/**
 * Mistral messages and content chunks (as `@mistralai/mistralai` hands them over, camelCase: `toolCalls`,
 * `imageUrl`, `toolCallId`) as LlmCall parts, and the pieces every Mistral normaliser shares.
 */

import { finishReasonOf } from "../../instrument/openai-compatible/chat-fields";
import { functionToolCallParts } from "../../instrument/openai-compatible/function-tools";
import {
  asArray,
  definedOnly,
  isObject,
  type JsonObject,
  joinedText,
  numberOrUndefined,
  partFromUrl,
  providerFinishReason,
  stringOrUndefined,
  textParts,
} from "../../instrument/parts";
import { type Server, serverOfUrl } from "../../instrument/server-address";
import type { StreamEnd } from "../../instrument/stream-end";
import type { FinishReason, InputMessage, OutputMessage, Part, Usage } from "../../semconv/llm-call";

export const MISTRAL_PROVIDER = "mistral_ai";

export function mistralServer(client: object): Server {
  return serverOfUrl((client as { _baseURL?: unknown })._baseURL);
}

export function inputMessage(message: JsonObject): InputMessage {
  const role = String(message.role ?? "user");
  if (role === "tool") {
    const response = typeof message.content === "string" ? message.content : contentParts(message.content);
    return {
      role,
      parts: [
        definedOnly({ type: "tool_call_response" as const, id: stringOrUndefined(message.toolCallId), response }),
      ],
    };
  }
  return { role, parts: [...contentParts(message.content), ...functionToolCallParts(message.toolCalls, toolCallId)] };
}

/** `content`: a string, or chunks (text, thinking, images, documents, files, audio); references are left out. */
export function contentParts(content: unknown): Part[] {
  if (typeof content === "string") return textParts(content);
  return asArray(content).filter(isObject).flatMap(chunkParts);
}

function chunkParts(chunk: JsonObject): Part[] {
  switch (chunk.type) {
    case "text":
      return textParts(chunk.text);
    case "thinking": {
      const thought = joinedText(contentParts(chunk.thinking));
      return thought === "" ? [] : [{ type: "reasoning", content: thought }];
    }
    case "image_url": {
      const url = isObject(chunk.imageUrl) ? chunk.imageUrl.url : chunk.imageUrl;
      return typeof url === "string" ? [partFromUrl(url, "image")] : [];
    }
    case "document_url":
      return typeof chunk.documentUrl === "string" ? [partFromUrl(chunk.documentUrl, "document")] : [];
    case "file":
      return typeof chunk.fileId === "string" ? [{ type: "file", modality: "document", file_id: chunk.fileId }] : [];
    case "input_audio":
      return typeof chunk.inputAudio === "string"
        ? [{ type: "blob", modality: "audio", content: chunk.inputAudio }]
        : [];
    default:
      return [];
  }
}

/** The SDK fills in the string `"null"` for a tool call the API sent without an id. */
export function toolCallId(id: unknown): string | undefined {
  return typeof id === "string" && id !== "" && id !== "null" ? id : undefined;
}

/** One choice of an answer (or of what a stream spelt), as an output message. */
export function outputMessage(choice: JsonObject, streamEnd?: StreamEnd): OutputMessage {
  const message = isObject(choice.message) ? choice.message : {};
  return {
    role: String(message.role ?? "assistant"),
    parts: [...contentParts(message.content), ...functionToolCallParts(message.toolCalls, toolCallId)],
    finish_reason: mistralFinishReason(choice.finishReason, streamEnd),
    ...providerFinishReason(choice.finishReason),
  };
}

function mistralFinishReason(reason: unknown, streamEnd?: StreamEnd): FinishReason {
  return reason === "model_length" ? "length" : finishReasonOf(reason ?? undefined, streamEnd);
}

export function mistralUsage(usage: unknown): Usage | undefined {
  if (!isObject(usage)) return undefined;
  return definedOnly({
    inputTokens: numberOrUndefined(usage.promptTokens),
    outputTokens: numberOrUndefined(usage.completionTokens),
  });
}
