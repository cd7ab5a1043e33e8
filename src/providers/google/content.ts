/**
 * Gemini API shapes (as `@google/genai` takes and returns them) → the provider-neutral parts of an LlmCall.
 * Params are read as the caller gave them (the SDK's unions: a string, a Part, Parts, a Content, Contents), the
 * same way the SDK turns them into the request; answers as the SDK hands them back. Read structurally, so fields
 * newer than this file go through.
 */

import {
  asArray,
  definedOnly,
  isObject,
  type JsonObject,
  modalityOf,
  numberOrUndefined,
  providerFinishReason,
  stringOrUndefined,
  stringsOrUndefined,
  sumOfCounts,
} from "../../instrument/parts";
import type {
  FinishReason,
  InputMessage,
  OutputMessage,
  Part,
  RequestParams,
  Role,
  ToolDefinition,
  Usage,
} from "../../semconv/llm-call";

/** A Content: a turn of the conversation. */
export interface GeminiContent {
  role?: string;
  parts: JsonObject[];
}

/** A GenerateContentResponse, or what a stream has told of one so far. */
export interface GeminiResponse {
  candidates?: GeminiCandidate[];
  usageMetadata?: JsonObject;
  responseId?: string;
  modelVersion?: string;
}

export interface GeminiCandidate {
  content?: GeminiContent;
  finishReason?: string;
  index?: number;
}

/** `generateContent` params' `config` → the request fields the conventions name. */
export function requestParams(params: JsonObject, stream: boolean): RequestParams {
  const config = isObject(params.config) ? params.config : {};
  const candidates = numberOrUndefined(config.candidateCount);
  const tools = asArray(config.tools).filter(isObject).flatMap(toolDefinitions);
  return definedOnly({
    model: stringOrUndefined(params.model),
    temperature: numberOrUndefined(config.temperature),
    topP: numberOrUndefined(config.topP),
    topK: numberOrUndefined(config.topK),
    maxTokens: numberOrUndefined(config.maxOutputTokens),
    stopSequences: stringsOrUndefined(config.stopSequences),
    seed: numberOrUndefined(config.seed),
    frequencyPenalty: numberOrUndefined(config.frequencyPenalty),
    presencePenalty: numberOrUndefined(config.presencePenalty),
    choiceCount: candidates !== undefined && candidates !== 1 ? candidates : undefined,
    stream,
    outputType: outputType(config),
    tools: tools.length > 0 ? tools : undefined,
  });
}

function outputType(config: JsonObject): string | undefined {
  const modalities = asArray(config.responseModalities).map((modality) => String(modality).toUpperCase());
  if (modalities.includes("IMAGE") && !modalities.includes("TEXT")) return "image";
  if (modalities.includes("AUDIO") && !modalities.includes("TEXT")) return "speech";
  const json = config.responseMimeType === "application/json" || config.responseSchema || config.responseJsonSchema;
  return json ? "json" : undefined;
}

/** A Tool holds function declarations, or names a built-in tool (`googleSearch`, `codeExecution`, …). */
function toolDefinitions(tool: JsonObject): ToolDefinition[] {
  // A CallableTool (an MCP client's tools) declares its functions asynchronously: nothing to read here.
  if (typeof tool.callTool === "function") return [];
  const functions = asArray(tool.functionDeclarations)
    .filter(isObject)
    .map((declaration) =>
      definedOnly({
        type: "function",
        name: String(declaration.name),
        description: stringOrUndefined(declaration.description),
        parameters: declaration.parametersJsonSchema ?? declaration.parameters,
      }),
    );
  const builtIns = Object.keys(tool)
    .filter((key) => key !== "functionDeclarations" && tool[key] !== undefined && tool[key] !== null)
    .map((key) => ({ type: key, name: key }));
  return [...functions, ...builtIns];
}

/** `config.systemInstruction`: a ContentUnion. */
export function systemInstructions(params: JsonObject): Part[] | undefined {
  const instruction = isObject(params.config) ? params.config.systemInstruction : undefined;
  if (instruction === undefined || instruction === null) return undefined;
  const parts = toContent(instruction).parts.flatMap(partToParts);
  return parts.length > 0 ? parts : undefined;
}

/** `contents` (a ContentListUnion) as the SDK sends it: Contents as they are, loose parts as one user turn. */
export function inputMessages(contents: unknown): InputMessage[] {
  if (contents === undefined || contents === null) return [];
  const items = Array.isArray(contents) ? contents : [contents];
  const turns = items.some(isContent)
    ? items.filter(isContent)
    : [{ role: "user", parts: items.map(toPart).filter(isObject) }];
  return turns.map((turn) => ({ role: roleOf(turn), parts: turn.parts.flatMap(partToParts) }));
}

function isContent(value: unknown): value is GeminiContent {
  return isObject(value) && Array.isArray(value.parts);
}

function toContent(value: unknown): GeminiContent {
  if (isContent(value)) return value;
  return {
    role: "user",
    parts: asArray(Array.isArray(value) ? value : [value])
      .map(toPart)
      .filter(isObject),
  };
}

function toPart(value: unknown): unknown {
  return typeof value === "string" ? { text: value } : value;
}

/** Gemini's `model` is the assistant; a turn that only answers function calls is the tool's. */
function roleOf(content: GeminiContent): Role {
  if (content.role === "model") return "assistant";
  const answersTools = content.parts.length > 0 && content.parts.every((part) => isObject(part.functionResponse));
  if (content.role === "function" || answersTools) return "tool";
  return content.role ?? "user";
}

