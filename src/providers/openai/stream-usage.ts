/**
 * Asking an OpenAI-shaped stream for its usage: Chat Completions and legacy Completions streams carry none unless
 * `stream_options.include_usage` is set, so a copy of the caller's params asks for it, and what that adds is hidden
 * from the caller, who never asked for it: the usage-only chunk at the end, and the `usage: null` every other
 * chunk then carries (which `finalChatCompletion()` would copy into the completion).
 */
import type { ResolvedConfig } from "../../config/options";
import { asArray, isObject, type JsonObject } from "../../instrument/parts";
import { describeEndpoint } from "./endpoint";

export interface StreamUsageRequest {
  /** The arguments to send: the caller's, or a copy whose params ask for usage. */
  readonly args: readonly unknown[];
  /**
   * Whether the caller sees `chunk`, run after the tracer has read it: false for the chunk the added option
   * brings; a chunk shown first loses the `usage: null` the option added to it, before the caller or the SDK's
   * helpers see it (the chunk is the SDK's fresh parse, held by nobody else yet).
   */
  showChunk(chunk: unknown): boolean;
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
    return { args, showChunk: everyChunk };
  const streamOptions = { ...(isObject(options) ? options : {}), include_usage: true };
  return { args: [{ ...params, stream_options: streamOptions }, ...args.slice(1)], showChunk: withoutAddedUsage };
}

/** Shared, not a closure made per call: no named function per call (runtime-tests/node/keep-names.test.ts). */
function everyChunk(): boolean {
  return true;
}

/** Hides the chunk `include_usage` adds last (no choices, only usage) and removes the `usage: null` it adds. */
function withoutAddedUsage(chunk: unknown): boolean {
  if (!isObject(chunk)) return true;
  if (chunk.usage === null) {
    delete chunk.usage;
    return true;
  }
  return !(asArray(chunk.choices).length === 0 && isObject(chunk.usage));
}
