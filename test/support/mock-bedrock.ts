/**
 * A mock of the Amazon Bedrock runtime on 127.0.0.1, speaking its REST-JSON wire format, and the AWS event stream
 * framing (aws-event-stream.ts) for the streamed operations, so the real `@aws-sdk/client-bedrock-runtime` can talk
 * to it, over HTTP/2 (the SDK's Node handler) or HTTP/1.1 (its `fetch` handler). Requests are not authenticated (the
 * SDK signs them with the tests' static fake credentials).
 *
 * Routes (`{id}` is the URL-encoded model id)
 * - `POST /model/{id}/converse`: a ConverseResponse from CONVERSE_FIXTURES.
 * - `POST /model/{id}/converse-stream`: the same answer as events: `messageStart`, per block `contentBlockStart`
 *   (tool use), `contentBlockDelta` (text in pieces, tool input JSON in pieces, reasoning text then its signature),
 *   `contentBlockStop`; `messageStop`, `metadata` (usage, metrics).
 * - `POST /model/{id}/invoke`: the body of the model family the id names: Anthropic (the Messages API fixtures of
 *   mock-anthropic), Meta Llama, Amazon Titan Text, Amazon Nova, Mistral (text, or chat when the request has
 *   `messages`), Cohere (a family whose body the tracer does not read); Bedrock's token counts in the headers
 *   `x-amzn-bedrock-input-token-count` / `-output-token-count` (INVOCATION_METRICS's, whatever the body says).
 * - `POST /model/{id}/invoke-with-response-stream`: the family's stream, as `chunk` events holding the base64 JSON of
 *   each piece, the last with `amazon-bedrock-invocationMetrics`.
 * - `POST /model/{id}/count-tokens`: `{ inputTokens: 7 }`.
 * - `GET /__mock/requests?capture=ID`: the requests sent with the header `x-mock-capture: ID`.
 *
 * Scenario: the header `x-mock-scenario`, else what follows `mock-` in the model id, else `text`: a key of
 * CONVERSE_FIXTURES (Converse; the Anthropic family takes the Anthropic fixtures' names), of BEDROCK_ERRORS (an error
 * answer with `x-amzn-errortype`), or for the streamed operations
 * - `stream-error`: two text pieces, then a `modelStreamErrorException` message;
 * - `stream-drop`: two text pieces, then the socket is destroyed;
 * - `slow`: one text piece every 40 ms for 10 s.
 * Every answer carries `x-amzn-requestid: req-mock-<n>`.
 */
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { constants as http2Constants, type ServerHttp2Stream } from "node:http2";
import { encodeEvent, encodeException } from "./aws-event-stream";
import {
  BEDROCK_ERRORS,
  COHERE_ANSWER,
  CONVERSE_FIXTURES,
  type ConverseFixture,
  INVOCATION_METRICS,
  LLAMA_ANSWER,
  MISTRAL_CHAT_ANSWER,
  MISTRAL_TEXT_ANSWER,
  NOVA_ANSWER,
  TITAN_ANSWER,
} from "./bedrock-fixtures";
import { startDualProtocolServer } from "./dual-protocol-server";
import { type FixtureMessage, messageEvents } from "./mock-anthropic";
import {
  capturing,
  EARLY_ENDS,
  endStreamEarly,
  type Json,
  jsonListener,
  type MockServer,
  pieces,
  sendJson,
  writeFramesPaced,
} from "./mock-http";

const MODEL_PATH = /^\/model\/([^/]+)\/(converse|converse-stream|invoke|invoke-with-response-stream|count-tokens)$/;
const SLOW_INTERVAL_MS = 40;
const SLOW_PIECES = 250;
const STREAM_FAILURES = new Set(["stream-error", "stream-drop", "slow", ...EARLY_ENDS]);

type Family = "anthropic" | "llama" | "titan" | "nova" | "mistral" | "cohere";

export async function startMockBedrock(): Promise<MockServer> {
  return startDualProtocolServer(
    jsonListener(
      capturing((req, res, body, sequence) => {
        res.setHeader("x-amzn-requestid", `req-mock-${sequence}`);
        route(req, res, body);
      }),
      (error) => ({ message: String(error) }),
    ),
  );
}

