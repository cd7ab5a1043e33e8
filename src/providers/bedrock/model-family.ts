/** What every Bedrock model family's InvokeModel reader supplies (families.ts lists them). */

import { type JsonObject, textParts } from "../../instrument/parts";
import type { FinishReason, LlmCall } from "../../semconv/llm-call";

/** What a request body tells of the call. */
export type RequestFields = Pick<LlmCall, "operation" | "request" | "systemInstructions" | "inputMessages">;
/** What an answer body tells of the call. */
export type AnswerFields = Pick<LlmCall, "outputMessages" | "usage" | "responseId" | "responseModel">;

export interface ModelFamily {
  request(body: JsonObject, model: string | undefined, stream: boolean): RequestFields;
  answer(body: JsonObject, fallbackFinish: FinishReason): AnswerFields;
  /** Adds up streamed chunk bodies into an answer body. */
  chunks(): { add(chunk: JsonObject): void; readonly body: JsonObject };
}

/** `items[index]`, made first when missing. */
export function slot<T>(items: T[], index: number, make: () => T): T {
  const existing = items[index];
  if (existing !== undefined) return existing;
  const made = make();
  items[index] = made;
  return made;
}

/** A bare prompt as the one user message of the call. */
export const userPrompt = (prompt: unknown) => [{ role: "user", parts: textParts(prompt) }];
