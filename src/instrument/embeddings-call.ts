/**
 * An embeddings call of any provider: one JSON answer, of which the model and the usage are recorded, never the
 * vectors. What was embedded is recorded as input messages (content, like any prompt: `traceContent` and the caps
 * govern it), read at the flush.
 */
import type { InputMessage, LlmCall } from "../semconv/llm-call";
import { definedOnly, isObject, type JsonObject } from "./parts";
import type { TracedCall } from "./traced-call";

/** What an embeddings answer tells of the call. */
export type EmbeddingsAnswer = Pick<LlmCall, "responseId" | "responseModel" | "usage">;

/** What was embedded, as input messages; run at the flush. */
export type EmbeddedInputs = () => InputMessage[] | undefined;

export function tracedEmbeddings(
  args: readonly unknown[],
  described: Omit<LlmCall, "operation">,
  readAnswer: (body: JsonObject) => EmbeddingsAnswer,
  inputs: EmbeddedInputs,
): TracedCall {
  const call: LlmCall = definedOnly({ ...described, operation: "embeddings" as const });
  return {
    call,
    args,
    streamed: false,
    describeRequest() {
      const messages = inputs();
      if (messages) call.inputMessages = messages;
    },
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