function route(req: IncomingMessage, res: ServerResponse, body: Json): void {
  const url = new URL(req.url ?? "/", "http://mock");
  const match = MODEL_PATH.exec(url.pathname);
  if (req.method !== "POST" || !match) {
    sendError(res, 404, "UnknownOperationException", `No route for ${req.method} ${url.pathname}`);
    return;
  }
  const modelId = decodeURIComponent(match[1] ?? "");
  const scenario = scenarioOf(req, modelId);
  const error = BEDROCK_ERRORS[scenario];
  if (error) {
    sendError(res, error.status, error.type, error.message);
    return;
  }
  const operation = match[2];
  if (operation === "count-tokens") sendJson(res, 200, { inputTokens: 7 });
  else if (operation === "converse") converse(res, scenario);
  else if (operation === "converse-stream") converseStream(res, scenario);
  else if (operation === "invoke") invoke(res, modelId, scenario, body);
  else invokeStream(res, modelId, scenario, body);
}

function scenarioOf(req: IncomingMessage, modelId: string): string {
  const header = req.headers["x-mock-scenario"];
  if (typeof header === "string") return header;
  const at = modelId.lastIndexOf("mock-");
  return at < 0 ? "text" : modelId.slice(at + "mock-".length);
}

/** A REST-JSON error as Bedrock sends it: the type in `x-amzn-errortype`, the message in the body. */
function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  res.setHeader("x-amzn-errortype", `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`);
  sendJson(res, status, { message });
}

function converseFixture(res: ServerResponse, scenario: string): ConverseFixture | undefined {
  const fixture = CONVERSE_FIXTURES[scenario];
  if (!fixture) sendError(res, 400, "ValidationException", `unknown mock scenario ${scenario}`);
  return fixture;
}

function converse(res: ServerResponse, scenario: string): void {
  const fixture = converseFixture(res, scenario);
  if (!fixture) return;
  sendJson(res, 200, {
    output: { message: { role: "assistant", content: fixture.content } },
    stopReason: fixture.stopReason,
    usage: fixture.usage,
    metrics: { latencyMs: 321 },
  });
}

function openEventStream(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream", ...headers });
}

function sendFrames(res: ServerResponse, frames: Uint8Array[], headers?: Record<string, string>): void {
  openEventStream(res, headers);
  for (const frame of frames) res.write(frame);
  res.end();
}

/** Bedrock pads event payloads with a `p` field of varying length, so a payload's size says nothing. */
const padded = (payload: Json, n: number): Json => ({
  ...payload,
  p: "abcdefghijklmnopqrstuvwxyz".slice(0, 1 + (n % 26)),
});

function converseStream(res: ServerResponse, scenario: string): void {
  if (STREAM_FAILURES.has(scenario)) {
    streamFailure(res, scenario, (text) => ["contentBlockDelta", { contentBlockIndex: 0, delta: { text } }]);
    return;
  }
  const fixture = converseFixture(res, scenario);
  if (!fixture) return;
  const events = converseEvents(fixture).map(([type, payload], n) => encodeEvent(type, padded(payload, n)));
  sendFrames(res, events);
}

type StreamEvent = [eventType: string, payload: Json];

/** The ConverseStream events of a Converse answer. */
export function converseEvents(fixture: ConverseFixture): StreamEvent[] {
  const events: StreamEvent[] = [["messageStart", { role: "assistant" }]];
  fixture.content.forEach((block, contentBlockIndex) => {
    const toolUse = block.toolUse as Json | undefined;
    if (toolUse) {
      const start = { toolUse: { toolUseId: toolUse.toolUseId, name: toolUse.name } };
      events.push(["contentBlockStart", { contentBlockIndex, start }]);
    }
    for (const delta of blockDeltas(block)) events.push(["contentBlockDelta", { contentBlockIndex, delta }]);
    events.push(["contentBlockStop", { contentBlockIndex }]);
  });
  events.push(["messageStop", { stopReason: fixture.stopReason }]);
  events.push(["metadata", { usage: fixture.usage, metrics: { latencyMs: 321 } }]);
  return events;
}

