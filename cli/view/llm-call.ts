/**
 * What an LLM span says about its call, read from the attributes as sent: both families the library writes
 * (the GenAI conventions' `gen_ai.*`, and the `llm.*` names Moda reads), and the Vercel AI SDK's `ai.*` tokens.
 */
import type { DecodedSpan, DecodedValue } from "../otlp/decoded-span";
import { firstOf, numberOf, parsedJson, textOf } from "./attributes";
import { type Conversation, conversationOf } from "./conversation";

export interface Tokens {
  input?: number;
  output?: number;
  /** Input tokens read from the provider's prompt cache (counted in `input` too). */
  cacheRead?: number;
  cacheCreation?: number;
  /** Output tokens spent thinking (counted in `output` too). */
  reasoning?: number;
}

export interface ToolDefinition {
  name: string;
  type?: string;
  description?: string;
  parameters?: unknown;
}

export interface LlmCall {
  operation?: string;
  provider?: string;
  requestModel?: string;
  responseModel?: string;
  tokens: Tokens;
  finishReasons: string[];
  streamed: boolean;
  /** Milliseconds from the request to the first streamed chunk. */
  timeToFirstChunkMs?: number;
  /** Sampling and size parameters sent (`temperature`, `max_tokens`, …), by their short names. */
  parameters: [string, DecodedValue][];
  conversationId?: string;
  userId?: string;
  responseId?: string;
  /** The caller stopped reading the stream before its end. */
  cancelled: boolean;
  conversation: Conversation;
  tools: ToolDefinition[];
}

const ENTITY_OPERATIONS = new Set(["invoke_agent", "invoke_workflow", "execute_tool", "create_agent"]);

export const TOKEN_NAMES: Record<keyof Tokens, readonly string[]> = {
  input: ["gen_ai.usage.input_tokens", "llm.usage.prompt_tokens", "ai.usage.inputTokens", "ai.usage.promptTokens"],
  output: [
    "gen_ai.usage.output_tokens",
    "llm.usage.completion_tokens",
    "ai.usage.outputTokens",
    "ai.usage.completionTokens",
  ],
  cacheRead: [
    "gen_ai.usage.cache_read.input_tokens",
    "llm.usage.cache_read_input_tokens",
    "ai.usage.inputTokenDetails.cacheReadTokens",
    "ai.usage.cachedInputTokens",
  ],
  cacheCreation: [
    "gen_ai.usage.cache_creation.input_tokens",
    "llm.usage.cache_creation_input_tokens",
    "ai.usage.inputTokenDetails.cacheWriteTokens",
  ],
  reasoning: [
    "gen_ai.usage.reasoning.output_tokens",
    "llm.usage.reasoning_tokens",
    "ai.usage.outputTokenDetails.reasoningTokens",
    "ai.usage.reasoningTokens",
  ],
};

export const PROVIDER_NAMES = [
  "gen_ai.provider.name",
  "gen_ai.system",
  "llm.system",
  "llm.vendor",
  "ai.model.provider",
];
export const REQUEST_MODEL_NAMES = ["gen_ai.request.model", "llm.request.model", "ai.model.id"];
export const RESPONSE_MODEL_NAMES = ["gen_ai.response.model", "llm.response.model", "ai.response.model"];

const PARAMETERS: [label: string, names: readonly string[]][] = [
  ["temperature", ["gen_ai.request.temperature", "llm.request.temperature"]],
  ["top_p", ["gen_ai.request.top_p"]],
  ["top_k", ["gen_ai.request.top_k"]],
  ["max_tokens", ["gen_ai.request.max_tokens", "llm.request.max_tokens"]],
  ["seed", ["gen_ai.request.seed"]],
  ["frequency_penalty", ["gen_ai.request.frequency_penalty"]],
  ["presence_penalty", ["gen_ai.request.presence_penalty"]],
  ["stop", ["gen_ai.request.stop_sequences"]],
  ["n", ["gen_ai.request.choice.count"]],
  ["output type", ["gen_ai.output.type"]],
  ["dimensions", ["gen_ai.embeddings.dimension.count"]],
  ["encoding", ["gen_ai.request.encoding_formats"]],
];

/**
 * A model call: a span with a GenAI operation other than an agent's, workflow's or tool's, Moda's `llm.*` names,
 * or a Vercel AI SDK span naming its model.
 */
export function isLlmSpan(span: DecodedSpan): boolean {
  const a = span.attributes;
  const operation = a["gen_ai.operation.name"];
  if (typeof operation === "string") return !ENTITY_OPERATIONS.has(operation);
  return ["llm.request.type", "llm.system", "gen_ai.system", "ai.model.id"].some((name) => a[name] !== undefined);
}

export function llmCallOf(span: DecodedSpan): LlmCall {
  const a = span.attributes;
  const tokens: Tokens = {};
  for (const [key, names] of Object.entries(TOKEN_NAMES)) tokens[key as keyof Tokens] = numberOf(a, names);
  const firstChunkSeconds = numberOf(a, ["gen_ai.response.time_to_first_chunk"]);
  const firstChunkMs = numberOf(a, ["ai.response.msToFirstChunk"]);
  const aiSdkStream = String(a["ai.operationId"] ?? "").startsWith("ai.stream");
  return {
    operation: textOf(a, ["gen_ai.operation.name", "llm.request.type"]),
    provider: textOf(a, PROVIDER_NAMES),
    requestModel: textOf(a, REQUEST_MODEL_NAMES),
    responseModel: textOf(a, RESPONSE_MODEL_NAMES),
    tokens,
    finishReasons: finishReasonsOf(
      a["gen_ai.response.finish_reasons"] ?? a["llm.response.finish_reason"] ?? a["ai.response.finishReason"],
    ),
    streamed: firstOf(a, ["gen_ai.request.stream", "llm.request.streaming"]) === true || aiSdkStream,
    timeToFirstChunkMs: firstChunkSeconds === undefined ? firstChunkMs : firstChunkSeconds * 1000,
    parameters: PARAMETERS.flatMap(([label, names]) => {
      const value = firstOf(a, names);
      return value === undefined ? [] : [[label, value] as [string, DecodedValue]];
    }),
    conversationId: textOf(a, ["gen_ai.conversation.id", "moda.conversation_id"]),
    userId: textOf(a, ["moda.user_id"]),
    responseId: textOf(a, ["gen_ai.response.id"]),
    cancelled: a["moda.stream.cancelled"] === true,
    conversation: conversationOf(a),
    tools: toolDefinitionsOf(a["gen_ai.tool.definitions"] ?? a["ai.prompt.tools"]),
  };
}

function finishReasonsOf(value: DecodedValue | undefined): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** `gen_ai.tool.definitions` (JSON text of a list), or the AI SDK's `ai.prompt.tools` (a list of JSON texts). */
function toolDefinitionsOf(value: DecodedValue | undefined): ToolDefinition[] {
  const parsed = parsedJson(value);
  if (!Array.isArray(parsed)) return [];
  return parsed
    .map((item) => parsedJson(item))
    .flatMap((tool: unknown) => {
      if (typeof tool !== "object" || tool === null) return [];
      const { name, type, description, inputSchema } = tool as Record<string, unknown>;
      const parameters = (tool as Record<string, unknown>).parameters ?? inputSchema;
      return [
        {
          name: String(name ?? "(unnamed)"),
          ...(typeof type === "string" && { type }),
          ...(typeof description === "string" && { description }),
          ...(parameters !== undefined && { parameters }),
        },
      ];
    });
}
