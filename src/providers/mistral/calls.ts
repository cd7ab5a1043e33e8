/**
 * Mistral's `chat.complete` / `stream` / `parse` / `parseStream`, `fim.complete` / `stream` and
 * `embeddings.create`: requests, answers and stream events (`{ data: chunk }`) as LlmCalls.
 */

import { tracedAccumulatedAnswer } from "../../instrument/accumulated-answer";
import { tracedEmbeddings } from "../../instrument/embeddings-call";
import { describeSdkError } from "../../instrument/errors";
import { outputTypeOf } from "../../instrument/openai-compatible/chat-fields";
import { functionToolDefinition } from "../../instrument/openai-compatible/function-tools";
import {
  asArray,
  definedOnly,
  isObject,
  type JsonObject,
  numberOrUndefined,
  stopSequencesOf,
  stringOrUndefined,
  textParts,
  userTextMessages,
} from "../../instrument/parts";
import type { StreamEnd } from "../../instrument/stream-end";
import type { ApiCallTracer, CallEnvironment, TracedCall } from "../../instrument/traced-call";
import type { LlmCall, RequestParams, ToolDefinition } from "../../semconv/llm-call";
import { inputMessage, MISTRAL_PROVIDER, mistralServer, mistralUsage, outputMessage } from "./content";
import { MistralChunks } from "./stream";

/* @__NO_SIDE_EFFECTS__ */
export function mistralChatTracer(streamed: boolean): ApiCallTracer {
  return {
    begin(args, environment) {
      const params = args[0];
      if (!isObject(params)) return undefined;
      const tools = asArray(params.tools).filter(isObject).map(toolDefinition);
      return tracedCompletion(args, streamed, {
        ...baseCall(environment),
        operation: "chat",
        request: definedOnly({
          ...samplingParams(params, streamed),
          choiceCount: numberOrUndefined(params.n) !== 1 ? numberOrUndefined(params.n) : undefined,
          presencePenalty: numberOrUndefined(params.presencePenalty),
          frequencyPenalty: numberOrUndefined(params.frequencyPenalty),
          outputType: outputType(params.responseFormat),
          tools: tools.length > 0 ? tools : undefined,
        }),
        inputMessages: asArray(params.messages).filter(isObject).map(inputMessage),
      });
    },
    describeError: describeSdkError,
  };
}

/** Fill-in-the-middle: the prompt is the user's text; the suffix it should lead to is not recorded. */
/* @__NO_SIDE_EFFECTS__ */
export function mistralFimTracer(streamed: boolean): ApiCallTracer {
  return {
    begin(args, environment) {
      const params = args[0];
      if (!isObject(params)) return undefined;
      return tracedCompletion(args, streamed, {
        ...baseCall(environment),
        operation: "text_completion",
        request: samplingParams(params, streamed),
        inputMessages: [{ role: "user", parts: textParts(params.prompt) }],
      });
    },
    describeError: describeSdkError,
  };
}

export const mistralEmbeddingsTracer: ApiCallTracer = {
  begin(args, environment) {
    const params = args[0];
    if (!isObject(params)) return undefined;
    const format = stringOrUndefined(params.encodingFormat);
    const described = {
      ...baseCall(environment),
      request: definedOnly({
        model: stringOrUndefined(params.model),
        dimensions: numberOrUndefined(params.outputDimension),
        encodingFormats: format ? [format] : undefined,
      }),
    };
    const inputs = params.inputs;
    return tracedEmbeddings(
      args,
      described,
      (body) => ({
        responseId: stringOrUndefined(body.id),
        responseModel: stringOrUndefined(body.model),
        usage: mistralUsage(body.usage),
      }),
      () => userTextMessages(inputs),
    );
  },
  describeError: describeSdkError,
};

function baseCall(environment: CallEnvironment) {
  return { provider: MISTRAL_PROVIDER, ...mistralServer(environment.client) };
}

/** The params chat and FIM share (`randomSeed` is the seed). */
function samplingParams(params: JsonObject, streamed: boolean): RequestParams {
  return definedOnly({
    model: stringOrUndefined(params.model),
    temperature: numberOrUndefined(params.temperature),
    topP: numberOrUndefined(params.topP),
    maxTokens: numberOrUndefined(params.maxTokens),
    stopSequences: stopSequencesOf(params.stop),
    seed: numberOrUndefined(params.randomSeed),
    stream: streamed,
  });
}

const FORMAT_TYPES = new Set(["text", "json_object", "json_schema"]);

/** A `responseFormat` of the API (`{ type }`), or the schema `parse` turns into one: its answer is JSON. */
function outputType(format: unknown): string | undefined {
  if (!isObject(format)) return undefined;
  return FORMAT_TYPES.has(String(format.type)) ? outputTypeOf(format.type) : "json";
}

function toolDefinition(tool: JsonObject): ToolDefinition {
  const type = String(tool.type ?? "function");
  return isObject(tool.function) ? functionToolDefinition(tool) : { type, name: type };
}

/** A chat or FIM call: the answer is a ChatCompletionResponse, streamed as its chunks. */
function tracedCompletion(
  args: readonly unknown[],
  streamed: boolean,
  described: Omit<LlmCall, "provider"> & { provider: string },
): TracedCall {
  const call: LlmCall = definedOnly(described);
  return tracedAccumulatedAnswer({ call, args, streamed }, new MistralChunks(), readCompletion);
}

function readCompletion(call: LlmCall, body: unknown, end?: StreamEnd): void {
  if (!isObject(body)) return;
  call.responseId = stringOrUndefined(body.id) || call.responseId;
  call.responseModel = stringOrUndefined(body.model) || call.responseModel;
  call.usage = mistralUsage(body.usage) ?? call.usage;
  const outputs = asArray(body.choices)
    .filter(isObject)
    .map((choice) => outputMessage(choice, end));
  if (outputs.length > 0) call.outputMessages = outputs;
}
