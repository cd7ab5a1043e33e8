/**
 * Cohere's v1 chat (`CohereClient.chat` / `chatStream`): a `message` with a `chatHistory`, a `preamble`, tools
 * described by `parameterDefinitions` and tool results without ids. The stream is JSON lines of `eventType`
 * events, whose `stream-end` carries the whole response.
 */

import { type StreamAccumulator, tracedAccumulatedAnswer } from "../../instrument/accumulated-answer";
import { describeSdkError } from "../../instrument/errors";
import {
  asArray,
  definedOnly,
  isObject,
  type JsonObject,
  providerFinishReason,
  stringOrUndefined,
  textParts,
} from "../../instrument/parts";
import type { StreamEnd } from "../../instrument/stream-end";
import type { ApiCallTracer } from "../../instrument/traced-call";
import type { InputMessage, LlmCall, Part, ToolDefinition } from "../../semconv/llm-call";
import { COHERE_PROVIDER, cohereFinishReason, cohereServer, cohereUsage } from "./shared";
import { cohereRequestParams } from "./v2";

const ROLES: Record<string, string> = { USER: "user", CHATBOT: "assistant", SYSTEM: "system", TOOL: "tool" };

export function cohereV1ChatTracer(streamed: boolean): ApiCallTracer {
  return {
    begin(args, environment) {
      const params = args[0];
      if (!isObject(params)) return undefined;
      const tools = asArray(params.tools).filter(isObject).map(toolDefinition);
      const call: LlmCall = definedOnly({
        provider: COHERE_PROVIDER,
        operation: "chat" as const,
        ...cohereServer(environment.client),
        request: definedOnly({ ...cohereRequestParams(params, streamed), tools: tools.length > 0 ? tools : undefined }),
        systemInstructions: optionalParts(textParts(params.preamble)),
        inputMessages: inputMessages(params),
      });
      return tracedAccumulatedAnswer({ call, args, streamed }, new V1ChatStream(), readResponse);
    },
    describeError: describeSdkError,
  };
}

function optionalParts(parts: Part[]): Part[] | undefined {
  return parts.length > 0 ? parts : undefined;
}

function toolDefinition(tool: JsonObject): ToolDefinition {
  return definedOnly({
    type: "function",
    name: String(tool.name ?? ""),
    description: stringOrUndefined(tool.description),
    parameters: tool.parameterDefinitions,
  });
}

/** The history, then this turn: the user's message and the results of the tools the model called. */
function inputMessages(params: JsonObject): InputMessage[] {
  const history = asArray(params.chatHistory).filter(isObject).map(historyMessage);
  const message = textParts(params.message);
  const results = toolResultParts(params.toolResults);
  return [
    ...history,
    ...(message.length > 0 ? [{ role: "user", parts: message }] : []),
    ...(results.length > 0 ? [{ role: "tool", parts: results }] : []),
  ];
}

function historyMessage(message: JsonObject): InputMessage {
  const role = ROLES[String(message.role)] ?? String(message.role ?? "user").toLowerCase();
  if (role === "tool") return { role, parts: toolResultParts(message.toolResults) };
  return { role, parts: [...textParts(message.message), ...toolCallParts(message.toolCalls)] };
}

function toolCallParts(toolCalls: unknown): Part[] {
  return asArray(toolCalls)
    .filter(isObject)
    .map((toolCall) => ({
      type: "tool_call" as const,
      name: String(toolCall.name ?? ""),
      arguments: toolCall.parameters,
    }));
}

function toolResultParts(results: unknown): Part[] {
  return asArray(results)
    .filter(isObject)
    .map((result) => ({ type: "tool_call_response" as const, response: result.outputs }));
}

function readResponse(call: LlmCall, body: unknown, end?: StreamEnd): void {
  if (!isObject(body)) return;
  call.responseId = stringOrUndefined(body.responseId) ?? stringOrUndefined(body.generationId) ?? call.responseId;
  call.usage = cohereUsage(body.meta) ?? call.usage;
  const parts = [...textParts(body.text), ...toolCallParts(body.toolCalls)];
  if (parts.length === 0 && body.finishReason === undefined) return;
  call.outputMessages = [
    {
      role: "assistant",
      parts,
      finish_reason: cohereFinishReason(body.finishReason, end),
      ...providerFinishReason(body.finishReason),
    },
  ];
}

/** Accumulates v1 stream events; `stream-end` brings the whole response, which wins. */
class V1ChatStream implements StreamAccumulator {
  private generationId?: string;
  private text = "";
  private toolCalls: unknown[] = [];
  private final?: JsonObject;
  /** `stream-end` is the end marker. */
  finished = false;

  add(event: unknown): void {
    if (!isObject(event)) return;
    switch (event.eventType) {
      case "stream-start":
        this.generationId = stringOrUndefined(event.generationId);
        break;
      case "text-generation":
        if (typeof event.text === "string") this.text += event.text;
        break;
      case "tool-calls-generation":
        this.toolCalls = asArray(event.toolCalls);
        break;
      case "stream-end":
        this.finished = true;
        if (isObject(event.response)) this.final = { finishReason: event.finishReason, ...event.response };
        break;
    }
  }

  answer(): JsonObject {
    return this.final ?? { generationId: this.generationId, text: this.text, toolCalls: this.toolCalls };
  }
}
