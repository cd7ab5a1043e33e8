/**
 * Rebuilds a Converse answer from ConverseStream events (and from Amazon Nova's streamed InvokeModel chunks, which
 * are the same events as JSON), without touching the events the caller receives: blocks by `contentBlockIndex`,
 * text and reasoning joined, tool input JSON joined and parsed when its block stops, the stop reason and the usage
 * as the stream tells them.
 */

import { isObject, type JsonObject, parseArguments, stringOrUndefined } from "../../instrument/parts";
import type { ConverseAnswer } from "./converse";

interface BlockSoFar {
  text?: string;
  reasoning?: { text: string; signature?: string; redacted?: unknown };
  toolUse?: { toolUseId?: string; name?: string; input: string };
}

export class ConverseStreamAccumulator {
  #role = "assistant";
  readonly #blocks: BlockSoFar[] = [];
  #stopReason?: string;
  #usage?: JsonObject;
  #started = false;
  /** `messageStop` is the end marker. */
  finished = false;

  add(event: unknown): void {
    if (!isObject(event)) return;
    if (isObject(event.messageStart)) {
      this.#started = true;
      this.#role = stringOrUndefined(event.messageStart.role) ?? this.#role;
    }
    if (isObject(event.contentBlockStart)) this.#start(event.contentBlockStart);
    if (isObject(event.contentBlockDelta)) this.#delta(event.contentBlockDelta);
    if (isObject(event.messageStop)) {
      this.#stopReason = stringOrUndefined(event.messageStop.stopReason);
      this.finished = true;
    }
    if (isObject(event.metadata) && isObject(event.metadata.usage)) this.#usage = event.metadata.usage;
  }

  /** What the events told so far, as a Converse answer (no message before the stream started one). */
  get answer(): ConverseAnswer {
    const content = this.#blocks.filter(Boolean).map(blockOf);
    return {
      output: this.#started || content.length > 0 ? { message: { role: this.#role, content } } : undefined,
      stopReason: this.#stopReason,
      usage: this.#usage,
    };
  }

  #block(index: unknown): BlockSoFar {
    const at = typeof index === "number" ? index : 0;
    this.#blocks[at] ??= {};
    return this.#blocks[at];
  }

  #start(start: JsonObject): void {
    const block = this.#block(start.contentBlockIndex);
    const toolUse = isObject(start.start) && isObject(start.start.toolUse) ? start.start.toolUse : undefined;
    if (toolUse) {
      block.toolUse = {
        toolUseId: stringOrUndefined(toolUse.toolUseId),
        name: stringOrUndefined(toolUse.name),
        input: "",
      };
    }
  }

  #delta(event: JsonObject): void {
    const block = this.#block(event.contentBlockIndex);
    const delta = isObject(event.delta) ? event.delta : {};
    if (typeof delta.text === "string") block.text = (block.text ?? "") + delta.text;
    if (isObject(delta.toolUse) && typeof delta.toolUse.input === "string") {
      block.toolUse ??= { input: "" };
      block.toolUse.input += delta.toolUse.input;
    }
    if (isObject(delta.reasoningContent)) {
      block.reasoning ??= { text: "" };
      const reasoning = block.reasoning;
      const { text, signature, redactedContent } = delta.reasoningContent;
      if (typeof text === "string") reasoning.text += text;
      if (typeof signature === "string") reasoning.signature = signature;
      if (redactedContent !== undefined) reasoning.redacted = redactedContent;
    }
  }
}

/** A block as the non-streamed answer would have it. */
function blockOf(block: BlockSoFar): JsonObject {
  if (block.toolUse) {
    const { toolUseId, name, input } = block.toolUse;
    return { toolUse: { toolUseId, name, input: input === "" ? {} : parseArguments(input) } };
  }
  if (block.reasoning?.redacted !== undefined)
    return { reasoningContent: { redactedContent: block.reasoning.redacted } };
  if (block.reasoning) {
    const { text, signature } = block.reasoning;
    return { reasoningContent: { reasoningText: { text, signature } } };
  }
  return { text: block.text ?? "" };
}
