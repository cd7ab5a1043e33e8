/**
 * The model families whose InvokeModel bodies are read: Anthropic (the Messages API), Meta Llama, Amazon Titan Text,
 * Amazon Nova (Converse shapes) and Mistral (mistral-family.ts). Each knows its request body, its answer body,
 * and how its streamed chunks add up to that answer. Any other family is recorded without content.
 */

import * as anthropic from "../../instrument/anthropic-messages/content";
import { MessageAccumulator } from "../../instrument/anthropic-messages/stream";
import {
  asArray,
  definedOnly,
  isObject,
  type JsonObject,
  numberOrUndefined,
  providerFinishReason,
  stringOrUndefined,
  stringsOrUndefined,
  sumOfCounts,
  textParts,
} from "../../instrument/parts";
import type { FinishReason, OutputMessage, Part, Usage } from "../../semconv/llm-call";
import * as converse from "./converse";
import { ConverseStreamAccumulator } from "./converse-stream";
import { mistralFamily } from "./mistral-family";
import { type ModelFamily, slot, userPrompt } from "./model-family";

function assistant(parts: Part[], finish: FinishReason, providerReason?: string): OutputMessage[] {
  return [{ role: "assistant", parts, finish_reason: finish, ...providerFinishReason(providerReason) }];
}

const anthropicFamily: ModelFamily = {
  request(body, model, stream) {
    return {
      operation: "chat",
      request: definedOnly({ ...anthropic.requestParams(body), model, stream }),
      systemInstructions: anthropic.systemInstructions(body.system),
      inputMessages: anthropic.inputMessages(body.messages),
    };
  },
  answer(body, fallbackFinish) {
    const message = { ...body, content: asArray(body.content) } as anthropic.AnthropicMessage;
    const answered = message.content.length > 0 || Boolean(message.stop_reason);
    return definedOnly({
      outputMessages: answered ? [anthropic.outputMessage(message, fallbackFinish)] : undefined,
      usage: anthropic.usage(message.usage),
      responseId: stringOrUndefined(body.id),
      responseModel: stringOrUndefined(body.model),
    });
  },
  chunks() {
    const accumulator = new MessageAccumulator();
    return {
      add(chunk) {
        accumulator.add(chunk);
      },
      get body() {
        return accumulator.answer() as unknown as JsonObject;
      },
    };
  },
};

const LLAMA_FINISH: Record<string, FinishReason> = { stop: "stop", length: "length" };

const llamaFamily: ModelFamily = {
  request(body, model, stream) {
    return {
      operation: "text_completion",
      request: definedOnly({
        model,
        temperature: numberOrUndefined(body.temperature),
        topP: numberOrUndefined(body.top_p),
        maxTokens: numberOrUndefined(body.max_gen_len),
        stream,
      }),
      inputMessages: userPrompt(body.prompt),
    };
  },
  answer(body, fallbackFinish) {
    const reason = stringOrUndefined(body.stop_reason);
    return definedOnly({
      outputMessages: assistant(
        textParts(body.generation),
        (reason && LLAMA_FINISH[reason]) || reason || fallbackFinish,
        reason,
      ),
      usage: definedOnly({
        inputTokens: numberOrUndefined(body.prompt_token_count),
        outputTokens: numberOrUndefined(body.generation_token_count),
      }),
    });
  },
  chunks() {
    const body: JsonObject = { generation: "" };
    return {
      add(chunk) {
        body.generation = `${body.generation}${stringOrUndefined(chunk.generation) ?? ""}`;
        body.prompt_token_count ??= numberOrUndefined(chunk.prompt_token_count);
        body.generation_token_count = numberOrUndefined(chunk.generation_token_count) ?? body.generation_token_count;
        body.stop_reason = stringOrUndefined(chunk.stop_reason) ?? body.stop_reason;
      },
      body,
    };
  },
};

const TITAN_FINISH: Record<string, FinishReason> = {
  FINISH: "stop",
  LENGTH: "length",
  STOP_CRITERIA_MET: "stop",
  CONTENT_FILTERED: "content_filter",
};

