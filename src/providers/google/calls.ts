/** `models.generateContent`, `generateContentStream` and `embedContent` of `@google/genai` as LlmCalls. */

import { asAbortSignal } from "../../instrument/async-iterable";
import { describeSdkError } from "../../instrument/errors";
import {
  asArray,
  definedOnly,
  isObject,
  type JsonObject,
  numberOrUndefined,
  stringOrUndefined,
  userTextMessages,
} from "../../instrument/parts";
import { serverOfUrl } from "../../instrument/server-address";
import { type StreamEnd, unfinishedReason } from "../../instrument/stream-end";
import type { CallEnvironment } from "../../instrument/traced-call";
import type { PromiseCallTracer, PromiseTracedCall } from "../../instrument/traced-promise-call";
import type { LlmCall } from "../../semconv/llm-call";
import {
  type GeminiResponse,
  inputMessages,
  outputMessages,
  requestParams,
  systemInstructions,
  usage,
} from "./content";
import { GeminiStreamAccumulator } from "./stream";

export const generateContentTracer: PromiseCallTracer = {
  begin: (args, environment) => beginGenerateContent(args, environment, false),
  describeError: describeSdkError,
};

export const generateContentStreamTracer: PromiseCallTracer = {
  begin: (args, environment) => beginGenerateContent(args, environment, true),
  describeError: describeSdkError,
};

function beginGenerateContent(
  args: readonly unknown[],
  environment: CallEnvironment,
  streamed: boolean,
): PromiseTracedCall | undefined {
  const [params] = args;
  if (!isObject(params)) return undefined;
  const call: LlmCall = definedOnly({
    ...endpointOf(environment.client),
    operation: "generate_content" as const,
    request: requestParams(params, streamed),
    systemInstructions: systemInstructions(params),
    inputMessages: inputMessages(params.contents),
  });
  const stream = new GeminiStreamAccumulator();
  const config = isObject(params.config) ? params.config : {};
  return {
    call,
    args,
    streamed,
    abortSignal: asAbortSignal(config.abortSignal),
    // A stream's promise resolves to the generator itself: it tells nothing until its chunks come.
    readBody(body) {
      if (!streamed) readResponse(call, body);
    },
    readEvent(chunk) {
      stream.add(chunk);
      return true;
    },
    endMarkerArrived() {
      return stream.finished;
    },
    endStream(end) {
      readResponse(call, stream.response, end);
    },
  };
}

function readResponse(call: LlmCall, body: unknown, end?: StreamEnd): void {
  if (!isObject(body)) return;
  const response = body as GeminiResponse;
  Object.assign(
    call,
    definedOnly({
      responseId: stringOrUndefined(response.responseId),
      responseModel: stringOrUndefined(response.modelVersion),
      usage: usage(response.usageMetadata),
    }),
  );
  const messages = outputMessages(response, unfinishedReason(end));
  // A stream that failed before its first candidate has no answer to show.
  if (messages.length > 0) call.outputMessages = messages;
}

export const embedContentTracer: PromiseCallTracer = {
  begin(args, environment) {
    const [params] = args;
    if (!isObject(params)) return undefined;
    const config = isObject(params.config) ? params.config : {};
    const call: LlmCall = definedOnly({
      ...endpointOf(environment.client),
      operation: "embeddings" as const,
      request: definedOnly({
        model: stringOrUndefined(params.model),
        dimensions: numberOrUndefined(config.outputDimensionality),
      }),
    });
    const { contents } = params;
    return {
      call,
      args,
      streamed: false,
      describeRequest() {
        // Each text or content embedded is one input.
        const inputs = userTextMessages(contents) ?? inputMessages(contents);
        if (inputs.length > 0) call.inputMessages = inputs;
      },
      readBody(body) {
        if (isObject(body)) call.usage = embeddingUsage(body);
      },
      readEvent() {
        return true;
      },
      endStream() {},
    };
  },
  describeError: describeSdkError,
};

/** Vertex AI counts each embedded text's tokens (`statistics.tokenCount`); the Gemini API counts none. */
function embeddingUsage(body: JsonObject): LlmCall["usage"] {
  const counts = asArray(body.embeddings).flatMap((embedding) => {
    const statistics = isObject(embedding) && isObject(embedding.statistics) ? embedding.statistics : {};
    const tokens = numberOrUndefined(statistics.tokenCount);
    return tokens === undefined ? [] : [tokens];
  });
  return counts.length > 0 ? { inputTokens: counts.reduce((total, tokens) => total + tokens, 0) } : undefined;
}

interface GoogleGenAIClient {
  vertexai?: unknown;
  apiClient?: { isVertexAI?: () => unknown; getBaseUrl?: () => unknown };
}

/** Vertex AI when the client is in Vertex mode, else the Gemini API; the host and port of its base URL. */
function endpointOf(client: object): Pick<LlmCall, "provider" | "serverAddress" | "serverPort"> {
  const { vertexai, apiClient } = client as GoogleGenAIClient;
  const vertex = vertexai === true || apiClient?.isVertexAI?.() === true;
  return { provider: vertex ? "gcp.vertex_ai" : "gcp.gemini", ...serverOfUrl(baseUrlOf(apiClient)) };
}

/** The SDK throws when its HTTP options lack a base URL. */
function baseUrlOf(apiClient: GoogleGenAIClient["apiClient"]): unknown {
  try {
    return apiClient?.getBaseUrl?.();
  } catch {
    return undefined;
  }
}
