/** The Responses API's format: `input` items, Response objects and their stream events, as an LlmCall. */

import type { InputMessage, LlmCall, OutputMessage, Part, Usage } from "../../semconv/llm-call";
import type { StreamAccumulator } from "../accumulated-answer";
import {
  asArray,
  definedOnly,
  isObject,
  type JsonObject,
  numberOrUndefined,
  parseArguments,
  stringOrUndefined,
  textParts,
} from "../parts";
import { type StreamEnd, unfinishedReason } from "../stream-end";
import { contentParts } from "./content-parts";

/** `input`: a string, or items — messages, and the tool calls, tool results and reasoning of earlier turns. */
export function inputMessages(input: unknown): InputMessage[] | undefined {
  if (typeof input === "string") return [{ role: "user", parts: textParts(input) }];
  const messages: InputMessage[] = [];
  for (const item of asArray(input).filter(isObject)) {
    if (typeof item.role === "string") {
      messages.push({ role: item.role === "developer" ? "system" : item.role, parts: contentParts(item.content) });
    } else if (item.type === "function_call_output" || item.type === "custom_tool_call_output") {
      const response = typeof item.output === "string" ? item.output : contentParts(item.output);
      messages.push({
        role: "tool",
        parts: [definedOnly({ type: "tool_call_response" as const, id: stringOrUndefined(item.call_id), response })],
      });
    } else {
      appendToAssistant(messages, outputParts(item));
    }
  }
  return messages.length > 0 ? messages : undefined;
}

/** Items of an earlier assistant turn join the assistant message before them. */
function appendToAssistant(messages: InputMessage[], parts: Part[]): void {
  if (parts.length === 0) return;
  const last = messages.at(-1);
  if (last?.role === "assistant") last.parts.push(...parts);
  else messages.push({ role: "assistant", parts });
}

/** A Response object (or the one a stream spelt) into `call`. */
export function readResponse(call: LlmCall, body: unknown, streamEnd?: StreamEnd): void {
  if (!isObject(body)) return;
  call.responseId = stringOrUndefined(body.id) || call.responseId;
  call.responseModel = stringOrUndefined(body.model) || call.responseModel;
  call.usage = responsesUsage(body.usage) ?? call.usage;
  const parts = asArray(body.output).filter(isObject).flatMap(outputParts);
  if (parts.length > 0) {
    call.outputMessages = [{ role: "assistant", parts, finish_reason: finishReasonOf(body, parts, streamEnd) }];
  }
  if (body.status === "failed") {
    const error = isObject(body.error) ? body.error : {};
    call.error = definedOnly({
      type: String(error.code ?? "response_failed"),
      message: stringOrUndefined(error.message),
    });
  }
}

function finishReasonOf(
  response: JsonObject,
  parts: Part[],
  streamEnd: StreamEnd | undefined,
): OutputMessage["finish_reason"] {
  switch (response.status) {
    case "completed":
      return parts.some((part) => part.type === "tool_call") ? "tool_call" : "stop";
    case "incomplete": {
      const reason = isObject(response.incomplete_details) ? response.incomplete_details.reason : undefined;
      return reason === "max_output_tokens" ? "length" : String(reason ?? "incomplete");
    }
    case "failed":
      return "error";
    default:
      return streamEnd ? unfinishedReason(streamEnd) : String(response.status ?? "stop");
  }
}

function responsesUsage(usage: unknown): Usage | undefined {
  if (!isObject(usage)) return undefined;
  const inputDetails = isObject(usage.input_tokens_details) ? usage.input_tokens_details : {};
  const outputDetails = isObject(usage.output_tokens_details) ? usage.output_tokens_details : {};
  return definedOnly({
    inputTokens: numberOrUndefined(usage.input_tokens),
    outputTokens: numberOrUndefined(usage.output_tokens),
    cacheReadInputTokens: numberOrUndefined(inputDetails.cached_tokens),
    reasoningOutputTokens: numberOrUndefined(outputDetails.reasoning_tokens),
  });
}

/** Fields of a built-in tool call that are its result rather than its request. */
const SERVER_TOOL_RESULTS = ["results", "outputs", "output", "result", "error"];
/** Fields of a built-in tool call that are neither its request nor its result. */
const SERVER_TOOL_BOOKKEEPING = ["id", "type", "status"];

