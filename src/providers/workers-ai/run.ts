/**
 * `env.AI.run(model, inputs, options)`: which calls are traced, and how their answer reaches the caller.
 *
 * Traced: text generation (`messages`, `prompt`, or the Responses format's `input`), and embeddings (an embedding model's `text`). Every other
 * task (image generation and speech without a prompt, translation, classification, speech recognition, a
 * ReadableStream input, `websocket`) passes through untraced. `run` is an `async` method: the caller gets the
 * promise derived from it (plain-promise.ts says why that is the one to give), settling with the binding's own
 * object, or, for `stream: true`, with a stream of the same chunks (readable-stream.ts).
 */

import { reportInternalError } from "../../core/safe";
import { gatewayAnswer } from "../../instrument/ai-gateway";
import { tracedEmbeddings } from "../../instrument/embeddings-call";
import { describeSdkError } from "../../instrument/errors";
import { chatUsage } from "../../instrument/openai-compatible/chat-fields";
import {
  definedOnly,
  isObject,
  type JsonObject,
  paramsAsSent,
  stringOrUndefined,
  userTextMessages,
} from "../../instrument/parts";
import { isObservableReadableStream, observeReadableStream } from "../../instrument/readable-stream";
import { ServerSentEvents } from "../../instrument/server-sent-events";
import type { StreamEnd } from "../../instrument/stream-end";
import {
  type ApiCallTracer,
  type CallInFlight,
  streamObserver,
  type TracedCall,
  tracingHandler,
} from "../../instrument/traced-call";
import type { AiGatewayUse, LlmCall } from "../../semconv/llm-call";
import { readAnswer, readStreamedAnswer } from "./answers";
import { BindingRun } from "./request-ids";
import { textGenerationRequest } from "./text-generation";

/** No convention names Workers AI: the name AI Gateway gives it, in the conventions' style. */
const WORKERS_AI_PROVIDER = "cloudflare.workers_ai";

/** A traced call of the binding: its LlmCall, and the run whose ids it records. */
interface WorkersAiCall extends TracedCall {
  readonly run: BindingRun;
}

const runTracer: ApiCallTracer<WorkersAiCall> = {
  begin(args, environment) {
    const [model, inputs, options] = args;
    if (typeof model !== "string" || !isObject(inputs)) return undefined;
    const settings = isObject(options) ? options : {};
    if (settings.websocket === true) return undefined;
    const gateway = gatewayOf(settings);
    if (isEmbeddingModel(model)) {
      return embeddingsCall(args, model, inputs, gateway, new BindingRun(environment.client));
    }
    if (typeof inputs.prompt !== "string" && !Array.isArray(inputs.messages) && inputs.input === undefined) {
      return undefined;
    }
    return new TextGenerationCall(args, model, paramsAsSent(inputs), gateway, environment.client);
  },
  describeError: describeSdkError,
};

/** Embedding models: BAAI's `bge-*` (not its reranker), and those named for it (`embeddinggemma`, `qwen3-embedding`). */
function isEmbeddingModel(model: string): boolean {
  return /\/bge-(?!reranker)|embed/i.test(model);
}

/** The gateway the `gateway` option names. */
function gatewayOf(options: JsonObject): AiGatewayUse | undefined {
  const id = isObject(options.gateway) ? stringOrUndefined(options.gateway.id) : undefined;
  return id ? { id } : undefined;
}

function baseCall(model: string, aiGateway: AiGatewayUse | undefined): Omit<LlmCall, "operation"> {
  return definedOnly({ provider: WORKERS_AI_PROVIDER, aiGateway, request: { model } });
}

class TextGenerationCall implements WorkersAiCall {
  readonly call: LlmCall;
  readonly streamed: boolean;
  readonly run: BindingRun;
  private readonly events: ServerSentEvents | undefined;

  constructor(
    readonly args: readonly unknown[],
    private readonly model: string,
    private readonly inputs: JsonObject,
    aiGateway: AiGatewayUse | undefined,
    binding: object,
  ) {
    const operation = typeof inputs.prompt === "string" ? "text_completion" : "chat";
    this.call = { ...baseCall(model, aiGateway), operation };
    this.streamed = inputs.stream === true;
    this.events = this.streamed ? new ServerSentEvents() : undefined;
    this.run = new BindingRun(binding);
  }

  describeRequest(): void {
    Object.assign(this.call, textGenerationRequest(this.model, this.inputs));
  }

  readBody(body: unknown): void {
    readAnswer(this.call, this.inputs, body);
  }

  readEvent(chunk: unknown): boolean {
    this.events?.add(chunk);
    return true;
  }

  endStream(end: StreamEnd): void {
    readStreamedAnswer(this.call, this.inputs, this.events?.events() ?? [], end);
  }
}

function embeddingsCall(
  args: readonly unknown[],
  model: string,
  inputs: JsonObject,
  aiGateway: AiGatewayUse | undefined,
  run: BindingRun,
): WorkersAiCall {
  const text = inputs.text;
  return {
    ...tracedEmbeddings(
      args,
      baseCall(model, aiGateway),
      (body) => definedOnly({ usage: chatUsage(body.usage) }),
      () => userTextMessages(text),
    ),
    run,
  };
}

/** The handler of `run`: the binding's answer observed on its way to the caller. */
export const traceRun = /* @__PURE__ */ tracingHandler(runTracer, (result, inFlight) => {
  if (!(result instanceof Promise)) {
    ended(inFlight, undefined);
    return result;
  }
  return result.then(
    (value: unknown) => {
      try {
        return answered(value, inFlight);
      } catch (error) {
        reportInternalError("observe Workers AI answer", error);
        return value;
      }
    },
    (error: unknown) => {
      try {
        settle(inFlight, undefined);
      } finally {
        inFlight.failed(error);
      }
      throw error;
    },
  );
});

/** What the caller gets of the binding's answer; the span ends with it, or with the stream. */
function answered(value: unknown, inFlight: CallInFlight<WorkersAiCall>): unknown {
  const { traced } = inFlight;
  if (value instanceof Response) {
    // `returnRawResponse`: the body is the caller's; its headers say what the gateway did.
    ended(inFlight, value.headers);
    return value;
  }
  settle(inFlight, undefined);
  if (!traced.streamed) {
    inFlight.answered(value);
    return value;
  }
  if (!isObservableReadableStream(value)) {
    inFlight.ended();
    return value;
  }
  return observeReadableStream(value, streamObserver(inFlight));
}

function ended(inFlight: CallInFlight<WorkersAiCall>, headers: Headers | undefined): void {
  settle(inFlight, headers);
  inFlight.ended();
}

/** The call's ids, read as it settles: the request id, and the gateway's log id and cache status. */
function settle(inFlight: CallInFlight<WorkersAiCall>, headers: Headers | undefined): void {
  const { call, run } = inFlight.traced;
  const ids = run.settle();
  if (ids.requestId !== undefined) call.responseId = ids.requestId;
  if (call.aiGateway)
    call.aiGateway = definedOnly({ ...call.aiGateway, logId: ids.gatewayLogId, ...gatewayAnswer(headers) });
}
