/**
 * Ollama's `chat`, `generate`, `embed` and `embeddings`: requests, answers and streamed chunks (the NDJSON lines
 * the SDK parses: each a partial answer, the last one `done` with the reason and the token counts) as LlmCalls.
 */

import { base64Of } from "../../instrument/base64";
import { tracedEmbeddings } from "../../instrument/embeddings-call";
import { describeSdkError } from "../../instrument/errors";
import { finishReasonOf } from "../../instrument/openai-compatible/chat-fields";
import { functionToolCallParts, functionToolDefinition } from "../../instrument/openai-compatible/function-tools";
import {
  asArray,
  definedOnly,
  isObject,
  type JsonObject,
  numberOrUndefined,
  providerFinishReason,
  stringOrUndefined,
  stringsOrUndefined,
  textParts,
  userTextMessages,
} from "../../instrument/parts";
import { serverOfUrl } from "../../instrument/server-address";
import type { StreamEnd } from "../../instrument/stream-end";
import type { ApiCallTracer, CallEnvironment, TracedCall } from "../../instrument/traced-call";
import type { InputMessage, LlmCall, Part, RequestParams, Usage } from "../../semconv/llm-call";

const OLLAMA_PROVIDER = "ollama";

export const ollamaChatTracer: ApiCallTracer = {
  begin(args, environment) {
    const params = args[0];
    if (!isObject(params)) return undefined;
    const tools = asArray(params.tools).filter(isObject).map(functionToolDefinition);
    return tracedAnswer(args, params, {
      ...baseCall(environment),
      operation: "chat",
      request: definedOnly({ ...requestParams(params), tools: tools.length > 0 ? tools : undefined }),
      inputMessages: asArray(params.messages).filter(isObject).map(inputMessage),
    });
  },
  describeError: describeSdkError,
};

export const ollamaGenerateTracer: ApiCallTracer = {
  begin(args, environment) {
    const params = args[0];
    if (!isObject(params)) return undefined;
    const system = textParts(params.system);
    return tracedAnswer(args, params, {
      ...baseCall(environment),
      operation: "text_completion",
      request: requestParams(params),
      systemInstructions: system.length > 0 ? system : undefined,
      inputMessages: [{ role: "user", parts: [...textParts(params.prompt), ...imageParts(params.images)] }],
    });
  },
  describeError: describeSdkError,
};

/** `embed` (and the older `embeddings`): the request and its usage; vectors are not recorded. */
export const ollamaEmbedTracer: ApiCallTracer = {
  begin(args, environment) {
    const params = args[0];
    if (!isObject(params)) return undefined;
    const described = {
      ...baseCall(environment),
      request: definedOnly({
        model: stringOrUndefined(params.model),
        dimensions: numberOrUndefined(params.dimensions),
      }),
    };
    // `embed` takes `input`, the older `embeddings` `prompt`.
    const input = params.input ?? params.prompt;
    return tracedEmbeddings(
      args,
      described,
      (body) => ({ responseModel: stringOrUndefined(body.model), usage: usageOf(body) }),
      () => userTextMessages(input),
    );
  },
  describeError: describeSdkError,
};

function baseCall(environment: CallEnvironment) {
  const config = (environment.client as { config?: { host?: unknown } }).config;
  return { provider: OLLAMA_PROVIDER, ...serverOfUrl(config?.host) };
}

/** Sampling params live in `options`, under llama.cpp's names (`num_predict` is the token limit). */
function requestParams(params: JsonObject): RequestParams {
  const options = isObject(params.options) ? params.options : {};
  return definedOnly({
    model: stringOrUndefined(params.model),
    temperature: numberOrUndefined(options.temperature),
    topP: numberOrUndefined(options.top_p),
    topK: numberOrUndefined(options.top_k),
    maxTokens: numberOrUndefined(options.num_predict),
    stopSequences: stringsOrUndefined(options.stop),
    seed: numberOrUndefined(options.seed),
    frequencyPenalty: numberOrUndefined(options.frequency_penalty),
    presencePenalty: numberOrUndefined(options.presence_penalty),
    stream: params.stream === true,
    // `format` is "json" or a JSON schema.
    outputType: params.format === undefined || params.format === "" ? undefined : "json",
  });
}

