/**
 * A mock of the Anthropic API on 127.0.0.1, speaking the Messages API wire format (JSON and SSE) so the
 * real `@anthropic-ai/sdk` can talk to it.
 *
 * Routes
 * - `POST /v1/messages`: a Message as JSON, or the SSE event sequence when the body has `stream: true`
 *   (`message_start`, `content_block_start`, `ping`, `content_block_delta` with `text_delta`,
 *   `input_json_delta`, `thinking_delta` and `signature_delta`, `content_block_stop`, `message_delta`,
 *   `message_stop`).
 * - `POST /v1/messages/count_tokens`: `{ input_tokens }`.
 * - `POST /v1/complete` (legacy Text Completions): a Completion as JSON, or `completion` SSE events.
 * - `GET /v1/models`, `GET /v1/models/:id`.
 * - `GET /__mock/requests?capture=ID`: the requests sent with the header `x-mock-capture: ID`, as
 *   `{ method, path, headers, body }[]`, so a test in any runtime can check what the SDK sent.
 *
 * Scenario: the header `x-mock-scenario`, else the request's model when it is `mock-<scenario>`, else `text`.
 * - `text`, `tools` (parallel tool use), `thinking` (with a signature), `redacted-thinking`, `cache`
 *   (cache read and creation tokens), `web-search` (server tool use and its results), `refusal`,
 *   `max-tokens`: the Message in `test/fixtures/anthropic/<scenario>.json`, streamed as deltas.
 *   Images and documents are request content: any scenario accepts them (read them back with the capture).
 * - `agent`: a call to the request's first tool until the conversation holds a tool result, then `text`
 *   (for the SDK's tool runner).
 * - `overloaded`: 529 with Anthropic's `overloaded_error` body. `invalid`: 400 `invalid_request_error`.
 * - `error-echo`: 400 `invalid_request_error` whose message quotes the request's messages and its API key.
 * - `stream-error`: a stream that sends a few text deltas, then an `error` event (overloaded).
 * - `stream-drop`: a stream whose socket is destroyed after a few text deltas.
 * - `slow`: a stream of one text delta every 40 ms for 10 s, for tests that abandon or abort it.
 *
 * The response's model is the request's model with `-20260101` appended, so request and response models differ.
 * A streamed `message_delta` carries the running usage totals (input and cache counts included), as the API does.
 * Every answer carries `request-id: req_mock_<n>`.
 */
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  capturing,
  EARLY_ENDS,
  echoedRequestError,
  endStreamEarly,
  type Json,
  type MockServer,
  openEventStream,
  pieces,
  scenarioOf,
  sendJson,
  sseFrame,
  startJsonServer,
  throughAiGateway,
  writeFramesPaced,
} from "./mock-http";

interface Block extends Json {
  type: string;
}
export interface FixtureMessage {
  content: Block[];
  stop_reason: string;
  stop_sequence: string | null;
  usage: Json & { output_tokens: number };
}
interface SseEvent {
  event: string;
  data: Json;
}

