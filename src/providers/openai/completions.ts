/** `completions.create` (legacy Completions): prompt, text choices and chunks as an LlmCall. */

import { type StreamAccumulator, tracedAccumulatedAnswer } from "../../instrument/accumulated-answer";
import { describeSdkError } from "../../instrument/errors";
import { chatUsage, finishReasonOf, samplingParams } from "../../instrument/openai-compatible/chat-fields";
import {
  asArray,
  definedOnly,
  isObject,
  providerFinishReason,
  stringOrUndefined,
  textParts,
  userTextMessages,
} from "../../instrument/parts";
import type { StreamEnd } from "../../instrument/stream-end";
import type { ApiCallTracer } from "../../instrument/traced-call";
import type { LlmCall, OutputMessage } from "../../semconv/llm-call";
import { describeEndpoint, whoAnswers } from "./endpoint";
import { requestStreamUsage } from "./stream-usage";

export const completionsTracer: ApiCallTracer = {
  begin(args, environment) {
    const params = args[0];
    if (!isObject(params)) return undefined;
    const endpoint = describeEndpoint(environment.client);
    const sent = requestStreamUsage(args, params, environment.client, environment.config);
    const call: LlmCall = definedOnly({
      ...whoAnswers(endpoint),
      operation: "text_completion" as const,
      request: { ...samplingParams(params), stream: params.stream === true },
      inputMessages: userTextMessages(params.prompt),
    });
    return tracedAccumulatedAnswer(
      { call, args: sent.args, streamed: params.stream === true },
      new CompletionStream(),
      readCompletion,
      sent.showChunk,
    );
  },
  describeError: describeSdkError,
};

function readCompletion(call: LlmCall, body: unknown, streamEnd?: StreamEnd): void {
  if (!isObject(body)) return;
  call.responseId = stringOrUndefined(body.id) || call.responseId;
  call.responseModel = stringOrUndefined(body.model) || call.responseModel;
  call.usage = chatUsage(body.usage) ?? call.usage;
  const outputs = asArray(body.choices)
    .filter(isObject)
    .map(
      (choice): OutputMessage => ({
        role: "assistant",
        parts: textParts(choice.text),
        finish_reason: finishReasonOf(choice.finish_reason, streamEnd),
        ...providerFinishReason(choice.finish_reason),
      }),
    );
  if (outputs.length > 0) call.outputMessages = outputs;
}

/** Accumulates streamed choices by index; usage overwritten by the latest chunk that has it. */
class CompletionStream implements StreamAccumulator {
  private id?: string;
  private model?: string;
  private usage?: unknown;
  private readonly choices = new Map<number, { text: string; finish_reason?: string }>();
  /** A choice's finish reason is the end marker. */
  finished = false;

  add(chunk: unknown): void {
    if (!isObject(chunk)) return;
    this.id ||= stringOrUndefined(chunk.id);
    this.model ||= stringOrUndefined(chunk.model);
    if (isObject(chunk.usage)) this.usage = chunk.usage;
    for (const choice of asArray(chunk.choices).filter(isObject)) {
      const index = typeof choice.index === "number" ? choice.index : 0;
      const soFar = this.choices.get(index) ?? { text: "" };
      if (typeof choice.text === "string") soFar.text += choice.text;
      if (typeof choice.finish_reason === "string") {
        soFar.finish_reason = choice.finish_reason;
        this.finished = true;
      }
      this.choices.set(index, soFar);
    }
  }

  answer(): Record<string, unknown> {
    const choices = [...this.choices.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, soFar]) => ({ index, ...soFar }));
    return { id: this.id, model: this.model, usage: this.usage, choices };
  }
}
