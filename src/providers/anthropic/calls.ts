/** `messages.create` and legacy `completions.create`: params, answers and stream events as an LlmCall. */

import { tracedAccumulatedAnswer } from "../../instrument/accumulated-answer";
import {
  type AnthropicMessage,
  inputMessages,
  outputMessage,
  requestParams,
  systemInstructions,
  usage,
} from "../../instrument/anthropic-messages/content";
import {
  type AnthropicCompletion,
  CompletionAccumulator,
  MessageAccumulator,
} from "../../instrument/anthropic-messages/stream";
import { describeSdkError } from "../../instrument/errors";
import {
  definedOnly,
  isObject,
  type JsonObject,
  paramsAsSent,
  stringOrUndefined,
  textParts,
} from "../../instrument/parts";
import { type StreamEnd, unfinishedReason } from "../../instrument/stream-end";
import type { ApiCallTracer } from "../../instrument/traced-call";
import type { LlmCall } from "../../semconv/llm-call";
import { type AnthropicEndpoint, describeAnthropicEndpoint } from "./endpoint";
import { withoutSdkSpan } from "./sdk-spans";

export const messagesTracer: ApiCallTracer = {
  begin(args, environment) {
    const [params, options] = args;
    if (!isObject(params)) return undefined;
    const asked = paramsAsSent(params);
    const conversationId = conversationIdOf(options);
    // The provider is known for sure at the flush, from the client.
    const call: LlmCall = {
      provider: "anthropic",
      operation: "chat",
      request: { model: stringOrUndefined(asked.model) },
    };
    return tracedAccumulatedAnswer(
      {
        call,
        args: withoutSdkSpan(args, environment.client, "anthropic.messages.create"),
        streamed: asked.stream === true,
        describeRequest() {
          Object.assign(
            call,
            definedOnly({
              ...baseCall(asked, conversationId, describeAnthropicEndpoint(environment.client)),
              systemInstructions: systemInstructions(asked.system),
              inputMessages: inputMessages(asked.messages),
            }),
          );
        },
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
    const endpoint = describeAnthropicEndpoint(environment.client);
    const call: LlmCall = definedOnly({
      ...baseCall(params, conversationIdOf(options), endpoint),
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

function baseCall(params: JsonObject, conversationId: string | undefined, endpoint: AnthropicEndpoint) {
  return { ...endpoint, request: definedOnly(requestParams(params)), conversationId };
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
