/**
 * A Workers AI text generation answer in whichever format its model answers: Workers AI's own
 * (`{ response, tool_calls, usage }`), OpenAI's chat completion (`choices`), or OpenAI's Responses (`output`, the
 * `@cf/openai/gpt-oss-*` models); and a stream's events in the same three formats. OpenAI's are read by the
 * shared readers of instrument/openai-compatible/.
 */
import { ChatStream, readCompletion } from "../../instrument/openai-compatible/chat-completion";
import { ResponseStreamSoFar, readResponse } from "../../instrument/openai-compatible/responses-format";
import { isObject, type JsonObject } from "../../instrument/parts";
import type { StreamEnd } from "../../instrument/stream-end";
import type { LlmCall } from "../../semconv/llm-call";
import { readTextAnswer } from "./text-generation";

export function readAnswer(call: LlmCall, inputs: JsonObject, body: unknown): void {
  if (isObject(body) && Array.isArray(body.choices)) readCompletion(call, body, inputs);
  else if (isObject(body) && Array.isArray(body.output)) readResponse(call, body);
  else readTextAnswer(call, [body]);
}

export function readStreamedAnswer(call: LlmCall, inputs: JsonObject, events: unknown[], end: StreamEnd): void {
  const first = events.find(isObject);
  if (first && Array.isArray(first.choices)) {
    const stream = new ChatStream();
    for (const event of events) stream.add(event);
    readCompletion(call, stream.answer(), inputs, end);
  } else if (typeof first?.type === "string" && first.type.startsWith("response.")) {
    const stream = new ResponseStreamSoFar(call);
    for (const event of events) stream.add(event);
    readResponse(call, stream.answer(), end);
  } else {
    readTextAnswer(call, events, end);
  }
}
