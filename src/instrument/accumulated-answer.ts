/**
 * A call whose answer is read the same way whether it came as one JSON body or was added up from its stream's
 * events (OpenAI, Anthropic, Cohere chat, Mistral chat and FIM).
 */
import type { LlmCall } from "../semconv/llm-call";
import type { StreamEnd } from "./stream-end";
import type { TracedCall } from "./traced-call";

/** Adds up a stream's events into the body a non-streamed call answers with. */
export interface StreamAccumulator {
  add(event: unknown): void;
  /** Whether the provider's end marker has arrived: without it, a stream whose body ended was cut. */
  readonly finished: boolean;
  /** The body the events spelt so far, in the shape of a non-streamed one. */
  answer(): unknown;
}

export type AnswerReader = (call: LlmCall, body: unknown, end?: StreamEnd) => void;

/**
 * `isShown` tells whether the caller sees an event (false for one the tracer asked for and the caller did not,
 * OpenAI's usage chunk); it runs after the accumulator has read the event.
 */
export function tracedAccumulatedAnswer(
  begun: Pick<TracedCall, "call" | "args" | "streamed" | "describeRequest">,
  stream: StreamAccumulator,
  readAnswer: AnswerReader,
  isShown?: (event: unknown) => boolean,
): TracedCall {
  const { call } = begun;
  return {
    ...begun,
    readBody(body) {
      readAnswer(call, body);
    },
    readEvent(event) {
      stream.add(event);
      return isShown?.(event) ?? true;
    },
    endMarkerArrived() {
      return stream.finished;
    },
    endStream(end) {
      readAnswer(call, stream.answer(), end);
    },
  };
}
