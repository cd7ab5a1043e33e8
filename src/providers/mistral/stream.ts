/**
 * Accumulates Mistral stream events (`{ data: CompletionChunk }`) into the answer they spell: choices by index,
 * their text and thinking, tool calls by index (arguments appended when they come in pieces), usage overwritten.
 */
import type { StreamAccumulator } from "../../instrument/accumulated-answer";
import { asArray, isObject, type JsonObject, numberOrUndefined, stringOrUndefined } from "../../instrument/parts";
import { toolCallId } from "./content";

interface ToolCallSoFar {
  id?: string;
  name: string;
  /** Pieces of a JSON string, or the object the API sent whole. */
  arguments: string | JsonObject;
}

interface ChoiceSoFar {
  role?: string;
  text: string;
  thinking: string;
  toolCalls: Map<number, ToolCallSoFar>;
  finishReason?: string;
}

export class MistralChunks implements StreamAccumulator {
  private id?: string;
  private model?: string;
  private usage?: unknown;
  private readonly choices = new Map<number, ChoiceSoFar>();
  /** A choice's finish reason is the end marker ([DONE] never reaches the caller's events). */
  finished = false;

  add(event: unknown): void {
    const chunk = isObject(event) && isObject(event.data) ? event.data : undefined;
    if (!chunk) return;
    this.id ||= stringOrUndefined(chunk.id);
    this.model ||= stringOrUndefined(chunk.model);
    if (isObject(chunk.usage)) this.usage = chunk.usage;
    for (const choice of asArray(chunk.choices).filter(isObject)) this.addChoice(choice);
  }

  private addChoice(choice: JsonObject): void {
    const index = numberOrUndefined(choice.index) ?? 0;
    let soFar = this.choices.get(index);
    if (!soFar) {
      soFar = { text: "", thinking: "", toolCalls: new Map() };
      this.choices.set(index, soFar);
    }
    if (typeof choice.finishReason === "string") {
      soFar.finishReason = choice.finishReason;
      this.finished = true;
    }
    if (!isObject(choice.delta)) return;
    const delta = choice.delta;
    if (typeof delta.role === "string") soFar.role = delta.role;
    addContent(soFar, delta.content);
    for (const toolCall of asArray(delta.toolCalls).filter(isObject)) addToolCall(soFar.toolCalls, toolCall);
  }

  /** The answer streamed so far, in the shape of a non-streamed one. */
  answer(): JsonObject {
    const choices = [...this.choices.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, soFar]) => ({ index, message: messageOf(soFar), finishReason: soFar.finishReason }));
    return { id: this.id, model: this.model, usage: this.usage, choices };
  }
}

function addContent(soFar: ChoiceSoFar, content: unknown): void {
  if (typeof content === "string") {
    soFar.text += content;
    return;
  }
  for (const chunk of asArray(content).filter(isObject)) {
    if (chunk.type === "text" && typeof chunk.text === "string") soFar.text += chunk.text;
    if (chunk.type === "thinking") {
      for (const piece of asArray(chunk.thinking).filter(isObject))
        if (typeof piece.text === "string") soFar.thinking += piece.text;
    }
  }
}

function addToolCall(calls: Map<number, ToolCallSoFar>, delta: JsonObject): void {
  const id = toolCallId(delta.id);
  let index = numberOrUndefined(delta.index) ?? calls.size;
  // The SDK gives a call the API sent without an index index 0: a new id at a taken index is a new call.
  if (id !== undefined && calls.get(index)?.id !== undefined && calls.get(index)?.id !== id) index = calls.size;
  let call = calls.get(index);
  if (!call) {
    call = { name: "", arguments: "" };
    calls.set(index, call);
  }
  if (id !== undefined) call.id = id;
  const fn = isObject(delta.function) ? delta.function : {};
  if (typeof fn.name === "string" && call.name === "") call.name = fn.name;
  if (isObject(fn.arguments)) call.arguments = fn.arguments;
  else if (typeof fn.arguments === "string" && typeof call.arguments === "string") call.arguments += fn.arguments;
}

function messageOf(soFar: ChoiceSoFar): JsonObject {
  const content = [
    ...(soFar.thinking ? [{ type: "thinking", thinking: [{ type: "text", text: soFar.thinking }] }] : []),
    ...(soFar.text ? [{ type: "text", text: soFar.text }] : []),
  ];
  const toolCalls = [...soFar.toolCalls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, call]) => ({ id: call.id, function: { name: call.name, arguments: call.arguments } }));
  return { role: soFar.role ?? "assistant", content, toolCalls };
}
