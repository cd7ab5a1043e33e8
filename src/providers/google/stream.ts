/**
 * Rebuilds a GenerateContentResponse from the chunks of `generateContentStream`, without touching the chunks the
 * caller receives: per candidate, consecutive text (and thought) pieces joined into one part, other parts kept in
 * order; the finish reason, usage, id and model version as the latest chunk tells them (usage is a running total).
 */

import { asArray, isObject, type JsonObject, stringOrUndefined } from "../../instrument/parts";
import type { GeminiCandidate, GeminiResponse } from "./content";

export class GeminiStreamAccumulator {
  readonly #candidates: GeminiCandidate[] = [];
  readonly #response: GeminiResponse = { candidates: this.#candidates };
  /** A candidate's finish reason is the end marker. */
  finished = false;

  add(chunk: unknown): void {
    if (!isObject(chunk)) return;
    const response = this.#response;
    if (isObject(chunk.usageMetadata)) response.usageMetadata = chunk.usageMetadata;
    response.responseId = stringOrUndefined(chunk.responseId) ?? response.responseId;
    response.modelVersion = stringOrUndefined(chunk.modelVersion) ?? response.modelVersion;
    asArray(chunk.candidates).forEach((candidate, position) => {
      if (isObject(candidate)) this.#addCandidate(candidate, position);
    });
  }

  /** What the chunks told so far. */
  get response(): GeminiResponse {
    return this.#response;
  }

  #addCandidate(chunk: JsonObject, position: number): void {
    const index = typeof chunk.index === "number" ? chunk.index : position;
    let candidate = this.#candidates[index];
    if (!candidate) {
      candidate = { index, content: { role: "model", parts: [] } };
      this.#candidates[index] = candidate;
    }
    const finishReason = stringOrUndefined(chunk.finishReason);
    if (finishReason) {
      candidate.finishReason = finishReason;
      this.finished = true;
    }
    const content = isObject(chunk.content) ? chunk.content : {};
    const parts = (candidate.content as { parts: JsonObject[] }).parts;
    for (const part of asArray(content.parts)) if (isObject(part)) appendPart(parts, part);
  }
}

/** Text continues the previous text part of the same kind (thought or answer); anything else is a part of its own. */
function appendPart(parts: JsonObject[], part: JsonObject): void {
  const last = parts.at(-1);
  const continuesText =
    typeof part.text === "string" &&
    typeof last?.text === "string" &&
    (last.thought === true) === (part.thought === true);
  if (last && continuesText) parts[parts.length - 1] = { ...last, text: `${last.text}${part.text}` };
  else parts.push({ ...part });
}