/** One Part → its LlmCall parts. A Part carries exactly one kind of data; its other fields are metadata. */
export function partToParts(part: JsonObject): Part[] {
  if (typeof part.text === "string") {
    if (part.thought === true) return [definedOnly({ type: "reasoning", content: part.text })];
    return part.text === "" ? [] : [{ type: "text", content: part.text }];
  }
  if (isObject(part.inlineData)) return [inlineData(part.inlineData)];
  if (isObject(part.fileData)) return [fileData(part.fileData)];
  if (isObject(part.functionCall)) return [functionCall(part.functionCall)];
  if (isObject(part.functionResponse)) return [functionResponse(part.functionResponse)];
  if (isObject(part.executableCode)) return [codeExecution(part.executableCode)];
  if (isObject(part.codeExecutionResult)) return [codeExecutionResult(part.codeExecutionResult)];
  // Metadata alone (a thought signature, video metadata) is no content; anything else is kept as JSON.
  const data = Object.keys(part).filter((key) => !METADATA_FIELDS.has(key));
  return data.length === 0 ? [] : [{ type: "text", content: JSON.stringify(part) }];
}

const METADATA_FIELDS = new Set(["thought", "thoughtSignature", "videoMetadata", "mediaResolution", "partMetadata"]);

function inlineData(blob: JsonObject): Part {
  const mimeType = stringOrUndefined(blob.mimeType);
  return definedOnly({
    type: "blob" as const,
    modality: modalityOf(mimeType, "document"),
    mime_type: mimeType,
    content: String(blob.data ?? ""),
  });
}

function fileData(file: JsonObject): Part {
  const mimeType = stringOrUndefined(file.mimeType);
  return definedOnly({
    type: "uri" as const,
    modality: modalityOf(mimeType, "document"),
    mime_type: mimeType,
    uri: String(file.fileUri ?? ""),
  });
}

function functionCall(call: JsonObject): Part {
  return definedOnly({
    type: "tool_call" as const,
    id: stringOrUndefined(call.id),
    name: String(call.name),
    arguments: call.args,
  });
}

function functionResponse(response: JsonObject): Part {
  return definedOnly({
    type: "tool_call_response" as const,
    id: stringOrUndefined(response.id),
    response: response.response,
  });
}

function codeExecution(code: JsonObject): Part {
  return {
    type: "server_tool_call",
    name: "code_execution",
    server_tool_call: { type: "code_execution", language: code.language, code: code.code },
  };
}

function codeExecutionResult(result: JsonObject): Part {
  return {
    type: "server_tool_call_response",
    server_tool_call_response: { type: "code_execution", outcome: result.outcome, output: result.output },
  };
}

const FINISH_REASONS: Record<string, FinishReason> = {
  STOP: "stop",
  MAX_TOKENS: "length",
  SAFETY: "content_filter",
  RECITATION: "content_filter",
  BLOCKLIST: "content_filter",
  PROHIBITED_CONTENT: "content_filter",
  SPII: "content_filter",
  IMAGE_SAFETY: "content_filter",
  IMAGE_PROHIBITED_CONTENT: "content_filter",
  MALFORMED_FUNCTION_CALL: "error",
  UNEXPECTED_TOOL_CALL: "error",
};

/**
 * Gemini's `finishReason` → the conventions' finish reason. Gemini says `STOP` when it stops to call functions:
 * that is a `tool_call`. Other values (`LANGUAGE`, `OTHER`, …) pass through, lower-cased.
 */
function finishReason(candidate: GeminiCandidate, parts: readonly Part[]): FinishReason | undefined {
  const reason = candidate.finishReason;
  if (!reason || reason === "FINISH_REASON_UNSPECIFIED") return undefined;
  if (reason === "STOP" && parts.some((part) => part.type === "tool_call")) return "tool_call";
  return FINISH_REASONS[reason] ?? reason.toLowerCase();
}

/** One output message per candidate; `fallbackFinish` for a candidate the API never finished. */
export function outputMessages(response: GeminiResponse, fallbackFinish: FinishReason): OutputMessage[] {
  return asArray(response.candidates)
    .filter(isObject)
    .map((candidate: GeminiCandidate) => {
      const parts = asArray(candidate.content?.parts).filter(isObject).flatMap(partToParts);
      return {
        role: "assistant",
        parts,
        finish_reason: finishReason(candidate, parts) ?? fallbackFinish,
        ...providerFinishReason(candidate.finishReason),
      };
    });
}

/**
 * Gemini counts the prompt with its cached part (`cachedContentTokenCount`) included, the answer without the
 * model's thoughts (`thoughtsTokenCount`), and a tool's prompt (`toolUsePromptTokenCount`) apart. The conventions
 * count every input in the input and reasoning in the output.
 */
export function usage(metadata: unknown): Usage | undefined {
  if (!isObject(metadata)) return undefined;
  const prompt = numberOrUndefined(metadata.promptTokenCount);
  const toolPrompt = numberOrUndefined(metadata.toolUsePromptTokenCount);
  const candidates = numberOrUndefined(metadata.candidatesTokenCount);
  const thoughts = numberOrUndefined(metadata.thoughtsTokenCount);
  return definedOnly({
    inputTokens: sumOfCounts(prompt, toolPrompt),
    outputTokens: sumOfCounts(candidates, thoughts),
    cacheReadInputTokens: numberOrUndefined(metadata.cachedContentTokenCount),
    reasoningOutputTokens: thoughts,
  });
}
