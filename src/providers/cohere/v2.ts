/**
 * Cohere's v2 chat (`CohereClientV2.chat` / `chatStream`, `CohereClient.v2.*`): the request, the answer and the
 * stream events as an LlmCall. The SDK hands over camelCase objects (`toolCalls`, `finishReason`), both ways.
 * Citations and documents are not recorded.
 */

import { type StreamAccumulator, tracedAccumulatedAnswer } from "../../instrument/accumulated-answer";
import { describeSdkError } from "../../instrument/errors";
import { functionToolCallParts, functionToolDefinition } from "../../instrument/openai-compatible/function-tools";
import {
  asArray,
  definedOnly,
  isObject,
  type JsonObject,
  numberOrUndefined,
  partFromUrl,
  providerFinishReason,
  stringOrUndefined,
  stringsOrUndefined,
  textParts,
} from "../../instrument/parts";
import type { StreamEnd } from "../../instrument/stream-end";
import type { ApiCallTracer } from "../../instrument/traced-call";
import type { InputMessage, LlmCall, OutputMessage, Part, RequestParams } from "../../semconv/llm-call";
import { COHERE_PROVIDER, cohereFinishReason, cohereServer, cohereUsage } from "./shared";

export function cohereV2ChatTracer(streamed: boolean): ApiCallTracer {
  return {
    begin(args, environment) {
      const params = args[0];
      if (!isObject(params)) return undefined;
      const call: LlmCall = definedOnly({
        provider: COHERE_PROVIDER,
        operation: "chat" as const,
        ...cohereServer(environment.client),
        request: requestParams(params, streamed),
        inputMessages: asArray(params.messages).filter(isObject).map(inputMessage),
      });
      return tracedAccumulatedAnswer({ call, args, streamed }, new V2ChatStream(), readResponse);
    },
    describeError: describeSdkError,
  };
}

/** The sampling params v1 and v2 chat share (`p` and `k` are top-p and top-k). */
export function cohereRequestParams(params: JsonObject, streamed: boolean): RequestParams {
  return definedOnly({
    model: stringOrUndefined(params.model),
    temperature: numberOrUndefined(params.temperature),
    topP: numberOrUndefined(params.p),
    topK: numberOrUndefined(params.k),
    maxTokens: numberOrUndefined(params.maxTokens),
    stopSequences: stringsOrUndefined(params.stopSequences),
    seed: numberOrUndefined(params.seed),
    frequencyPenalty: numberOrUndefined(params.frequencyPenalty),
    presencePenalty: numberOrUndefined(params.presencePenalty),
    stream: streamed,
    outputType: isObject(params.responseFormat) && params.responseFormat.type === "json_object" ? "json" : undefined,
  });
}

function requestParams(params: JsonObject, streamed: boolean): RequestParams {
  const tools = asArray(params.tools).filter(isObject).map(functionToolDefinition);
  return definedOnly({ ...cohereRequestParams(params, streamed), tools: tools.length > 0 ? tools : undefined });
}

function inputMessage(message: JsonObject): InputMessage {
  const role = String(message.role ?? "user");
  if (role === "tool") {
    return {
      role,
      parts: [
        definedOnly({
          type: "tool_call_response" as const,
          id: stringOrUndefined(message.toolCallId),
          response: toolResult(message.content),
        }),
      ],
    };
  }
  return { role, parts: messageParts(message) };
}

/** A tool result as the tool gave it: its text, or its documents' data. */
function toolResult(content: unknown): unknown {
  if (!Array.isArray(content)) return content;
  const items = content.filter(isObject).map((item) => {
    if (item.type === "text") return item.text;
    return isObject(item.document) ? item.document.data : item;
  });
  return items.length === 1 ? items[0] : items;
}

/** Content (a string or typed blocks), the tool plan, then the tool calls. */
function messageParts(message: JsonObject): Part[] {
  return [
    ...contentParts(message.content),
    ...textParts(message.toolPlan),
    ...functionToolCallParts(message.toolCalls),
  ];
}

/** A v2 message's content (a string, or text, thinking and image blocks) as parts; embed inputs have the same. */
export function contentParts(content: unknown): Part[] {
  if (typeof content === "string") return textParts(content);
  return asArray(content)
    .filter(isObject)
    .flatMap((block): Part[] => {
      if (block.type === "text") return textParts(block.text);
      if (block.type === "thinking" && typeof block.thinking === "string" && block.thinking !== "")
        return [{ type: "reasoning", content: block.thinking }];
      if (block.type === "image_url" && isObject(block.imageUrl) && typeof block.imageUrl.url === "string")
        return [partFromUrl(block.imageUrl.url, "image")];
      return [];
    });
}

