/**
 * `InvokeModel` and `InvokeModelWithResponseStream`: the request and answer bodies (bytes of the model family's own
 * JSON) read through the family's normaliser (families.ts); a family it does not know is recorded without
 * content, with the token counts Bedrock adds to a streamed answer.
 */

import { definedOnly, isObject, type JsonObject, stringOrUndefined } from "../../instrument/parts";
import { type StreamEnd, unfinishedReason } from "../../instrument/stream-end";
import type { LlmCall, Usage } from "../../semconv/llm-call";
import { familyOf, invocationUsage } from "./families";
import type { AnswerFields } from "./model-family";

/** What the tracer needs to know of an InvokeModel call. */
export interface InvokeReader {
  /** The request's fields of the call. */
  readonly fields: Pick<LlmCall, "operation" | "request" | "systemInstructions" | "inputMessages">;
  /** Reads the answer body of a non-streamed call. */
  answer(body: unknown): Partial<LlmCall>;
  /** Sees one event of a streamed answer (`{ chunk: { bytes } }`). */
  chunk(event: unknown): void;
  /** Whether the last chunk came: Bedrock adds its invocation metrics to it, whatever the family. */
  readonly finished: boolean;
  /** What the stream's chunks told, however it ended. */
  streamed(end: StreamEnd): Partial<LlmCall>;
}

export function invokeReader(input: JsonObject, streamed: boolean): InvokeReader {
  const model = stringOrUndefined(input.modelId);
  const body = decodeJson(input.body);
  const family = familyOf(model, body);
  const chunks = family?.chunks();
  let metrics: Usage | undefined;
  return {
    fields:
      family && body
        ? family.request(body, model, streamed)
        : { operation: "chat", request: definedOnly({ model, stream: streamed }) },
    answer(answerBody) {
      const answer = decodeJson(answerBody);
      return family && answer ? withCounts(family.answer(answer, "stop")) : {};
    },
    chunk(event) {
      const chunk = decodeJson(isObject(event) && isObject(event.chunk) ? event.chunk.bytes : undefined);
      if (!chunk) return;
      chunks?.add(chunk);
      metrics = invocationUsage(chunk["amazon-bedrock-invocationMetrics"]) ?? metrics;
    },
    get finished() {
      return metrics !== undefined;
    },
    streamed(end) {
      const answer = family && chunks ? withCounts(family.answer(chunks.body, unfinishedReason(end))) : {};
      return { ...answer, usage: answer.usage ?? metrics };
    },
  };
}

/** Usage without a single count is no usage (a family's answer body may lack its counts). */
function withCounts(fields: AnswerFields): AnswerFields {
  const { usage, ...rest } = fields;
  return usage && Object.keys(usage).length > 0 ? fields : rest;
}

/** A JSON object from a body: the SDK's bytes (a Uint8Array, or any view), or text. */
function decodeJson(body: unknown): JsonObject | undefined {
  let text: string | undefined;
  if (typeof body === "string") text = body;
  else if (ArrayBuffer.isView(body)) text = new TextDecoder().decode(body);
  else if (body instanceof ArrayBuffer) text = new TextDecoder().decode(new Uint8Array(body));
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
