/** Chat Completions answers, whole or streamed: choices, tool calls, audio, usage, as an LlmCall's output. */

import type { LlmCall, OutputMessage, Part } from "../../semconv/llm-call";
import type { StreamAccumulator } from "../accumulated-answer";
import {
  asArray,
  definedOnly,
  isObject,
  type JsonObject,
  parseArguments,
  providerFinishReason,
  stringOrUndefined,
  textParts,
} from "../parts";
import type { StreamEnd } from "../stream-end";
import { addPiece, type StreamedText, streamedText } from "../streamed-text";
import { chatUsage, finishReasonOf } from "./chat-fields";
import { audioPart, contentParts } from "./content-parts";

/** A message's tool calls (function and custom tools, and the legacy `function_call`). */
export function toolCallParts(message: JsonObject): Part[] {
  const calls = asArray(message.tool_calls)
    .filter(isObject)
    .map((call): Part => {
      const spec = isObject(call.function) ? call.function : isObject(call.custom) ? call.custom : {};
      return definedOnly({
        type: "tool_call" as const,
        id: stringOrUndefined(call.id),
        name: String(spec.name ?? ""),
        arguments: parseArguments(spec.arguments ?? spec.input),
      });
    });
  const legacy = isObject(message.function_call)
    ? [
        {
          type: "tool_call" as const,
          name: String(message.function_call.name ?? ""),
          arguments: parseArguments(message.function_call.arguments),
        },
      ]
    : [];
  return [...calls, ...legacy];
}

/** A chat completion (or the one a stream spelt) into `call`; `params` are the request's (its audio format). */
export function readCompletion(call: LlmCall, body: unknown, params: JsonObject, streamEnd?: StreamEnd): void {
  if (!isObject(body)) return;
  call.responseId = stringOrUndefined(body.id) || call.responseId;
  call.responseModel = stringOrUndefined(body.model) || call.responseModel;
  call.usage = chatUsage(body.usage) ?? call.usage;
  const audioFormat = isObject(params.audio) ? stringOrUndefined(params.audio.format) : undefined;
  const outputs = asArray(body.choices)
    .filter(isObject)
    .map((choice) => outputMessage(choice, audioFormat, streamEnd));
  if (outputs.length > 0) call.outputMessages = outputs;
}

function outputMessage(choice: JsonObject, audioFormat: string | undefined, streamEnd?: StreamEnd): OutputMessage {
  const message = isObject(choice.message) ? choice.message : {};
  const reasoning = message.reasoning_content ?? message.reasoning;
  const parts: Part[] = [
    ...(typeof reasoning === "string" && reasoning !== "" ? [{ type: "reasoning" as const, content: reasoning }] : []),
    ...contentParts(message.content),
    ...textParts(message.refusal),
    ...audioParts(message.audio, audioFormat),
    ...toolCallParts(message),
  ];
  return {
    role: String(message.role ?? "assistant"),
    parts,
    finish_reason: finishReasonOf(choice.finish_reason, streamEnd),
    ...providerFinishReason(choice.finish_reason),
  };
}

/** The transcript of an audio answer, then its audio (in the format the request asked for). */
function audioParts(audio: unknown, format: string | undefined): Part[] {
  if (!isObject(audio)) return [];
  return [...textParts(audio.transcript), ...(audio.data === "" ? [] : audioPart({ data: audio.data, format }))];
}

interface ChoiceSoFar {
  role?: string;
  content: StreamedText;
  refusal: string;
  reasoning: StreamedText;
  transcript: string;
  audioData: string;
  toolCalls: Map<number, { id?: string; type: string; name: string; arguments: string }>;
  finishReason?: string;
}

/** Accumulates streamed chunks into the completion they spell: choices and tool calls by index, usage overwritten. */
export class ChatStream implements StreamAccumulator {
  private id?: string;
  private model?: string;
  private usage?: unknown;
  /** Groq's usage, on its last chunk (`x_groq.usage`) whether or not `include_usage` was asked for. */
  private groqUsage?: unknown;
  private readonly choices = new Map<number, ChoiceSoFar>();
  /** A choice's finish reason is the end marker ([DONE] never reaches the caller's events). */
  finished = false;

