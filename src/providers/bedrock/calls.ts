/**
 * `client.send(command)` of `@aws-sdk/client-bedrock-runtime` as an LlmCall, for the commands Converse,
 * ConverseStream, InvokeModel and InvokeModelWithResponseStream; any other command, and the callback form of
 * `send`, pass through untraced.
 */

import { asAbortSignal } from "../../instrument/async-iterable";
import { describeSdkError } from "../../instrument/errors";
import { definedOnly, isObject, type JsonObject, numberOrUndefined, stringOrUndefined } from "../../instrument/parts";
import type { Server } from "../../instrument/server-address";
import { type StreamEnd, unfinishedReason } from "../../instrument/stream-end";
import type { CallEnvironment } from "../../instrument/traced-call";
import type { PromiseCallTracer, PromiseTracedCall } from "../../instrument/traced-promise-call";
import type { LlmCall, LlmError } from "../../semconv/llm-call";
import * as converse from "./converse";
import { ConverseStreamAccumulator } from "./converse-stream";
import { invokeReader } from "./invoke";
import { headerTokenCounts, readTokenCountHeaders } from "./token-count-headers";

const BEDROCK = "aws.bedrock";
const TRACED_OPERATIONS = new Set(["Converse", "ConverseStream", "InvokeModel", "InvokeModelWithResponseStream"]);

export const sendTracer: PromiseCallTracer = {
  begin(args, environment) {
    const [command, ...rest] = args;
    // `send(command, callback)` answers through the callback and returns nothing to observe.
    if (rest.some((arg) => typeof arg === "function") || !isObject(command)) return undefined;
    const operation = operationOf(command);
    if (!operation || !TRACED_OPERATIONS.has(operation) || !isObject(command.input)) return undefined;
    const streamed = operation.endsWith("Stream");
    readTokenCountHeaders(environment.client);
    const begin = operation.startsWith("Converse") ? beginConverse : beginInvoke;
    const options = isObject(rest[0]) ? rest[0] : {};
    return { ...begin(command.input, args, environment, streamed), abortSignal: asAbortSignal(options.abortSignal) };
  },
  describeError: bedrockError,
};

/**
 * The operation a command runs: the name in its operation schema (`[9, namespace, name, …]`, or `{ name }`), which a
 * minifier leaves alone, else its class name without `Command` (SDK versions from before schemas).
 */
function operationOf(command: JsonObject): string | undefined {
  const schema = command.schema;
  const named = Array.isArray(schema) ? schema[2] : isObject(schema) ? schema.name : undefined;
  if (typeof named === "string") return named;
  const className = (command as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof className === "string" ? className.replace(/Command$/, "") : undefined;
}

function beginConverse(
  input: JsonObject,
  args: readonly unknown[],
  environment: CallEnvironment,
  streamed: boolean,
): PromiseTracedCall {
  const model = stringOrUndefined(input.modelId);
  const call: LlmCall = definedOnly({
    provider: BEDROCK,
    operation: "chat" as const,
    request: converse.requestParams(input, model, streamed),
    systemInstructions: converse.systemInstructions(input.system),
    inputMessages: converse.inputMessages(input.messages),
  });
  fillServer(call, environment.client);
  const stream = new ConverseStreamAccumulator();
  return {
    call,
    args,
    streamed,
    readBody(output) {
      readMetadata(call, output);
      if (!streamed && isObject(output)) readConverseAnswer(call, output);
    },
    readEvent(event) {
      stream.add(event);
      return true;
    },
    endMarkerArrived() {
      return stream.finished;
    },
    endStream(end) {
      readConverseAnswer(call, stream.answer, end);
    },
    eventsOf(output) {
      return isObject(output) ? output.stream : undefined;
    },
  };
}

function readConverseAnswer(call: LlmCall, answer: converse.ConverseAnswer, end?: StreamEnd): void {
  const messages = converse.outputMessages(answer, unfinishedReason(end));
  if (messages) call.outputMessages = messages;
  const usage = converse.usage(answer.usage);
  if (usage) call.usage = usage;
}

function beginInvoke(
  input: JsonObject,
  args: readonly unknown[],
  environment: CallEnvironment,
  streamed: boolean,
): PromiseTracedCall {
  const reader = invokeReader(input, streamed);
  const call: LlmCall = definedOnly({ provider: BEDROCK, ...reader.fields });
  fillServer(call, environment.client);
  return {
    call,
    args,
    streamed,
    readBody(output) {
      readMetadata(call, output);
      if (!streamed && isObject(output)) Object.assign(call, reader.answer(output.body));
    },
    readEvent(event) {
      reader.chunk(event);
      return true;
    },
    endMarkerArrived() {
      return reader.finished;
    },
    endStream(end) {
      Object.assign(call, definedOnly(reader.streamed(end)));
    },
    eventsOf(output) {
      return isObject(output) ? output.body : undefined;
    },
  };
}

/**
 * What the response tells besides the model's body: the request id Bedrock answered with (unless the body names
 * one), and the token counts of its headers, which counts in the body replace.
 */
function readMetadata(call: LlmCall, output: unknown): void {
  const metadata = isObject(output) && isObject(output.$metadata) ? output.$metadata : {};
  const requestId = stringOrUndefined(metadata.requestId);
  if (requestId) call.responseId = requestId;
  const counted = headerTokenCounts(output);
  if (counted) call.usage = counted;
}

interface SmithyConfig {
  isCustomEndpoint?: unknown;
  endpoint?: unknown;
  region?: unknown;
}

/**
 * Fills in the server the client sends to: its custom endpoint, else its region's Bedrock runtime endpoint. The
 * client keeps both as async providers only, so they are known a few microtasks into the call, long before its
 * answer (the span's attributes are written when it ends).
 */
function fillServer(call: LlmCall, client: object): void {
  serverOf((client as { config?: SmithyConfig }).config ?? {}).then(
    (server) => Object.assign(call, server),
    () => undefined,
  );
}

async function serverOf(config: SmithyConfig): Promise<Server> {
  if (config.isCustomEndpoint === true && typeof config.endpoint === "function") {
    const endpoint: unknown = await config.endpoint();
    if (!isObject(endpoint) || typeof endpoint.hostname !== "string") return {};
    const port = numberOrUndefined(endpoint.port);
    return { serverAddress: endpoint.hostname, serverPort: port ?? (endpoint.protocol === "http:" ? 80 : 443) };
  }
  const region: unknown = typeof config.region === "function" ? await config.region() : config.region;
  return typeof region === "string"
    ? { serverAddress: `bedrock-runtime.${region}.amazonaws.com`, serverPort: 443 }
    : {};
}

/** AWS errors carry their HTTP status in `$metadata`. */
function bedrockError(error: unknown): LlmError {
  const described = describeSdkError(error);
  const metadata = isObject(error) && isObject(error.$metadata) ? error.$metadata : {};
  return definedOnly({ ...described, statusCode: described.statusCode ?? numberOrUndefined(metadata.httpStatusCode) });
}
