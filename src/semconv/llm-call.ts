/**
 * A provider-neutral record of one model call. Provider normalisers (src/providers/<provider>/) fill it;
 * llm-attributes.ts alone turns it into span attributes. Part shapes follow the OpenTelemetry GenAI
 * conventions v1.41 (input/output message schemas), so semconv maps them one to one.
 */

export type Operation = "chat" | "text_completion" | "embeddings" | "generate_content";

export type Modality = "image" | "video" | "audio" | (string & {});

export interface TextPart {
  type: "text";
  content: string;
}
export interface ToolCallPart {
  type: "tool_call";
  id?: string;
  name: string;
  /** Parsed JSON when the provider sent valid JSON, the raw string otherwise. */
  arguments?: unknown;
}
export interface ToolCallResponsePart {
  type: "tool_call_response";
  id?: string;
  response: unknown;
}
export interface ReasoningPart {
  type: "reasoning";
  content: string;
  /** Anthropic's thinking signature; kept out of exported content. */
  signature?: string;
}
/** Reasoning the provider returned encrypted (Anthropic `redacted_thinking`, OpenAI `encrypted_content`). */
export interface RedactedReasoningPart {
  type: "redacted_reasoning";
  /** Length in characters of the opaque data; the data itself is never exported. */
  size: number;
}
/** Inline binary: base64 image, audio, PDF. semconv replaces `content` with a descriptor unless `captureBinary`. */
export interface BlobPart {
  type: "blob";
  modality: Modality;
  mime_type?: string;
  /** Base64 data as the provider received or sent it. */
  content: string;
}
export interface UriPart {
  type: "uri";
  modality: Modality;
  mime_type?: string;
  uri: string;
}
export interface FilePart {
  type: "file";
  modality: Modality;
  mime_type?: string;
  file_id: string;
}
/** A tool the provider ran itself (web search, code interpreter, …). */
export interface ServerToolCallPart {
  type: "server_tool_call";
  id?: string;
  name: string;
  server_tool_call: { type: string; [key: string]: unknown };
}
export interface ServerToolCallResponsePart {
  type: "server_tool_call_response";
  id?: string;
  server_tool_call_response: { type: string; [key: string]: unknown };
}

export type Part =
  | TextPart
  | ToolCallPart
  | ToolCallResponsePart
  | ReasoningPart
  | RedactedReasoningPart
  | BlobPart
  | UriPart
  | FilePart
  | ServerToolCallPart
  | ServerToolCallResponsePart;

export type Role = "system" | "user" | "assistant" | "tool" | (string & {});

export interface InputMessage {
  role: Role;
  parts: Part[];
  name?: string;
}

/** Finish reasons as the conventions name them; a provider's other values pass through as strings. */
export type FinishReason = "stop" | "length" | "content_filter" | "tool_call" | "error" | (string & {});

export interface OutputMessage {
  role: Role;
  parts: Part[];
  finish_reason: FinishReason;
  name?: string;
  /** The finish reason as the provider said it (`tool_calls`, `end_turn`, `STOP`), for Moda's `llm.*` names. */
  providerFinishReason?: string;
}

export interface ToolDefinition {
  type: "function" | (string & {});
  name: string;
  description?: string;
  parameters?: unknown;
}

export interface RequestParams {
  model?: string;
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTokens?: number;
  stopSequences?: string[];
  seed?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  /** Number of choices asked for (`n`); recorded only when not 1. */
  choiceCount?: number;
  stream?: boolean;
  /** `text`, `json`, `image`, `speech`. */
  outputType?: string;
  /** Encoding formats asked for in an embeddings request (`float`, `base64`). */
  encodingFormats?: string[];
  /** Embedding dimensions asked for. */
  dimensions?: number;
  tools?: ToolDefinition[];
}

/** Provider-reported token counts. Cache and reasoning counts are subsets of input and output. */
export interface Usage {
  /** All input tokens, cached ones included (the conventions' `gen_ai.usage.input_tokens`). */
  inputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheCreationInputTokens?: number;
  reasoningOutputTokens?: number;
}

export interface LlmError {
  /** Low-cardinality type: the error class name or an HTTP status code as a string. (A caller that stops reading is `cancelled`, not an error.) */
  type: string;
  message?: string;
  statusCode?: number;
}

/** A Cloudflare AI Gateway the call went through, and what its answer said of it. */
export interface AiGatewayUse {
  id: string;
  /** `cf-aig-cache-status`: `HIT`, `MISS`, … */
  cacheStatus?: string;
  /** `cf-aig-log-id`: the gateway's log entry of the call. */
  logId?: string;
}

export interface LlmCall {
  /** `gen_ai.provider.name`: `openai`, `anthropic`, `azure.ai.openai`, `aws.bedrock`, … */
  provider: string;
  operation: Operation;
  serverAddress?: string;
  serverPort?: number;
  request: RequestParams;
  systemInstructions?: Part[];
  inputMessages?: InputMessage[];
  /** One per choice. */
  outputMessages?: OutputMessage[];
  usage?: Usage;
  responseId?: string;
  responseModel?: string;
  /** Seconds from the request to the first streamed chunk. */
  timeToFirstChunk?: number;
  /** Conversation id given at the call site (overrides `withConversation`). */
  conversationId?: string;
  /** The caller stopped a stream before its end (`break`, `return()`, an abort, a cancel): not an error. */
  cancelled?: boolean;
  error?: LlmError;
  aiGateway?: AiGatewayUse;
}
