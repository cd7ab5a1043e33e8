/** Pieces shared by the OpenAI normalisers: sampling params, usage, finish reasons, output type. */
import type { FinishReason, RequestParams, Usage } from "../../semconv/llm-call";
import {
  asArray,
  definedOnly,
  isObject,
  type JsonObject,
  numberOrUndefined,
  stopSequencesOf,
  stringOrUndefined,
} from "../parts";
import { type StreamEnd, unfinishedReason } from "../stream-end";

/** The sampling params Chat Completions and legacy Completions share. */
export function samplingParams(params: JsonObject): RequestParams {
  const n = numberOrUndefined(params.n);
  return definedOnly({
    model: stringOrUndefined(params.model),
    temperature: numberOrUndefined(params.temperature),
    topP: numberOrUndefined(params.top_p),
    maxTokens: numberOrUndefined(params.max_tokens),
    stopSequences: stopSequencesOf(params.stop),
    seed: numberOrUndefined(params.seed),
    frequencyPenalty: numberOrUndefined(params.frequency_penalty),
    presencePenalty: numberOrUndefined(params.presence_penalty),
    choiceCount: n !== undefined && n !== 1 ? n : undefined,
  });
}

/** Chat Completions and legacy Completions usage (and DeepSeek's cache-hit count). */
export function chatUsage(usage: unknown): Usage | undefined {
  if (!isObject(usage)) return undefined;
  const promptDetails = isObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completionDetails = isObject(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  return definedOnly({
    inputTokens: numberOrUndefined(usage.prompt_tokens),
    outputTokens: numberOrUndefined(usage.completion_tokens),
    cacheReadInputTokens:
      numberOrUndefined(promptDetails.cached_tokens) ?? numberOrUndefined(usage.prompt_cache_hit_tokens),
    reasoningOutputTokens: numberOrUndefined(completionDetails.reasoning_tokens),
  });
}

/** OpenAI's finish reasons in the conventions' words; a choice a stream never finished says how the stream stopped. */
export function finishReasonOf(reason: unknown, streamEnd?: StreamEnd): FinishReason {
  if (reason === "tool_calls" || reason === "function_call") return "tool_call";
  if (typeof reason === "string" && reason !== "") return reason;
  return unfinishedReason(streamEnd);
}

/** `gen_ai.output.type` from a `response_format` / `text.format` type and the requested modalities. */
export function outputTypeOf(formatType: unknown, modalities?: unknown): string | undefined {
  if (asArray(modalities).includes("audio")) return "speech";
  if (formatType === "json_object" || formatType === "json_schema") return "json";
  return formatType === "text" ? "text" : undefined;
}
