/**
 * How a stream ended, one rule for every provider. Whatever the end, the call keeps what arrived (text, tool
 * calls, usage so far):
 * - `ended`: the provider's end marker arrived (a finish reason, `message_stop`, `done`, …);
 * - `cut`: the body ended before that marker (a connection cut, a body ended early): an error;
 * - `cancelled`: the caller stopped it (`break`, `return()`, an abort, a cancelled ReadableStream): not an error;
 * - `failed`: it failed mid-way (the SDK's error);
 * - `open`: it was still open when the flush stopped waiting (`spanWaitMs`); the span is marked incomplete.
 */
import type { FinishReason, LlmCall } from "../semconv/llm-call";

export type StreamEnd = "ended" | "cut" | "cancelled" | "failed" | "open";

/** The finish reason of an answer whose provider did not finish it, and the error type of a cut stream. */
export const STREAM_INCOMPLETE = "stream_incomplete";

/** How a stream whose body ended stopped: at the provider's end marker, or cut before it. */
export function finishedStreamEnd(endMarkerArrived: boolean): StreamEnd {
  return endMarkerArrived ? "ended" : "cut";
}

/** The finish reason of an answer the provider never finished: how its stream stopped. */
export function unfinishedReason(end: StreamEnd | undefined): FinishReason {
  switch (end) {
    case "failed":
      return "error";
    case "cancelled":
      return "cancelled";
    case "cut":
    case "open":
      return STREAM_INCOMPLETE;
    default:
      return "stop";
  }
}

/** What the end of a stream tells of the call besides its answer: a cancel, or a cut as the call's error. */
export function recordStreamEnd(call: LlmCall, end: StreamEnd): void {
  if (end === "cancelled") call.cancelled = true;
  else if (end === "cut") {
    call.error ??= { type: STREAM_INCOMPLETE, message: "The stream ended before the provider's end marker." };
  }
}