/** One output item (or an earlier turn's item in `input`) as parts. */
function outputParts(item: JsonObject): Part[] {
  switch (item.type) {
    case "message":
      return contentParts(item.content);
    case "reasoning":
      return reasoningParts(item);
    case "function_call":
      return [toolCall(item, item.arguments)];
    case "custom_tool_call":
      return [toolCall(item, item.input)];
    case "item_reference":
    case undefined:
      return [];
    default:
      return serverToolParts(item);
  }
}

function toolCall(item: JsonObject, args: unknown): Part {
  return definedOnly({
    type: "tool_call" as const,
    id: stringOrUndefined(item.call_id) ?? stringOrUndefined(item.id),
    name: String(item.name ?? ""),
    arguments: parseArguments(args),
  });
}

/** Summaries, then the reasoning text itself, then the encrypted reasoning (its size only). */
function reasoningParts(item: JsonObject): Part[] {
  const texts = [...asArray(item.summary), ...asArray(item.content)]
    .filter(isObject)
    .flatMap((part): Part[] => (typeof part.text === "string" ? [{ type: "reasoning", content: part.text }] : []));
  const encrypted: Part[] =
    typeof item.encrypted_content === "string"
      ? [{ type: "redacted_reasoning", size: item.encrypted_content.length }]
      : [];
  return [...texts, ...encrypted];
}

/** A tool OpenAI ran itself (web search, file search, code interpreter, MCP, …): its call, and its result when given. */
function serverToolParts(item: JsonObject): Part[] {
  const type = String(item.type);
  const id = stringOrUndefined(item.id);
  const request = Object.fromEntries(
    Object.entries(item).filter(
      ([key]) => !SERVER_TOOL_BOOKKEEPING.includes(key) && !SERVER_TOOL_RESULTS.includes(key),
    ),
  );
  const call: Part = definedOnly({
    type: "server_tool_call" as const,
    id,
    name: type.replace(/_call$/, ""),
    server_tool_call: { type, ...request },
  });
  const results = Object.entries(item).filter(([key, value]) => SERVER_TOOL_RESULTS.includes(key) && value != null);
  if (results.length === 0) return [call];
  const response: Part = definedOnly({
    type: "server_tool_call_response" as const,
    id,
    server_tool_call_response: { type, ...Object.fromEntries(results) },
  });
  return [call, response];
}

/**
 * What a Responses stream told so far: the final Response from its terminal event, else the Response the
 * events spelled out before the stream stopped (items done, and the text of items still open).
 */
export class ResponseStreamSoFar implements StreamAccumulator {
  private snapshot: JsonObject = {};
  private terminal?: JsonObject;
  /** A terminal event (`response.completed`, `.incomplete`, `.failed`) or an `error` event ends the stream. */
  finished = false;
  private readonly items = new Map<number, JsonObject>();
  private readonly text = new Map<number, string>();

  /** `call` takes the error an `error` event reports. */
  constructor(private readonly call: LlmCall) {}

  add(event: unknown): void {
    if (!isObject(event)) return;
    const index = numberOrUndefined(event.output_index) ?? 0;
    switch (event.type) {
      case "response.created":
      case "response.in_progress":
        if (isObject(event.response)) this.snapshot = event.response;
        break;
      case "response.output_item.added":
      case "response.output_item.done":
        if (isObject(event.item)) this.items.set(index, event.item);
        break;
      case "response.output_text.delta":
        if (typeof event.delta === "string") this.text.set(index, (this.text.get(index) ?? "") + event.delta);
        break;
      case "response.completed":
      case "response.incomplete":
      case "response.failed":
        if (isObject(event.response)) this.terminal = event.response;
        this.finished = true;
        break;
      case "error":
        this.finished = true;
        this.call.error = definedOnly({
          type: String(event.code ?? "error"),
          message: stringOrUndefined(event.message),
        });
        break;
    }
  }

  answer(): JsonObject {
    if (this.terminal) return this.terminal;
    const output = [...this.items.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, item]) => this.withStreamedText(index, item));
    return { ...this.snapshot, status: undefined, output };
  }

  private withStreamedText(index: number, item: JsonObject): JsonObject {
    const text = this.text.get(index);
    const done = asArray(item.content).length > 0;
    if (item.type !== "message" || done || text === undefined) return item;
    return { ...item, content: [{ type: "output_text", text }] };
  }
}