function blockDeltas(block: Json): Json[] {
  if (typeof block.text === "string") return pieces(block.text, 6).map((text) => ({ text }));
  const toolUse = block.toolUse as Json | undefined;
  if (toolUse) return pieces(JSON.stringify(toolUse.input), 9).map((input) => ({ toolUse: { input } }));
  const reasoning = (block.reasoningContent as Json | undefined)?.reasoningText as Json | undefined;
  if (reasoning) {
    const texts = pieces(String(reasoning.text), 5).map((text) => ({ reasoningContent: { text } }));
    return [...texts, { reasoningContent: { signature: reasoning.signature } }];
  }
  return [];
}

/** The family of a model id as Bedrock names them: `anthropic.…`, `us.anthropic.…`, an ARN ending in one. */
function familyOf(modelId: string): Family | undefined {
  const id = modelId.slice(modelId.lastIndexOf("/") + 1);
  if (/(^|\.)anthropic\./.test(id)) return "anthropic";
  if (/(^|\.)meta\.llama/.test(id)) return "llama";
  if (/(^|\.)amazon\.titan-text/.test(id)) return "titan";
  if (/(^|\.)amazon\.nova/.test(id)) return "nova";
  if (/(^|\.)mistral\./.test(id)) return "mistral";
  if (/(^|\.)cohere\./.test(id)) return "cohere";
  return undefined;
}

function anthropicFixture(scenario: string): FixtureMessage {
  const file = new URL(`../fixtures/anthropic/${scenario}.json`, import.meta.url);
  return JSON.parse(readFileSync(file, "utf8")) as FixtureMessage;
}

function anthropicMessage(modelId: string, scenario: string): Json {
  return { id: "msg_bdrk_mock", type: "message", role: "assistant", model: modelId, ...anthropicFixture(scenario) };
}

/** The InvokeModel answer of `family`. */
function familyAnswer(family: Family, modelId: string, scenario: string, body: Json): Json {
  switch (family) {
    case "anthropic":
      return anthropicMessage(modelId, scenario);
    case "llama":
      return LLAMA_ANSWER;
    case "titan":
      return TITAN_ANSWER;
    case "nova":
      return NOVA_ANSWER;
    case "mistral":
      return Array.isArray(body.messages) ? MISTRAL_CHAT_ANSWER : MISTRAL_TEXT_ANSWER;
    case "cohere":
      return COHERE_ANSWER;
  }
}

function invoke(res: ServerResponse, modelId: string, scenario: string, body: Json): void {
  const family = familyOf(modelId);
  if (!family) {
    sendError(res, 400, "ValidationException", `The provided model identifier is invalid: ${modelId}`);
    return;
  }
  // Bedrock's own token counts, whatever the family's body says.
  res.setHeader("x-amzn-bedrock-input-token-count", String(INVOCATION_METRICS.inputTokenCount));
  res.setHeader("x-amzn-bedrock-output-token-count", String(INVOCATION_METRICS.outputTokenCount));
  res.setHeader("x-amzn-bedrock-invocation-latency", String(INVOCATION_METRICS.invocationLatency));
  sendJson(res, 200, familyAnswer(family, modelId, scenario, body));
}

function invokeStream(res: ServerResponse, modelId: string, scenario: string, body: Json): void {
  if (STREAM_FAILURES.has(scenario)) {
    streamFailure(res, scenario, (text) => ["chunk", chunkOf({ generation: text })]);
    return;
  }
  const family = familyOf(modelId);
  if (!family) {
    sendError(res, 400, "ValidationException", `The provided model identifier is invalid: ${modelId}`);
    return;
  }
  const payloads = familyChunks(family, modelId, scenario, body);
  const last = payloads.length - 1;
  const withMetrics = payloads.map((payload, n) =>
    n === last ? { ...payload, "amazon-bedrock-invocationMetrics": INVOCATION_METRICS } : payload,
  );
  const frames = withMetrics.map((payload, n) => encodeEvent("chunk", padded(chunkOf(payload), n)));
  sendFrames(res, frames, { "x-amzn-bedrock-content-type": "application/json" });
}

function chunkOf(payload: Json): Json {
  return { bytes: btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(payload)))) };
}

