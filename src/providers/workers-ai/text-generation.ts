/**
 * Workers AI text generation in its own format: the inputs (`messages` or `prompt`, `tools`, sampling params) and
 * the answer (`{ response, tool_calls, usage }`, or the server-sent events adding up to it: `response` in pieces,
 * usage on the last one).
 */
import { base64Of } from "../../instrument/base64";
import { chatUsage, finishReasonOf, outputTypeOf } from "../../instrument/openai-compatible/chat-fields";
import { contentParts } from "../../instrument/openai-compatible/content-parts";
import { functionToolCallParts } from "../../instrument/openai-compatible/function-tools";
import { inputMessages as responsesInput } from "../../instrument/openai-compatible/responses-format";
import {
  asArray,
  definedOnly,
  isObject,
  type JsonObject,
  numberOrUndefined,
  parseArguments,
  partFromUrl,
  stringOrUndefined,
  textParts,
} from "../../instrument/parts";
import type { StreamEnd } from "../../instrument/stream-end";
import type { InputMessage, LlmCall, Part, RequestParams, ToolDefinition } from "../../semconv/llm-call";

/** What the inputs ask: params, system instructions (the Responses format's) and messages. */
export function textGenerationRequest(
  model: string,
  inputs: JsonObject,
): Pick<LlmCall, "request" | "systemInstructions" | "inputMessages"> {
  if (inputs.input === undefined)
    return { request: textGenerationParams(model, inputs), inputMessages: inputMessages(inputs) };
  return definedOnly({
    request: textGenerationParams(model, inputs),
    systemInstructions: typeof inputs.instructions === "string" ? textParts(inputs.instructions) : undefined,
    inputMessages: responsesInput(inputs.input),
  });
}

function textGenerationParams(model: string, inputs: JsonObject): RequestParams {
  const tools = asArray(inputs.tools).filter(isObject).map(toolDefinition);
  const format = isObject(inputs.response_format) ? inputs.response_format.type : undefined;
  return definedOnly({
    model,
    temperature: numberOrUndefined(inputs.temperature),
    topP: numberOrUndefined(inputs.top_p),
    topK: numberOrUndefined(inputs.top_k),
    maxTokens: numberOrUndefined(inputs.max_tokens) ?? numberOrUndefined(inputs.max_output_tokens),
    seed: numberOrUndefined(inputs.seed),
    frequencyPenalty: numberOrUndefined(inputs.frequency_penalty),
    presencePenalty: numberOrUndefined(inputs.presence_penalty),
    stream: inputs.stream === true,
    outputType: outputTypeOf(format),
    tools: tools.length > 0 ? tools : undefined,
  });
}

/** A tool as Workers AI takes it: `{ name, description, parameters }`, or OpenAI's `{ type, function }`. */
function toolDefinition(tool: JsonObject): ToolDefinition {
  const spec = isObject(tool.function) ? tool.function : tool;
  return definedOnly({
    type: String(tool.type ?? "function"),
    name: String(spec.name ?? ""),
    description: stringOrUndefined(spec.description),
    parameters: spec.parameters,
  });
}

/** The messages, or the prompt as a user message; an `image` input joins the (last) user message. */
function inputMessages(inputs: JsonObject): InputMessage[] {
  const messages =
    typeof inputs.prompt === "string"
      ? [{ role: "user", parts: textParts(inputs.prompt) }]
      : asArray(inputs.messages).filter(isObject).map(inputMessage);
  const image = imageParts(inputs.image);
  const lastUser = messages.filter((message) => message.role === "user").at(-1);
  if (image.length > 0 && lastUser) lastUser.parts.push(...image);
  return messages;
}

/** The image a vision model takes beside the text: bytes (numbers or a Uint8Array), base64, or a data URL. */
function imageParts(image: unknown): Part[] {
  if (typeof image === "string") {
    if (image === "") return [];
    return [
      image.startsWith("data:") ? partFromUrl(image, "image") : { type: "blob", modality: "image", content: image },
    ];
  }
  const bytes = image instanceof Uint8Array ? image : Array.isArray(image) ? Uint8Array.from(image) : undefined;
  return bytes ? [{ type: "blob", modality: "image", content: base64Of(bytes) }] : [];
}

function inputMessage(message: JsonObject): InputMessage {
  const role = String(message.role ?? "user");
  if (role === "tool") {
    return {
      role,
      parts: [
        definedOnly({
          type: "tool_call_response" as const,
          id: stringOrUndefined(message.tool_call_id),
          response: message.content,
        }),
      ],
    };
  }
  return { role, parts: [...contentParts(message.content), ...toolCallParts(message.tool_calls)] };
}

/** Tool calls in either shape Workers AI uses: `{ name, arguments }`, or OpenAI's `{ id, function }`. */
function toolCallParts(toolCalls: unknown): Part[] {
  return asArray(toolCalls)
    .filter(isObject)
    .flatMap((toolCall): Part[] =>
      isObject(toolCall.function)
        ? functionToolCallParts([toolCall])
        : [
            definedOnly({
              type: "tool_call" as const,
              id: stringOrUndefined(toolCall.id),
              name: String(toolCall.name ?? ""),
              arguments: parseArguments(toolCall.arguments),
            }),
          ],
    );
}

/** `{ response, tool_calls, usage }`, or the events of a stream: the answer's text, its tool calls and usage. */
export function readTextAnswer(call: LlmCall, answers: readonly unknown[], end?: StreamEnd): void {
  let text = "";
  const toolCalls: unknown[] = [];
  let finishReason: unknown;
  for (const answer of answers.filter(isObject)) {
    text += responseText(answer.response);
    toolCalls.push(...asArray(answer.tool_calls));
    call.usage = chatUsage(answer.usage) ?? call.usage;
    finishReason = answer.finish_reason ?? finishReason;
  }
  const parts = [...textParts(text), ...toolCallParts(toolCalls)];
  if (parts.length === 0 && end === undefined) return;
  // Workers AI gives no finish reason: a call that asked for tools and got tool calls stopped for them.
  const reason = finishReason ?? (toolCalls.length > 0 ? "tool_calls" : undefined);
  call.outputMessages = [{ role: "assistant", parts, finish_reason: finishReasonOf(reason, end) }];
}

/** `response` is text, or the JSON object a `response_format` asked for. */
function responseText(response: unknown): string {
  if (typeof response === "string") return response;
  return isObject(response) || Array.isArray(response) ? JSON.stringify(response) : "";
}
