/**
 * The answers of the mock Bedrock runtime (mock-bedrock.ts), shared with the tests so a span is compared with what
 * the mock returned. Web APIs only: imported by tests in every runtime.
 *
 * Model ids name the scenario after `mock-` (`anthropic.claude-mock-tools`, `us.meta.llama3-mock-text`); InvokeModel
 * answers in the family the model id names, as Bedrock does.
 */

type Json = Record<string, unknown>;

export interface ConverseFixture {
  content: Json[];
  stopReason: string;
  usage: {
    inputTokens: number;
    outputTokens: number;
    totalTokens: number;
    cacheReadInputTokens?: number;
    cacheWriteInputTokens?: number;
  };
}

const usage = (input: number, output: number, cacheRead?: number, cacheWrite?: number) => ({
  inputTokens: input,
  outputTokens: output,
  totalTokens: input + output + (cacheRead ?? 0) + (cacheWrite ?? 0),
  ...(cacheRead !== undefined && { cacheReadInputTokens: cacheRead }),
  ...(cacheWrite !== undefined && { cacheWriteInputTokens: cacheWrite }),
});

export const CONVERSE_TEXT = "Hello! How can I help you today?";

/** Converse answers: `output.message.content`, `stopReason`, `usage`. */
export const CONVERSE_FIXTURES: Record<string, ConverseFixture> = {
  text: { content: [{ text: CONVERSE_TEXT }], stopReason: "end_turn", usage: usage(12, 10) },
  tools: {
    content: [
      { text: "Checking both cities." },
      { toolUse: { toolUseId: "tooluse_paris_1", name: "get_weather", input: { location: "Paris", unit: "celsius" } } },
      {
        toolUse: { toolUseId: "tooluse_london_2", name: "get_weather", input: { location: "London", unit: "celsius" } },
      },
    ],
    stopReason: "tool_use",
    usage: usage(380, 92),
  },
  thinking: {
    content: [
      { reasoningContent: { reasoningText: { text: "6 times 7 is 42.", signature: "EqQBCkgIARABGAIiQL" } } },
      { text: "The answer is 42." },
    ],
    stopReason: "end_turn",
    usage: usage(20, 31),
  },
  cache: {
    content: [{ text: "Per the cached manual: restart the router." }],
    stopReason: "end_turn",
    usage: usage(14, 11, 2048, 300),
  },
  "max-tokens": { content: [{ text: "Once upon a time" }], stopReason: "max_tokens", usage: usage(6, 4) },
  guardrail: {
    content: [{ text: "Sorry, I can't help with that." }],
    stopReason: "guardrail_intervened",
    usage: usage(9, 8),
  },
};

/** InvokeModel answers of the model families whose bodies are decoded, for the scenario `text`. */
export const INVOKE_TEXT = "Paris is the capital of France.";

export const LLAMA_ANSWER = {
  generation: INVOKE_TEXT,
  prompt_token_count: 17,
  generation_token_count: 8,
  stop_reason: "stop",
};

export const TITAN_ANSWER = {
  inputTextTokenCount: 9,
  results: [{ tokenCount: 8, outputText: INVOKE_TEXT, completionReason: "FINISH" }],
};

export const NOVA_ANSWER = {
  output: { message: { role: "assistant", content: [{ text: INVOKE_TEXT }] } },
  stopReason: "end_turn",
  usage: {
    inputTokens: 11,
    outputTokens: 8,
    totalTokens: 19,
    cacheReadInputTokenCount: 0,
    cacheWriteInputTokenCount: 0,
  },
};

export const MISTRAL_TEXT_ANSWER = { outputs: [{ text: INVOKE_TEXT, stop_reason: "stop" }] };

export const MISTRAL_CHAT_ANSWER = {
  id: "cmpl-mock-mistral",
  object: "chat.completion",
  created: 1767225600,
  model: "mistral-large-2407",
  choices: [
    {
      index: 0,
      message: {
        role: "assistant",
        content: "",
        tool_calls: [{ id: "mTool1", function: { name: "get_capital", arguments: '{"country": "France"}' } }],
      },
      finish_reason: "tool_calls",
    },
  ],
  usage: { prompt_tokens: 30, completion_tokens: 12, total_tokens: 42 },
};

export const COHERE_ANSWER = {
  generation_id: "gen-mock",
  text: INVOKE_TEXT,
  finish_reason: "COMPLETE",
  chat_history: [],
};

/** `amazon-bedrock-invocationMetrics` of a streamed InvokeModel answer: Bedrock's own token counts. */
export const INVOCATION_METRICS = {
  inputTokenCount: 21,
  outputTokenCount: 8,
  invocationLatency: 420,
  firstByteLatency: 120,
};

/** Error scenarios: status, error type (`x-amzn-errortype`), message. */
export const BEDROCK_ERRORS: Record<string, { status: number; type: string; message: string }> = {
  throttle: {
    status: 429,
    type: "ThrottlingException",
    message: "Too many requests, please wait before trying again.",
  },
  invalid: {
    status: 400,
    type: "ValidationException",
    message: "Malformed input request, please reformat your input.",
  },
  denied: { status: 403, type: "AccessDeniedException", message: "You don't have access to the model." },
};
