/**
 * Rebuilds a Message from the Messages API's stream events (`message_start`, `content_block_*`,
 * `message_delta`), and a Completion from legacy `completion` events, without touching the events the
 * caller receives.
 */

import type { StreamAccumulator } from "../accumulated-answer";
import { isObject, type JsonObject, parseArguments, stringOrUndefined } from "../parts";
import type { AnthropicBlock, AnthropicMessage, AnthropicUsage } from "./content";

/** Blocks whose `input` arrives as `input_json_delta` fragments. */
const STREAMED_INPUT = new Set(["tool_use", "server_tool_use", "mcp_tool_use"]);

export class MessageAccumulator implements StreamAccumulator {
  readonly #message: AnthropicMessage = { content: [] };
  /** Tool input JSON so far, per content-block index, until the block stops. */
  readonly #inputJson = new Map<number, string>();
  finished = false;

  add(event: unknown): void {
    if (!isObject(event)) return;
    switch (event.type) {
      case "message_stop":
        this.finished = true;
        break;
      case "message_start":
        this.#start(event.message);
        break;
      case "content_block_start":
        this.#startBlock(Number(event.index), event.content_block);
        break;
      case "content_block_delta":
        this.#delta(Number(event.index), event.delta);
        break;
      case "content_block_stop":
        this.#stopBlock(Number(event.index));
        break;
      case "message_delta":
        this.#messageDelta(event);
        break;
    }
  }

  /** The message as far as the stream went; tool inputs still streaming are parsed as they stand. */
  answer(): AnthropicMessage {
    const content = this.#message.content.map((block, index) =>
      this.#inputJson.has(index) ? { ...block, input: parseInput(this.#inputJson.get(index) ?? "") } : block,
    );
    return { ...this.#message, content: content.filter(Boolean) };
  }

  #start(message: unknown): void {
    if (!isObject(message)) return;
    const { id, model, role, stop_reason, usage } = message;
    Object.assign(this.#message, {
      id: stringOrUndefined(id),
      model: stringOrUndefined(model),
      role: stringOrUndefined(role),
      stop_reason: stringOrUndefined(stop_reason),
      usage: isObject(usage) ? { ...usage } : undefined,
    });
  }

  #startBlock(index: number, block: unknown): void {
    if (!isObject(block) || typeof block.type !== "string") return;
    this.#message.content[index] = { ...block } as AnthropicBlock;
    if (STREAMED_INPUT.has(block.type)) this.#inputJson.set(index, "");
  }

  #delta(index: number, delta: unknown): void {
    const block = this.#message.content[index];
    if (!block || !isObject(delta)) return;
    switch (delta.type) {
      case "text_delta":
        block.text = String(block.text ?? "") + String(delta.text ?? "");
        return;
      case "thinking_delta":
        block.thinking = String(block.thinking ?? "") + String(delta.thinking ?? "");
        return;
      case "signature_delta":
        block.signature = delta.signature;
        return;
      case "input_json_delta":
        this.#inputJson.set(index, (this.#inputJson.get(index) ?? "") + String(delta.partial_json ?? ""));
        return;
      case "citations_delta":
        block.citations = [...(Array.isArray(block.citations) ? block.citations : []), delta.citation];
        return;
    }
  }

  #stopBlock(index: number): void {
    const block = this.#message.content[index];
    const json = this.#inputJson.get(index);
    if (!block || json === undefined) return;
    block.input = parseInput(json);
    this.#inputJson.delete(index);
  }

  #messageDelta(event: JsonObject): void {
    const delta = event.delta;
    if (isObject(delta) && typeof delta.stop_reason === "string") this.#message.stop_reason = delta.stop_reason;
    // `message_delta` usage holds running totals: each count it gives replaces the one before.
    if (isObject(event.usage)) this.#message.usage = mergeUsage(this.#message.usage, event.usage);
  }
}

function mergeUsage(current: AnthropicUsage | null | undefined, totals: JsonObject): AnthropicUsage {
  const merged: JsonObject = { ...current };
  for (const [name, value] of Object.entries(totals)) {
    if (value !== null && value !== undefined) merged[name] = value;
  }
  return merged as AnthropicUsage;
}

/** The API opens every tool input with an empty fragment: a tool called without arguments sends nothing more. */
function parseInput(json: string): unknown {
  return json === "" ? {} : parseArguments(json);
}

export interface AnthropicCompletion {
  id?: string;
  model?: string;
  completion: string;
  stop_reason?: string | null;
}

/** Legacy Text Completions: each event carries the next piece of `completion`. */
export class CompletionAccumulator implements StreamAccumulator {
  readonly #completion: AnthropicCompletion = { completion: "" };

  /** A legacy completion stream ends with the event that gives the stop reason. */
  get finished(): boolean {
    return typeof this.#completion.stop_reason === "string";
  }

  add(event: unknown): void {
    if (!isObject(event)) return;
    const { id, model, completion, stop_reason } = event;
    if (typeof id === "string") this.#completion.id = id;
    if (typeof model === "string") this.#completion.model = model;
    if (typeof completion === "string") this.#completion.completion += completion;
    if (typeof stop_reason === "string") this.#completion.stop_reason = stop_reason;
  }

  answer(): AnthropicCompletion {
    return { ...this.#completion };
  }
}
