/**
 * Asking an OpenAI-shaped stream for its usage: Chat Completions and legacy Completions streams carry none unless
 * `stream_options.include_usage` is set, so a copy of the caller's params asks for it, and the extra chunk that
 * brings is hidden from the caller, who never asked for it.
 */
import type { ResolvedConfig } from "../../config/options";
import { asArray, isObject, type JsonObject } from "../../instrument/parts";
import { describeEndpoint } from "./endpoint";

export interface StreamUsageRequest {
  /** The arguments to send: the caller's, or a copy whose params ask for usage. */
  readonly args: readonly unknown[];
  /** Whether `chunk` is the usage-only chunk the added option brings. */
  isAddedChunk(chunk: unknown): boolean;
}

export function requestStreamUsage(
  args: readonly unknown[],
  params: JsonObject,
  client: object,
  config: ResolvedConfig,
): StreamUsageRequest {
  const options = params.stream_options;
  const askedAlready = isObject(options) && options.include_usage !== undefined;
  const inject = config.injectStreamUsage;
  // Who answers is asked last: only a stream needs to know, and working it out parses a URL.
  if (params.stream !== true || askedAlready || !inject || !describeEndpoint(client).acceptsStreamOptions)
    return { args, isAddedChunk: noChunkAdded };
  const streamOptions = { ...(isObject(options) ? options : {}), include_usage: true };
  return { args: [{ ...params, stream_options: streamOptions }, ...args.slice(1)], isAddedChunk: isUsageOnlyChunk };
}

/** Shared, not a closure made per call: no named function per call (runtime-tests/node/keep-names.test.ts). */
function noChunkAdded(): boolean {
  return false;
}

/** The chunk `include_usage` adds last: no choices, only usage. */
function isUsageOnlyChunk(chunk: unknown): boolean {
  return isObject(chunk) && asArray(chunk.choices).length === 0 && isObject(chunk.usage);
}
