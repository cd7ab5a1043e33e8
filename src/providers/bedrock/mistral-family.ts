/** Mistral models' InvokeModel bodies on Bedrock: a text completion (`prompt`), or chat in OpenAI's snake_case shape. */

import { finishReasonOf } from "../../instrument/openai-compatible/chat-fields";
import { contentParts } from "../../instrument/openai-compatible/content-parts";
import { functionToolCallParts, functionToolDefinition } from "../../instrument/openai-compatible/function-tools";
import {
  asArray,
  definedOnly,
  isObject,
  type JsonObject,
  numberOrUndefined,
  providerFinishReason,
  stopSequencesOf,
  stringOrUndefined,
  textParts,
} from "../../instrument/parts";
import type { FinishReason, OutputMessage } from "../../semconv/llm-call";
import { type ModelFamily, slot, userPrompt } from "./model-family";

export const mistralFamily: ModelFamily = {
  request(body, model, stream) {
    const chat = Array.isArray(body.messages);
    const tools = asArray(body.tools)
      .filter((tool): tool is JsonObject => isObject(tool) && isObject(tool.function))
      .map(functionToolDefinition);
    return {
      operation: chat ? "chat" : "text_completion",
      request: definedOnly({
        model,
        temperature: numberOrUndefined(body.temperature),
        topP: numberOrUndefined(body.top_p),
        topK: numberOrUndefined(body.top_k),
        maxTokens: numberOrUndefined(body.max_tokens),
        stopSequences: stopSequencesOf(body.stop),
        stream,
        tools: tools.length > 0 ? tools : undefined,
      }),
      inputMessages: chat ? asArray(body.messages).filter(isObject).map(chatMessage) : userPrompt(body.prompt),
    };
  },
  answer(body, fallbackFinish) {
    if (Array.isArray(body.choices)) {
      const usage = isObject(body.usage) ? body.usage : {};
      return definedOnly({
        outputMessages: body.choices.filter(isObject).map((choice) => chatAnswer(choice, fallbackFinish)),
        usage: definedOnly({
          inputTokens: numberOrUndefined(usage.prompt_tokens),
          outputTokens: numberOrUndefined(usage.completion_tokens),
        }),
        responseId: stringOrUndefined(body.id),
        responseModel: stringOrUndefined(body.model),
      });
    }
    const outputs = asArray(body.outputs).filter(isObject);
    return definedOnly({
      outputMessages: outputs.length > 0 ? outputs.map((output) => textAnswer(output, fallbackFinish)) : undefined,
    });
  },
  chunks() {
    const choices: JsonObject[] = [];
    const outputs: JsonObject[] = [];
    return {
      add(chunk) {
        asArray(chunk.choices)
          .filter(isObject)
          .forEach((delta, position) => {
            addChoiceDelta(choices, delta, position);
          });
        asArray(chunk.outputs)
          .filter(isObject)
          .forEach((output, index) => {
            const soFar = slot(outputs, index, () => ({ text: "" }));
            soFar.text = `${soFar.text}${stringOrUndefined(output.text) ?? ""}`;
            soFar.stop_reason = stringOrUndefined(output.stop_reason) ?? soFar.stop_reason;
          });
      },
      get body() {
        return choices.length > 0 ? { choices } : { outputs };
      },
    };
  },
};

function chatMessage(message: JsonObject) {
  const role = String(message.role ?? "user");
  if (role === "tool") {
    const response = typeof message.content === "string" ? message.content : contentParts(message.content);
    return {
      role,
      parts: [
        definedOnly({ type: "tool_call_response" as const, id: stringOrUndefined(message.tool_call_id), response }),
      ],
    };
  }
  return { role, parts: [...contentParts(message.content), ...functionToolCallParts(message.tool_calls)] };
}

function chatAnswer(choice: JsonObject, fallbackFinish: FinishReason): OutputMessage {
  const message = isObject(choice.message) ? choice.message : {};
  const reason = stringOrUndefined(choice.finish_reason);
  return {
    role: String(message.role ?? "assistant"),
    parts: [...contentParts(message.content), ...functionToolCallParts(message.tool_calls)],
    finish_reason: reason ? finishReasonOf(reason === "model_length" ? "length" : reason) : fallbackFinish,
    ...providerFinishReason(reason),
  };
}

function textAnswer(output: JsonObject, fallbackFinish: FinishReason): OutputMessage {
  const reason = stringOrUndefined(output.stop_reason);
  return {
    role: "assistant",
    parts: textParts(output.text),
    finish_reason: reason ? finishReasonOf(reason === "model_length" ? "length" : reason) : fallbackFinish,
    ...providerFinishReason(reason),
  };
}

/** Mistral streams whole tool calls, so a delta's calls are appended, not merged. */
function addChoiceDelta(choices: JsonObject[], delta: JsonObject, position: number): void {
  const index = numberOrUndefined(delta.index) ?? position;
  const choice = slot(choices, index, () => ({ message: { role: "assistant", content: "", tool_calls: [] } }));
  const message = choice.message as { role: string; content: string; tool_calls: unknown[] };
  const piece = isObject(delta.delta) ? delta.delta : {};
  if (typeof piece.role === "string") message.role = piece.role;
  if (typeof piece.content === "string") message.content += piece.content;
  message.tool_calls.push(...asArray(piece.tool_calls));
  choice.finish_reason = stringOrUndefined(delta.finish_reason) ?? choice.finish_reason;
}
