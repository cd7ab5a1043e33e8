/** `chat.completions.create`: Chat Completions params, completions and chunks as an LlmCall. */

import { describeSdkError } from "../../instrument/errors";
import { ChatStream, readCompletion, toolCallParts } from "../../instrument/openai-compatible/chat-completion";
import { outputTypeOf, samplingParams } from "../../instrument/openai-compatible/chat-fields";
import { contentParts } from "../../instrument/openai-compatible/content-parts";
import {
  asArray,
  definedOnly,
  isObject,
  type JsonObject,
  numberOrUndefined,
  paramsAsSent,
  stringOrUndefined,
  textParts,
} from "../../instrument/parts";
import type { StreamEnd } from "../../instrument/stream-end";
import type { ApiCallTracer, TracedCall } from "../../instrument/traced-call";
import type { InputMessage, LlmCall, Part, RequestParams, ToolDefinition } from "../../semconv/llm-call";
import { describeEndpoint, whoAnswers } from "./endpoint";
import { requestStreamUsage, type StreamUsageRequest } from "./stream-usage";

export const chatCompletionsTracer: ApiCallTracer = {
  begin(args, environment) {
    const params = args[0];
    if (!isObject(params)) return undefined;
    const { client, config } = environment;
    return new ChatCompletionCall(paramsAsSent(params), client, requestStreamUsage(args, params, client, config));
  },
  describeError: describeSdkError,
};

/** One chat completion call: the params as sent, read at the flush with the answer and who gave it. */
class ChatCompletionCall implements TracedCall {
  readonly call: LlmCall;
  readonly args: readonly unknown[];
  readonly streamed: boolean;
  private readonly stream: ChatStream | undefined;

  constructor(
    private readonly asked: JsonObject,
    private readonly client: object,
    private readonly sent: StreamUsageRequest,
  ) {
    // The provider is known for sure at the flush, from the client.
    this.call = { provider: "openai", operation: "chat", request: { model: stringOrUndefined(asked.model) } };
    this.args = sent.args;
    this.streamed = asked.stream === true;
    this.stream = this.streamed ? new ChatStream() : undefined;
  }

  describeRequest(): void {
    const { asked } = this;
    Object.assign(
      this.call,
      definedOnly({
        ...whoAnswers(describeEndpoint(this.client)),
        request: chatRequest(asked),
        inputMessages: asArray(asked.messages).filter(isObject).map(inputMessage),
      }),
    );
  }

  readBody(body: unknown): void {
    readCompletion(this.call, body, this.asked);
  }

  endMarkerArrived(): boolean {
    return this.stream?.finished ?? true;
  }

  readEvent(chunk: unknown): boolean {
    this.stream?.add(chunk);
    return this.sent.showChunk(chunk);
  }

  endStream(end: StreamEnd): void {
    if (this.stream) readCompletion(this.call, this.stream.answer(), this.asked, end);
  }
}

function chatRequest(params: JsonObject): RequestParams {
  return definedOnly({
    ...samplingParams(params),
    maxTokens: numberOrUndefined(params.max_completion_tokens) ?? numberOrUndefined(params.max_tokens),
    stream: params.stream === true,
    outputType: outputTypeOf(
      isObject(params.response_format) ? params.response_format.type : undefined,
      params.modalities,
    ),
    tools: toolDefinitions(params),
  });
}

function toolDefinitions(params: JsonObject): ToolDefinition[] | undefined {
  const tools = asArray(params.tools).filter(isObject).map(toolDefinition);
  const functions = asArray(params.functions)
    .filter(isObject)
    .map((fn) => functionDefinition("function", fn));
  const all = [...tools, ...functions];
  return all.length > 0 ? all : undefined;
}

function toolDefinition(tool: JsonObject): ToolDefinition {
  const type = String(tool.type ?? "function");
  const spec = tool[type];
  return isObject(spec) ? functionDefinition(type, spec) : { type, name: type };
}

function functionDefinition(type: string, fn: JsonObject): ToolDefinition {
  return definedOnly({
    type,
    name: String(fn.name ?? type),
    description: stringOrUndefined(fn.description),
    parameters: fn.parameters ?? fn.format,
  });
}

function inputMessage(message: JsonObject): InputMessage {
  const role = message.role === "developer" ? "system" : String(message.role ?? "user");
  const parts = inputParts(message);
  const name = stringOrUndefined(message.name);
  return name === undefined ? { role, parts } : { role, parts, name };
}

function inputParts(message: JsonObject): Part[] {
  if (message.role === "tool" || message.role === "function") {
    const response = typeof message.content === "string" ? message.content : contentParts(message.content);
    return [
      definedOnly({ type: "tool_call_response" as const, id: stringOrUndefined(message.tool_call_id), response }),
    ];
  }
  return [...contentParts(message.content), ...textParts(message.refusal), ...toolCallParts(message)];
}
