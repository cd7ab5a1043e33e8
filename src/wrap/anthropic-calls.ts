/** `messages.create` and legacy `completions.create`: params, answers and stream events as an LlmCall. */
import type { LlmCall } from "../llm-call";
import { tracedAccumulatedAnswer } from "./accumulated-answer";
import {
  type AnthropicMessage,
  inputMessages,
  outputMessage,
  requestParams,
  systemInstructions,
  usage,
} from "./anthropic-content";
import { describeAnthropicEndpoint } from "./anthropic-endpoint";
import { withoutSdkSpan } from "./anthropic-sdk-spans";
import { type AnthropicCompletion, CompletionAccumulator, MessageAccumulator } from "./anthropic-stream";
import { describeSdkError } from "./errors";
import { definedOnly, isObject, type JsonObject, stringOrUndefined, textParts, unfinishedReason } from "./parts";
import type { ApiCallTracer, CallEnvironment, StreamEnd } from "./traced-call";

export const messagesTracer: ApiCallTracer = {
  begin(args, environment) {
    const [params, options] = args;
    if (!isObject(params)) return undefined;
    const call: LlmCall = definedOnly({
      ...baseCall(params, options, environment),
      operation: "chat" as const,
      systemInstructions: systemInstructions(params.system),
      inputMessages: inputMessages(params.messages),
    });
    return tracedAccumulatedAnswer(
      {
        call,
        args: withoutSdkSpan(args, environment.client, "anthropic.messages.create"),
        streamed: params.stream === true,
      },
      new MessageAccumulator(),
      readMessage,
    );
  },
  describeError: describeSdkError,
};

export const completionsTracer: ApiCallTracer = {
  begin(args, environment) {
    const [params, options] = args;
    if (!isObject(params)) return undefined;
    const call: LlmCall = definedOnly({
      ...baseCall(params, options, environment),
      operation: "text_completion" as const,
      inputMessages: [{ role: "user", parts: textParts(params.prompt) }],
    });
    return tracedAccumulatedAnswer(
      {
        call,
        args: withoutSdkSpan(args, environment.client, "anthropic.completions.create"),
        streamed: params.stream === true,
      },
      new CompletionAccumulator(),
      readCompletion,
    );
  },
  describeError: describeSdkError,
};

function baseCall(params: JsonObject, options: unknown, environment: CallEnvironment) {
  return {
    ...describeAnthropicEndpoint(environment.client),
    request: definedOnly(requestParams(params)),
    conversationId: conversationIdOf(options),
  };
}

/** The SDK's own per-call `openTelemetry.conversationId` request option names the conversation too. */
function conversationIdOf(options: unknown): string | undefined {
  const telemetry = isObject(options) ? options.openTelemetry : undefined;
  return isObject(telemetry) ? stringOrUndefined(telemetry.conversationId) : undefined;
}

function readMessage(call: LlmCall, body: unknown, end?: StreamEnd): void {
  if (!isObject(body) || !Array.isArray(body.content)) return;
  const message = body as unknown as AnthropicMessage;
  Object.assign(
    call,
    definedOnly({ responseId: message.id, responseModel: message.model, usage: usage(message.usage) }),
  );
  // A stream that failed before its first block has no answer to show.
  if (message.content.length > 0 || message.stop_reason) {
    call.outputMessages = [outputMessage(message, unfinishedReason(end))];
  }
}

function readCompletion(call: LlmCall, body: unknown, end?: StreamEnd): void {
  if (!isObject(body) || typeof body.completion !== "string") return;
  const completion = body as unknown as AnthropicCompletion;
  Object.assign(call, definedOnly({ responseId: completion.id, responseModel: completion.model }));
  const message: AnthropicMessage = {
    role: "assistant",
    content: [{ type: "text", text: completion.completion }],
    stop_reason: completion.stop_reason,
  };
  call.outputMessages = [outputMessage(message, unfinishedReason(end))];
}