  add(chunk: unknown): void {
    if (!isObject(chunk)) return;
    // Azure's first chunk has an empty id and model.
    this.id ||= stringOrUndefined(chunk.id);
    this.model ||= stringOrUndefined(chunk.model);
    if (isObject(chunk.usage)) this.usage = chunk.usage;
    if (isObject(chunk.x_groq) && isObject(chunk.x_groq.usage)) this.groqUsage = chunk.x_groq.usage;
    const choices = chunk.choices;
    if (!Array.isArray(choices)) return;
    for (const choice of choices) if (isObject(choice)) this.addChoice(choice);
  }

  private addChoice(choice: JsonObject): void {
    const index = typeof choice.index === "number" ? choice.index : 0;
    let soFar = this.choices.get(index);
    if (!soFar) {
      soFar = {
        content: streamedText(),
        refusal: "",
        reasoning: streamedText(),
        transcript: "",
        audioData: "",
        toolCalls: new Map(),
      };
      this.choices.set(index, soFar);
    }
    if (typeof choice.finish_reason === "string") {
      soFar.finishReason = choice.finish_reason;
      this.finished = true;
    }
    // Azure's content-filter chunks carry no delta.
    if (isObject(choice.delta)) addDelta(soFar, choice.delta);
  }

  /** The completion streamed so far, in the shape of a non-streamed one. */
  answer(): JsonObject {
    const choices = [...this.choices.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, soFar]) => ({ index, message: messageOf(soFar), finish_reason: soFar.finishReason ?? null }));
    return { id: this.id, model: this.model, usage: this.usage ?? this.groqUsage, choices };
  }
}

function addDelta(soFar: ChoiceSoFar, delta: JsonObject): void {
  if (typeof delta.role === "string") soFar.role = delta.role;
  if (typeof delta.content === "string") addPiece(soFar.content, delta.content);
  if (typeof delta.refusal === "string") soFar.refusal += delta.refusal;
  const reasoning = delta.reasoning_content ?? delta.reasoning;
  if (typeof reasoning === "string") addPiece(soFar.reasoning, reasoning);
  if (isObject(delta.audio)) {
    if (typeof delta.audio.transcript === "string") soFar.transcript += delta.audio.transcript;
    if (typeof delta.audio.data === "string") soFar.audioData += delta.audio.data;
  }
  const toolCalls = delta.tool_calls;
  if (!Array.isArray(toolCalls)) return;
  for (const call of toolCalls) if (isObject(call)) addToolCallDelta(soFar.toolCalls, call);
}

function addToolCallDelta(calls: ChoiceSoFar["toolCalls"], delta: JsonObject): void {
  // Some OpenAI-compatible services omit `index`: a delta with an id opens a new call, one without continues the last.
  const index = typeof delta.index === "number" ? delta.index : delta.id ? calls.size : Math.max(calls.size - 1, 0);
  let call = calls.get(index);
  if (!call) {
    call = { type: "function", name: "", arguments: "" };
    calls.set(index, call);
  }
  if (typeof delta.id === "string" && delta.id !== "") call.id = delta.id;
  if (typeof delta.type === "string") call.type = delta.type;
  const fn = isObject(delta.function) ? delta.function : {};
  if (typeof fn.name === "string" && call.name === "") call.name = fn.name;
  if (typeof fn.arguments === "string") call.arguments += fn.arguments;
}

function messageOf(soFar: ChoiceSoFar): JsonObject {
  const toolCalls = [...soFar.toolCalls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, call]) => ({ id: call.id, type: call.type, function: { name: call.name, arguments: call.arguments } }));
  return {
    role: soFar.role ?? "assistant",
    content: soFar.content.join(""),
    refusal: soFar.refusal,
    reasoning_content: soFar.reasoning.join(""),
    audio: { transcript: soFar.transcript, data: soFar.audioData },
    tool_calls: toolCalls,
  };
}