function readResponse(call: LlmCall, body: unknown, end?: StreamEnd): void {
  if (!isObject(body)) return;
  call.responseId = stringOrUndefined(body.id) ?? call.responseId;
  call.usage = cohereUsage(body.usage) ?? call.usage;
  if (!isObject(body.message)) return;
  const output: OutputMessage = {
    role: String(body.message.role ?? "assistant"),
    parts: messageParts(body.message),
    finish_reason: cohereFinishReason(body.finishReason, end),
    ...providerFinishReason(body.finishReason),
  };
  // A stream that failed before its first block has no answer to show.
  if (output.parts.length > 0 || body.finishReason !== undefined) call.outputMessages = [output];
}

interface BlockSoFar {
  type: string;
  text: string;
}
interface ToolCallSoFar {
  id?: string;
  name: string;
  arguments: string;
}

/** Accumulates v2 stream events into the response they spell: content blocks and tool calls by index. */
class V2ChatStream implements StreamAccumulator {
  private id?: string;
  private role?: string;
  private toolPlan = "";
  private finishReason?: string;
  private usage?: unknown;
  private readonly blocks = new Map<number, BlockSoFar>();
  private readonly toolCalls = new Map<number, ToolCallSoFar>();
  /** `message-end` is the end marker. */
  finished = false;

  add(event: unknown): void {
    if (!isObject(event)) return;
    const index = numberOrUndefined(event.index) ?? 0;
    const delta = isObject(event.delta) ? event.delta : {};
    const message = isObject(delta.message) ? delta.message : {};
    switch (event.type) {
      case "message-start":
        this.id = stringOrUndefined(event.id);
        this.role = stringOrUndefined(message.role);
        break;
      case "content-start":
      case "content-delta":
        this.addContent(index, message.content);
        break;
      case "tool-plan-delta":
        if (typeof message.toolPlan === "string") this.toolPlan += message.toolPlan;
        break;
      case "tool-call-start":
      case "tool-call-delta":
        this.addToolCall(index, message.toolCalls);
        break;
      case "message-end":
        this.finished = true;
        this.finishReason = stringOrUndefined(delta.finishReason);
        this.usage = delta.usage;
        break;
    }
  }

  private addContent(index: number, content: unknown): void {
    if (!isObject(content)) return;
    let block = this.blocks.get(index);
    if (!block) {
      block = {
        type: stringOrUndefined(content.type) ?? (typeof content.thinking === "string" ? "thinking" : "text"),
        text: "",
      };
      this.blocks.set(index, block);
    }
    const piece = block.type === "thinking" ? content.thinking : content.text;
    if (typeof piece === "string") block.text += piece;
  }

  private addToolCall(index: number, delta: unknown): void {
    if (!isObject(delta)) return;
    let toolCall = this.toolCalls.get(index);
    if (!toolCall) {
      toolCall = { name: "", arguments: "" };
      this.toolCalls.set(index, toolCall);
    }
    if (typeof delta.id === "string") toolCall.id = delta.id;
    const fn = isObject(delta.function) ? delta.function : {};
    if (typeof fn.name === "string" && toolCall.name === "") toolCall.name = fn.name;
    if (typeof fn.arguments === "string") toolCall.arguments += fn.arguments;
  }

  /** The response streamed so far, in the shape of a non-streamed one. */
  answer(): JsonObject {
    return {
      id: this.id,
      finishReason: this.finishReason,
      usage: this.usage,
      message: {
        role: this.role ?? "assistant",
        content: byIndex(this.blocks).map((block) =>
          block.type === "thinking" ? { type: "thinking", thinking: block.text } : { type: "text", text: block.text },
        ),
        toolPlan: this.toolPlan,
        toolCalls: byIndex(this.toolCalls).map((toolCall) => ({
          id: toolCall.id,
          type: "function",
          function: { name: toolCall.name, arguments: toolCall.arguments },
        })),
      },
    };
  }
}

/** The values of `map`, in the order of their indexes. */
function byIndex<T>(map: Map<number, T>): T[] {
  return [...map.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
}
