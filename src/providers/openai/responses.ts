/** `responses.create`: Responses API params, Response objects and stream events as an LlmCall. */

import { tracedAccumulatedAnswer } from "../../instrument/accumulated-answer";
import { describeSdkError } from "../../instrument/errors";
import { outputTypeOf } from "../../instrument/openai-compatible/chat-fields";
import { inputMessages, ResponseStreamSoFar, readResponse } from "../../instrument/openai-compatible/responses-format";
import {
  asArray,
  definedOnly,
  isObject,
  type JsonObject,
  numberOrUndefined,
  stringOrUndefined,
  textParts,
} from "../../instrument/parts";
import type { ApiCallTracer } from "../../instrument/traced-call";
import type { LlmCall, RequestParams, ToolDefinition } from "../../semconv/llm-call";
import { describeEndpoint, whoAnswers } from "./endpoint";

export const responsesTracer: ApiCallTracer = {
  begin(args, environment) {
    const params = args[0];
    if (!isObject(params)) return undefined;
    const endpoint = describeEndpoint(environment.client);
    const call: LlmCall = definedOnly({
      ...whoAnswers(endpoint),
      operation: "chat" as const,
      request: responsesRequest(params),
      systemInstructions: typeof params.instructions === "string" ? textParts(params.instructions) : undefined,
      inputMessages: inputMessages(params.input),
    });
    const streamed = params.stream === true;
    return tracedAccumulatedAnswer({ call, args, streamed }, new ResponseStreamSoFar(call), readResponse);
  },
  describeError: describeSdkError,
};

function responsesRequest(params: JsonObject): RequestParams {
  const tools = asArray(params.tools).filter(isObject).map(toolDefinition);
  return definedOnly({
    model: stringOrUndefined(params.model),
    temperature: numberOrUndefined(params.temperature),
    topP: numberOrUndefined(params.top_p),
    maxTokens: numberOrUndefined(params.max_output_tokens),
    stream: params.stream === true,
    outputType: outputTypeOf(
      isObject(params.text) && isObject(params.text.format) ? params.text.format.type : undefined,
    ),
    tools: tools.length > 0 ? tools : undefined,
  });
}

function toolDefinition(tool: JsonObject): ToolDefinition {
  const type = String(tool.type ?? "function");
  if (type !== "function" && type !== "custom") return { type, name: stringOrUndefined(tool.server_label) ?? type };
  return definedOnly({
    type,
    name: String(tool.name ?? type),
    description: stringOrUndefined(tool.description),
    parameters: tool.parameters ?? tool.format,
  });
}