const MESSAGE_SCENARIOS = new Set([
  "text",
  "tools",
  "thinking",
  "redacted-thinking",
  "cache",
  "web-search",
  "refusal",
  "max-tokens",
]);
const OVERLOADED = { type: "overloaded_error", message: "Overloaded" };
const ERRORS: Record<string, [status: number, type: string, message: string]> = {
  overloaded: [529, OVERLOADED.type, OVERLOADED.message],
  invalid: [400, "invalid_request_error", "max_tokens: Field required"],
};
const SLOW_INTERVAL_MS = 40;
const SLOW_DELTAS = 250;

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/anthropic/${name}.json`, import.meta.url), "utf8")) as T;
}

function apiError(type: string, message: string, sequence: number): Json {
  return { type: "error", error: { type, message }, request_id: `req_mock_${sequence}` };
}

export async function startMockAnthropic(): Promise<MockServer> {
  return startJsonServer(
    capturing(
      throughAiGateway((req, res, body, sequence) => {
        res.setHeader("request-id", `req_mock_${sequence}`);
        route(req, res, body, sequence);
      }),
    ),
    (error) => apiError("api_error", String(error), 0),
  );
}

function route(req: IncomingMessage, res: ServerResponse, body: Json, sequence: number): void {
  const url = new URL(req.url ?? "/", "http://mock");
  const path = url.pathname;
  const answer = staticAnswer(req.method, path, body);
  if (answer !== undefined) {
    sendJson(res, 200, answer);
    return;
  }
  const scenario = scenarioOf(req, body, "text");
  const error = ERRORS[scenario];
  if (error) {
    sendJson(res, error[0], apiError(error[1], error[2], sequence));
  } else if (scenario === "error-echo") {
    sendJson(res, 400, apiError("invalid_request_error", echoedRequestError(req, body), sequence));
  } else if (req.method === "POST" && path === "/v1/messages") {
    messages(res, body, scenario, sequence);
  } else if (req.method === "POST" && path === "/v1/complete") {
    complete(res, body, sequence);
  } else {
    sendJson(res, 404, apiError("not_found_error", `No route for ${req.method} ${path}`, sequence));
  }
}

/** Answers that depend on no scenario: models, token counts. */
function staticAnswer(method: string | undefined, path: string, body: Json): unknown {
  if (method === "GET" && path === "/v1/models") return modelList();
  if (method === "GET" && path.startsWith("/v1/models/")) {
    return modelInfo(decodeURIComponent(path.slice("/v1/models/".length)));
  }
  if (method === "POST" && path === "/v1/messages/count_tokens") {
    return { input_tokens: Math.ceil(JSON.stringify(body).length / 4) };
  }
  return undefined;
}

function messages(res: ServerResponse, body: Json, scenario: string, sequence: number): void {
  const model = `${String(body.model ?? "claude-mock")}-20260101`;
  const id = `msg_mock_${sequence}`;
  if (scenario === "stream-error" || scenario === "stream-drop" || scenario === "slow" || EARLY_ENDS.has(scenario)) {
    streamFailure(res, scenario, id, model);
  } else if (scenario === "agent") {
    answer(res, body, id, model, agentMessage(body));
  } else if (!MESSAGE_SCENARIOS.has(scenario)) {
    sendJson(res, 400, apiError("invalid_request_error", `unknown mock scenario ${scenario}`, sequence));
  } else {
    answer(res, body, id, model, fixture<FixtureMessage>(scenario));
  }
}

function answer(res: ServerResponse, body: Json, id: string, model: string, message: FixtureMessage): void {
  if (body.stream === true) sendEvents(res, messageEvents(id, model, message));
  else sendJson(res, 200, { id, type: "message", role: "assistant", model, ...message });
}

function agentMessage(body: Json): FixtureMessage {
  const blocks = (Array.isArray(body.messages) ? body.messages : []).flatMap((message: Json) =>
    Array.isArray(message.content) ? (message.content as Block[]) : [],
  );
  if (blocks.some((block) => block.type === "tool_result")) return fixture<FixtureMessage>("text");
  const [tool] = (Array.isArray(body.tools) ? body.tools : []) as Json[];
  return {
    content: [
      { type: "tool_use", id: "toolu_agent_1", name: String(tool?.name ?? "tool"), input: { location: "Paris" } },
    ],
    stop_reason: "tool_use",
    stop_sequence: null,
    usage: { input_tokens: 30, output_tokens: 12 },
  };
}

/** The SSE events the API sends for `message`: each block opened, streamed as deltas and closed. */
export function messageEvents(id: string, model: string, message: FixtureMessage): SseEvent[] {
  const { output_tokens, ...inputUsage } = message.usage;
  const events: SseEvent[] = [messageStart(id, model, { ...inputUsage, output_tokens: 1 })];
  message.content.forEach((block, index) => {
    events.push({
      event: "content_block_start",
      data: { type: "content_block_start", index, content_block: emptied(block) },
    });
    if (index === 0) events.push({ event: "ping", data: { type: "ping" } });
    for (const delta of deltasOf(block)) {
      events.push({ event: "content_block_delta", data: { type: "content_block_delta", index, delta } });
    }
    events.push({ event: "content_block_stop", data: { type: "content_block_stop", index } });
  });
  const { cache_creation: _creation, ...totals } = message.usage;
  events.push(messageDelta(message.stop_reason, message.stop_sequence, { ...totals, output_tokens }));
  events.push({ event: "message_stop", data: { type: "message_stop" } });
  return events;
}

function messageStart(id: string, model: string, usage: Json): SseEvent {
  const message = {
    id,
    type: "message",
    role: "assistant",
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage,
  };
  return { event: "message_start", data: { type: "message_start", message } };
}

function messageDelta(stopReason: string, stopSequence: string | null, usage: Json): SseEvent {
  return {
    event: "message_delta",
    data: { type: "message_delta", delta: { stop_reason: stopReason, stop_sequence: stopSequence }, usage },
  };
}

/** A block as `content_block_start` announces it: its streamed fields empty. */
function emptied(block: Block): Block {
  switch (block.type) {
    case "text":
      return { ...block, text: "" };
    case "thinking":
      return { ...block, thinking: "", signature: "" };
    case "tool_use":
    case "server_tool_use":
      return { ...block, input: {} };
    default:
      return block;
  }
}

function deltasOf(block: Block): Json[] {
  switch (block.type) {
    case "text":
      return pieces(String(block.text), 8).map((text) => ({ type: "text_delta", text }));
    case "thinking":
      return [
        ...pieces(String(block.thinking), 16).map((thinking) => ({ type: "thinking_delta", thinking })),
        { type: "signature_delta", signature: block.signature },
      ];
    case "tool_use":
    case "server_tool_use":
      // The API opens every tool input with an empty fragment, then sends the JSON in arbitrary cuts.
      return ["", ...pieces(JSON.stringify(block.input), 7)].map((partial_json) => ({
        type: "input_json_delta",
        partial_json,
      }));
    default:
      return [];
  }
}

function textDelta(text: string): SseEvent {
  return {
    event: "content_block_delta",
    data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } },
  };
}

function streamFailure(res: ServerResponse, scenario: string, id: string, model: string): void {
  const opening: SseEvent[] = [
    messageStart(id, model, { input_tokens: 11, output_tokens: 1 }),
    {
      event: "content_block_start",
      data: { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    },
    textDelta("Partial "),
    textDelta("answer "),
  ];
  if (scenario === "stream-error") {
    sendEvents(res, [...opening, { event: "error", data: { type: "error", error: OVERLOADED } }]);
    return;
  }
  openEventStream(res);
  if (EARLY_ENDS.has(scenario)) {
    endStreamEarly(res, scenario, opening.map(frame));
    return;
  }
  if (scenario === "stream-drop") {
    writeFramesPaced(res, opening.map(frame), 5, { dropAfter: opening.length });
    return;
  }
  const ticks = Array.from({ length: SLOW_DELTAS }, (_, n) => textDelta(`tick${n + 1} `));
  const closing: SseEvent[] = [
    { event: "content_block_stop", data: { type: "content_block_stop", index: 0 } },
    messageDelta("end_turn", null, { output_tokens: SLOW_DELTAS }),
    { event: "message_stop", data: { type: "message_stop" } },
  ];
  writeFramesPaced(res, [...opening, ...ticks, ...closing].map(frame), SLOW_INTERVAL_MS);
}

function complete(res: ServerResponse, body: Json, sequence: number): void {
  const completion: Json = {
    id: `compl_mock_${sequence}`,
    model: String(body.model ?? "claude-2.1"),
    ...fixture<Json>("completion"),
  };
  if (body.stream !== true) {
    sendJson(res, 200, completion);
    return;
  }
  const events: SseEvent[] = pieces(String(completion.completion), 6).map((piece) => ({
    event: "completion",
    data: { ...completion, completion: piece, stop_reason: null, stop: null },
  }));
  events.push({ event: "completion", data: { ...completion, completion: "" } });
  sendEvents(res, events);
}

function modelList(): Json {
  const data = ["claude-opus-5-5", "claude-sonnet-5-5"].map(modelInfo);
  return { data, has_more: false, first_id: data[0]?.id, last_id: data.at(-1)?.id };
}

function modelInfo(id: string): Json {
  return { type: "model", id, display_name: id, created_at: "2026-01-01T00:00:00Z" };
}

function frame({ event, data }: SseEvent): string {
  return sseFrame(data, event);
}

function sendEvents(res: ServerResponse, events: SseEvent[]): void {
  openEventStream(res);
  res.end(events.map(frame).join(""));
}
