/** An embeddings call of any provider: one JSON answer, of which the model and the usage are recorded, never the vectors. */
import type { LlmCall } from "../semconv/llm-call";
import { definedOnly, isObject, type JsonObject } from "./parts";
import type { TracedCall } from "./traced-call";

/** What an embeddings answer tells of the call. */
export type EmbeddingsAnswer = Pick<LlmCall, "responseId" | "responseModel" | "usage">;

export function tracedEmbeddings(
  args: readonly unknown[],
  described: Omit<LlmCall, "operation">,
  readAnswer: (body: JsonObject) => EmbeddingsAnswer,
): TracedCall {
  const call: LlmCall = definedOnly({ ...described, operation: "embeddings" as const });
  return {
    call,
    args,
    streamed: false,
    // The vectors are let go at once: only what the answer tells of the call waits for the flush.
    keepBody(body) {
      return isObject(body) ? readAnswer(body) : undefined;
    },
    readBody(answer) {
      if (answer) Object.assign(call, definedOnly(answer as EmbeddingsAnswer));
    },
    readEvent() {
      return true;
    },
    endStream() {},
  };
}