/** The JSON pieces a family streams. */
function familyChunks(family: Family, modelId: string, scenario: string, body: Json): Json[] {
  switch (family) {
    case "anthropic":
      return messageEvents("msg_bdrk_mock", modelId, anthropicFixture(scenario)).map(({ data }) => data);
    case "llama":
      return [
        ...pieces(LLAMA_ANSWER.generation, 6).map((generation, n) => ({
          generation,
          prompt_token_count: n === 0 ? LLAMA_ANSWER.prompt_token_count : null,
          generation_token_count: n + 1,
          stop_reason: null,
        })),
        { generation: "", prompt_token_count: null, generation_token_count: 8, stop_reason: LLAMA_ANSWER.stop_reason },
      ];
    case "titan": {
      const [result] = TITAN_ANSWER.results;
      return pieces(String(result?.outputText), 6).map((outputText, n, all) => ({
        outputText,
        index: 0,
        totalOutputTextTokenCount: Math.round(((result?.tokenCount ?? 0) * (n + 1)) / all.length),
        completionReason: n === all.length - 1 ? result?.completionReason : null,
        inputTextTokenCount: n === 0 ? TITAN_ANSWER.inputTextTokenCount : null,
      }));
    }
    case "nova":
      return converseEvents({
        content: NOVA_ANSWER.output.message.content,
        stopReason: NOVA_ANSWER.stopReason,
        usage: NOVA_ANSWER.usage,
      }).map(([type, payload]) => ({ [type]: payload }));
    case "mistral":
      return mistralChunks(Array.isArray(body.messages));
    case "cohere":
      return [
        ...pieces(COHERE_ANSWER.text, 6).map((text) => ({ is_finished: false, event_type: "text-generation", text })),
        { is_finished: true, event_type: "stream-end", finish_reason: COHERE_ANSWER.finish_reason },
      ];
  }
}

function mistralChunks(chat: boolean): Json[] {
  if (!chat) {
    const [output] = MISTRAL_TEXT_ANSWER.outputs;
    return [
      ...pieces(String(output?.text), 6).map((text) => ({ outputs: [{ text, stop_reason: null }] })),
      { outputs: [{ text: "", stop_reason: output?.stop_reason }] },
    ];
  }
  const [choice] = MISTRAL_CHAT_ANSWER.choices;
  const [call] = choice?.message.tool_calls ?? [];
  return [
    { choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] },
    { choices: [{ index: 0, delta: { tool_calls: [call] }, finish_reason: null }] },
    { choices: [{ index: 0, delta: { content: "" }, finish_reason: choice?.finish_reason }] },
  ];
}

/** Two text pieces, then the failure the scenario names. */
function streamFailure(res: ServerResponse, scenario: string, piece: (text: string) => StreamEvent): void {
  const opening = ["Partial ", "answer "].map((text, n) => encodeEvent(...withPadding(piece(text), n)));
  if (scenario === "stream-error") {
    const error = { message: "The model stream failed.", originalStatusCode: 500, originalMessage: "Internal error" };
    sendFrames(res, [...opening, encodeException("modelStreamErrorException", error)]);
    return;
  }
  openEventStream(res);
  if (EARLY_ENDS.has(scenario)) {
    endStreamEarly(res, scenario, opening);
    return;
  }
  if (scenario === "stream-drop") {
    for (const frame of opening) res.write(frame);
    setTimeout(() => dropConnection(res), SLOW_INTERVAL_MS);
    return;
  }
  const ticks = Array.from({ length: SLOW_PIECES }, (_, n) => encodeEvent(...withPadding(piece(`tick${n + 1} `), n)));
  writeFramesPaced(res, [...opening, ...ticks], SLOW_INTERVAL_MS);
}

function withPadding([type, payload]: StreamEvent, n: number): StreamEvent {
  return [type, padded(payload, n)];
}

/** Cuts the answer off mid-way: an HTTP/2 stream is reset, an HTTP/1.1 connection destroyed. */
function dropConnection(res: ServerResponse): void {
  const stream = (res as unknown as { stream?: ServerHttp2Stream }).stream;
  if (stream) stream.close(http2Constants.NGHTTP2_INTERNAL_ERROR);
  else res.socket?.destroy();
}
