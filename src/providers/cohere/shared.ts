/** Pieces every Cohere normaliser shares: who answers, usage, finish reasons. */

import { definedOnly, isObject, numberOrUndefined } from "../../instrument/parts";
import { type Server, serverOfUrl } from "../../instrument/server-address";
import { type StreamEnd, unfinishedReason } from "../../instrument/stream-end";
import type { FinishReason, Usage } from "../../semconv/llm-call";

export const COHERE_PROVIDER = "cohere";
const DEFAULT_BASE_URL = "https://api.cohere.com";

/** The client's `baseUrl` (or `environment`) when it is a URL string; a function supplier is left unread. */
export function cohereServer(client: object): Server {
  const options = [(client as { _options?: unknown })._options, (client as { options?: unknown }).options].find(
    isObject,
  );
  const configured = options ? (options.baseUrl ?? options.environment) : undefined;
  return serverOfUrl(typeof configured === "string" ? configured : DEFAULT_BASE_URL);
}

/**
 * Usage of a v2 chat (`usage`) or of any call's `meta`: the tokens the model processed (`tokens`), else the
 * billed ones (`billedUnits`, which leave out the prompt template); cached tokens are part of the input.
 */
export function cohereUsage(usage: unknown): Usage | undefined {
  if (!isObject(usage)) return undefined;
  const tokens = isObject(usage.tokens) ? usage.tokens : {};
  const billed = isObject(usage.billedUnits) ? usage.billedUnits : {};
  const counted = definedOnly({
    inputTokens: numberOrUndefined(tokens.inputTokens) ?? numberOrUndefined(billed.inputTokens),
    outputTokens: numberOrUndefined(tokens.outputTokens) ?? numberOrUndefined(billed.outputTokens),
    cacheReadInputTokens: numberOrUndefined(usage.cachedTokens),
  });
  return Object.keys(counted).length > 0 ? counted : undefined;
}

const FINISH_REASONS: Record<string, FinishReason> = {
  COMPLETE: "stop",
  STOP_SEQUENCE: "stop",
  MAX_TOKENS: "length",
  ERROR_LIMIT: "length",
  TOOL_CALL: "tool_call",
  ERROR: "error",
  ERROR_TOXIC: "content_filter",
  USER_CANCEL: "cancelled",
};

/** Cohere's finish reasons in the conventions' words; an answer a stream never finished says how it stopped. */
export function cohereFinishReason(reason: unknown, streamEnd?: StreamEnd): FinishReason {
  if (typeof reason === "string" && reason !== "") return FINISH_REASONS[reason] ?? reason.toLowerCase();
  return unfinishedReason(streamEnd);
}