const titanFamily: ModelFamily = {
  request(body, model, stream) {
    const config = isObject(body.textGenerationConfig) ? body.textGenerationConfig : {};
    return {
      operation: "text_completion",
      request: definedOnly({
        model,
        temperature: numberOrUndefined(config.temperature),
        topP: numberOrUndefined(config.topP),
        maxTokens: numberOrUndefined(config.maxTokenCount),
        stopSequences: stringsOrUndefined(config.stopSequences),
        stream,
      }),
      inputMessages: userPrompt(body.inputText),
    };
  },
  answer(body, fallbackFinish) {
    const results = asArray(body.results).filter(isObject);
    const outputs = results.map((result): OutputMessage => {
      const reason = stringOrUndefined(result.completionReason);
      return {
        role: "assistant",
        parts: textParts(result.outputText),
        finish_reason: (reason && TITAN_FINISH[reason]) || reason || fallbackFinish,
        ...providerFinishReason(reason),
      };
    });
    const output = results.reduce<number | undefined>(
      (total, result) => sumOfCounts(total, numberOrUndefined(result.tokenCount)),
      undefined,
    );
    return definedOnly({
      outputMessages: outputs.length > 0 ? outputs : undefined,
      usage: definedOnly({ inputTokens: numberOrUndefined(body.inputTextTokenCount), outputTokens: output }),
    });
  },
  chunks() {
    const results: JsonObject[] = [];
    const body: JsonObject = { results };
    return {
      add(chunk) {
        const index = numberOrUndefined(chunk.index) ?? 0;
        const result = slot(results, index, () => ({ outputText: "" }));
        result.outputText = `${result.outputText}${stringOrUndefined(chunk.outputText) ?? ""}`;
        result.tokenCount = numberOrUndefined(chunk.totalOutputTextTokenCount) ?? result.tokenCount;
        result.completionReason = stringOrUndefined(chunk.completionReason) ?? result.completionReason;
        body.inputTextTokenCount ??= numberOrUndefined(chunk.inputTextTokenCount);
      },
      body,
    };
  },
};

const novaFamily: ModelFamily = {
  request(body, model, stream) {
    return {
      operation: "chat",
      request: converse.requestParams(body, model, stream),
      systemInstructions: converse.systemInstructions(body.system),
      inputMessages: converse.inputMessages(body.messages),
    };
  },
  answer(body, fallbackFinish) {
    return definedOnly({
      outputMessages: converse.outputMessages(body, fallbackFinish),
      usage: converse.usage(body.usage),
    });
  },
  chunks() {
    const accumulator = new ConverseStreamAccumulator();
    return {
      add(chunk) {
        accumulator.add(chunk);
      },
      get body() {
        return accumulator.answer as JsonObject;
      },
    };
  },
};

/** The family of a model id (`anthropic.…`, `us.anthropic.…`, an inference profile ARN ending in one), else of the body. */
export function familyOf(modelId: string | undefined, body: JsonObject | undefined): ModelFamily | undefined {
  const id = (modelId ?? "").slice((modelId ?? "").lastIndexOf("/") + 1);
  if (/(^|\.)anthropic\./.test(id) || body?.anthropic_version !== undefined) return anthropicFamily;
  if (/(^|\.)meta\.llama/.test(id)) return llamaFamily;
  if (/(^|\.)amazon\.titan-text/.test(id)) return titanFamily;
  if (/(^|\.)amazon\.nova/.test(id) || body?.schemaVersion === "messages-v1") return novaFamily;
  if (/(^|\.)mistral\./.test(id)) return mistralFamily;
  return undefined;
}

/** The token counts Bedrock adds to the last chunk of every streamed InvokeModel answer, whatever the family. */
export function invocationUsage(metrics: unknown): Usage | undefined {
  if (!isObject(metrics)) return undefined;
  return definedOnly({
    inputTokens: numberOrUndefined(metrics.inputTokenCount),
    outputTokens: numberOrUndefined(metrics.outputTokenCount),
  });
}