function inputMessage(message: JsonObject): InputMessage {
  const role = String(message.role ?? "user");
  if (role === "tool") {
    return { role, parts: [{ type: "tool_call_response", response: message.content }] };
  }
  return {
    role,
    parts: [
      ...thinkingParts(message.thinking),
      ...textParts(message.content),
      ...imageParts(message.images),
      ...functionToolCallParts(message.tool_calls),
    ],
  };
}

function thinkingParts(thinking: unknown): Part[] {
  return typeof thinking === "string" && thinking !== "" ? [{ type: "reasoning", content: thinking }] : [];
}

/** Images are base64 strings, or bytes the SDK encodes before sending. */
function imageParts(images: unknown): Part[] {
  return asArray(images).flatMap((image): Part[] => {
    const content = typeof image === "string" ? image : image instanceof Uint8Array ? base64Of(image) : undefined;
    return content === undefined ? [] : [{ type: "blob", modality: "image", content }];
  });
}

function usageOf(body: JsonObject): Usage | undefined {
  const usage = definedOnly({
    inputTokens: numberOrUndefined(body.prompt_eval_count),
    outputTokens: numberOrUndefined(body.eval_count),
  });
  return Object.keys(usage).length > 0 ? usage : undefined;
}

/** What one answer (or one streamed chunk of it) says, for `chat` and `generate` alike. */
interface Answer {
  model?: string;
  role?: string;
  text: string;
  thinking: string;
  toolCalls: unknown[];
  doneReason?: string;
  usage?: Usage;
}

function answerOf(body: JsonObject): Answer {
  const message = isObject(body.message) ? body.message : undefined;
  const source = message ?? body;
  return {
    model: stringOrUndefined(body.model),
    role: stringOrUndefined(message?.role),
    text: stringOrUndefined(message ? message.content : body.response) ?? "",
    thinking: stringOrUndefined(source.thinking) ?? "",
    toolCalls: asArray(source.tool_calls),
    doneReason: stringOrUndefined(body.done_reason),
    usage: usageOf(body),
  };
}

/** A chat or generate call: one JSON answer, or NDJSON chunks adding up to it. */
function tracedAnswer(args: readonly unknown[], params: JsonObject, described: LlmCall): TracedCall {
  const call: LlmCall = definedOnly(described);
  let streamed: Answer | undefined;
  // The chunk with `done: true` is the end marker.
  let done = false;
  return {
    call,
    args,
    streamed: params.stream === true,
    readBody(body) {
      if (isObject(body) && "done" in body) readAnswer(call, answerOf(body));
    },
    readEvent(chunk) {
      if (isObject(chunk)) {
        streamed = merge(streamed, answerOf(chunk));
        done ||= chunk.done === true;
      }
      return true;
    },
    endMarkerArrived() {
      return done;
    },
    endStream(end) {
      if (streamed) readAnswer(call, streamed, end);
    },
  };
}

function merge(soFar: Answer | undefined, piece: Answer): Answer {
  if (!soFar) return piece;
  return {
    model: soFar.model ?? piece.model,
    role: soFar.role ?? piece.role,
    text: soFar.text + piece.text,
    thinking: soFar.thinking + piece.thinking,
    toolCalls: [...soFar.toolCalls, ...piece.toolCalls],
    doneReason: piece.doneReason ?? soFar.doneReason,
    usage: piece.usage ?? soFar.usage,
  };
}

function readAnswer(call: LlmCall, answer: Answer, end?: StreamEnd): void {
  Object.assign(call, definedOnly({ responseModel: answer.model, usage: answer.usage }));
  const parts = [
    ...thinkingParts(answer.thinking),
    ...textParts(answer.text),
    ...functionToolCallParts(answer.toolCalls),
  ];
  if (parts.length === 0 && answer.doneReason === undefined) return;
  call.outputMessages = [
    {
      role: answer.role ?? "assistant",
      parts,
      // Ollama says `stop` when the model called tools; the conventions say `tool_call`, as for Gemini's `STOP`.
      finish_reason: finishReasonOf(calledTools(parts, answer.doneReason), end),
      ...providerFinishReason(answer.doneReason),
    },
  ];
}

function calledTools(parts: readonly Part[], reason: string | undefined): string | undefined {
  return reason === "stop" && parts.some((part) => part.type === "tool_call") ? "tool_calls" : reason;
}
