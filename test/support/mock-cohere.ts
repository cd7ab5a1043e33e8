/**
 * A mock of the Cohere API on 127.0.0.1, speaking its wire format (snake_case JSON, SSE for v2 streams, JSON
 * lines for v1 streams) so the real `cohere-ai` SDK can talk to it.
 *
 * Routes
 * - `POST /v2/chat`: a v2 chat response, or with `stream: true` its SSE events (`message-start`, `content-start`,
 *   `content-delta`, `content-end`, `tool-plan-delta`, `tool-call-start`, `tool-call-delta`, `tool-call-end`,
 *   `citation-start`, `citation-end`, `message-end` with the finish reason and usage).
 * - `POST /v1/chat`: a v1 chat response, or JSON lines (`stream-start`, `text-generation`, `tool-calls-chunk`,
 *   `tool-calls-generation`, `stream-end` with the whole response).
 * - `POST /v2/embed`, `POST /v1/embed`: embeddings by type (v2) or floats (v1), with billed input tokens.
 * - `GET /__mock/requests?capture=ID`: the requests sent with the header `x-mock-capture: ID`.
 *
 * Scenario: the header `x-mock-scenario`, else the request's model when it is `mock-<scenario>`, else `text`.
 * - `text` (with citations, which tracing ignores), `tools` (a tool plan and two tool calls), `thinking`,
 *   `max-tokens`: the answers in `COHERE_ANSWERS` (v1 knows `text` and `tools`).
 * - `error-400`, `error-429`, `error-500`: that status with Cohere's `{ id, message }` body.
 * - `stream-drop`: a stream whose socket is destroyed after a few deltas. `slow`: a delta every 40 ms for 10 s.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  capturing,
  EARLY_ENDS,
  endStreamEarly,
  type Json,
  type MockServer,
  openEventStream,
  pieces,
  scenarioOf,
  sendJson,
  sseFrame,
  startJsonServer,
  writeFramesPaced,
} from "./mock-http";

export const COHERE_TEXT = "Hello! How can I help you today?";
const USAGE = { billed_units: { input_tokens: 5, output_tokens: 9 }, tokens: { input_tokens: 71, output_tokens: 9 } };

interface V2Answer {
  content: Json[];
  tool_plan?: string;
  tool_calls?: Json[];
  citations?: Json[];
  finish_reason: string;
  usage: Json;
}

const weatherCall = (id: string, city: string) => ({
  id,
  type: "function",
  function: { name: "get_weather", arguments: JSON.stringify({ city }) },
});

const V2_ANSWERS: Record<string, V2Answer> = {
  text: {
    content: [{ type: "text", text: COHERE_TEXT }],
    citations: [
      { start: 0, end: 6, text: "Hello!", sources: [{ type: "document", id: "doc_0", document: { id: "doc_0" } }] },
    ],
    finish_reason: "COMPLETE",
    usage: { ...USAGE, cached_tokens: 64 },
  },
  tools: {
    content: [],
    tool_plan: "I will look up the weather in Paris and London.",
    tool_calls: [weatherCall("get_weather_1", "Paris"), weatherCall("get_weather_2", "London")],
    finish_reason: "TOOL_CALL",
    usage: { billed_units: { input_tokens: 40, output_tokens: 31 }, tokens: { input_tokens: 512, output_tokens: 31 } },
  },
  thinking: {
    content: [
      { type: "thinking", thinking: "The user says hi. A short greeting back is best." },
      { type: "text", text: COHERE_TEXT },
    ],
    finish_reason: "COMPLETE",
    usage: { billed_units: { input_tokens: 5, output_tokens: 30 }, tokens: { input_tokens: 71, output_tokens: 30 } },
  },
  "max-tokens": {
    content: [{ type: "text", text: "Hello! How" }],
    finish_reason: "MAX_TOKENS",
    usage: { billed_units: { input_tokens: 5, output_tokens: 3 }, tokens: { input_tokens: 71, output_tokens: 3 } },
  },
};

const V1_ANSWERS: Record<string, Json> = {
  text: { text: COHERE_TEXT, finish_reason: "COMPLETE" },
  tools: {
    text: "I will look up the weather in Paris.",
    finish_reason: "COMPLETE",
    tool_calls: [{ name: "get_weather", parameters: { city: "Paris" } }],
  },
};

const ERRORS: Record<string, [status: number, message: string]> = {
  "error-400": [400, "invalid request: message must be at least 1 token long"],
  "error-429": [429, "You are using a Trial key, which is limited to 10 API calls / minute."],
  "error-500": [500, "internal server error, this has been reported to our developers"],
};
const SLOW_INTERVAL_MS = 40;
const SLOW_DELTAS = 250;

export async function startMockCohere(): Promise<MockServer> {
  return startJsonServer(
    capturing((req, res, body, sequence) => {
      res.setHeader("x-request-id", `req_mock_${sequence}`);
      route(req, res, body, sequence);
    }),
    (error) => ({ message: String(error) }),
  );
}

function route(req: IncomingMessage, res: ServerResponse, body: Json, sequence: number): void {
  const url = new URL(req.url ?? "/", "http://mock");
  const scenario = scenarioOf(req, body, "text");
  const error = ERRORS[scenario];
  const id = `mock-${sequence}`;
  if (error) sendJson(res, error[0], { id, message: error[1] });
  else if (req.method === "POST" && url.pathname === "/v2/chat") v2Chat(res, body, scenario, id);
  else if (req.method === "POST" && url.pathname === "/v1/chat") v1Chat(res, body, scenario, id);
  else if (req.method === "POST" && url.pathname.endsWith("/embed")) embed(res, body, id, url.pathname === "/v2/embed");
  else sendJson(res, 404, { id, message: `No route ${req.method} ${url.pathname}` });
}

function v2Chat(res: ServerResponse, body: Json, scenario: string, id: string): void {
  if (scenario === "stream-drop" || scenario === "slow" || EARLY_ENDS.has(scenario)) {
    v2StreamFailure(res, scenario, id);
    return;
  }
  const answer = V2_ANSWERS[scenario];
  if (!answer) {
    sendJson(res, 400, { id, message: `unknown mock scenario ${scenario}` });
    return;
  }
  if (body.stream !== true) {
    const { content, tool_plan, tool_calls, citations, finish_reason, usage } = answer;
    const message = { role: "assistant", content, tool_plan, tool_calls, citations };
    sendJson(res, 200, { id, finish_reason, message, usage });
    return;
  }
  openEventStream(res);
  res.end(v2Events(id, answer).map(v2Frame).join(""));
}

/** The SSE events the API streams for `answer`: each block and tool call opened, streamed in pieces, closed. */
function v2Events(id: string, answer: V2Answer): Json[] {
  const start = { role: "assistant", content: [], tool_plan: "", tool_calls: [], citations: [] };
  const events: Json[] = [{ id, type: "message-start", delta: { message: start } }];
  answer.content.forEach((block, index) => {
    const key = block.type === "thinking" ? "thinking" : "text";
    events.push({ type: "content-start", index, delta: { message: { content: { type: block.type, [key]: "" } } } });
    for (const piece of pieces(String(block[key]), 8)) {
      events.push({ type: "content-delta", index, delta: { message: { content: { [key]: piece } } } });
    }
    events.push({ type: "content-end", index });
  });
  (answer.citations ?? []).forEach((citation, index) => {
    events.push({ type: "citation-start", index, delta: { message: { citations: citation } } });
    events.push({ type: "citation-end", index });
  });
  for (const piece of pieces(answer.tool_plan ?? "", 10)) {
    events.push({ type: "tool-plan-delta", delta: { message: { tool_plan: piece } } });
  }
  (answer.tool_calls ?? []).forEach((call, index) => {
    const fn = call.function as Json;
    const opened = { ...call, function: { name: fn.name, arguments: "" } };
    events.push({ type: "tool-call-start", index, delta: { message: { tool_calls: opened } } });
    for (const piece of pieces(String(fn.arguments), 5)) {
      events.push({
        type: "tool-call-delta",
        index,
        delta: { message: { tool_calls: { function: { arguments: piece } } } },
      });
    }
    events.push({ type: "tool-call-end", index });
  });
  events.push({ type: "message-end", delta: { finish_reason: answer.finish_reason, usage: answer.usage } });
  return events;
}

function v2Frame(event: Json): string {
  return sseFrame(event, String(event.type));
}

function textDelta(text: string): Json {
  return { type: "content-delta", index: 0, delta: { message: { content: { text } } } };
}

function v2StreamFailure(res: ServerResponse, scenario: string, id: string): void {
  const opening = [
    { id, type: "message-start", delta: { message: { role: "assistant" } } },
    { type: "content-start", index: 0, delta: { message: { content: { type: "text", text: "" } } } },
    textDelta("Partial "),
    textDelta("answer "),
  ];
  openEventStream(res);
  if (EARLY_ENDS.has(scenario)) {
    endStreamEarly(res, scenario, opening.map(v2Frame));
    return;
  }
  if (scenario === "stream-drop") {
    writeFramesPaced(res, opening.map(v2Frame), 5, { dropAfter: opening.length });
    return;
  }
  const ticks = Array.from({ length: SLOW_DELTAS }, (_, n) => textDelta(`tick${n + 1} `));
  const closing = [
    { type: "content-end", index: 0 },
    { type: "message-end", delta: { finish_reason: "COMPLETE" } },
  ];
  writeFramesPaced(res, [...opening, ...ticks, ...closing].map(v2Frame), SLOW_INTERVAL_MS);
}

function v1Chat(res: ServerResponse, body: Json, scenario: string, id: string): void {
  const answer = V1_ANSWERS[scenario];
  if (!answer) {
    sendJson(res, 400, { id, message: `unknown mock scenario ${scenario}` });
    return;
  }
  const response = {
    response_id: id,
    generation_id: `gen-${id}`,
    ...answer,
    meta: { api_version: { version: "1" }, billed_units: { input_tokens: 12, output_tokens: 9 } },
  };
  if (body.stream !== true) {
    sendJson(res, 200, response);
    return;
  }
  const events: Json[] = [{ is_finished: false, event_type: "stream-start", generation_id: response.generation_id }];
  for (const text of pieces(String(answer.text), 8)) {
    events.push({ is_finished: false, event_type: "text-generation", text });
  }
  if (answer.tool_calls) {
    events.push({ is_finished: false, event_type: "tool-calls-generation", tool_calls: answer.tool_calls });
  }
  events.push({ is_finished: true, event_type: "stream-end", finish_reason: answer.finish_reason, response });
  res.writeHead(200, { "content-type": "application/stream+json" });
  res.end(events.map((event) => `${JSON.stringify(event)}\n`).join(""));
}

function embed(res: ServerResponse, body: Json, id: string, v2: boolean): void {
  const texts = Array.isArray(body.texts) ? body.texts.map(String) : [];
  const vectors = texts.map((_, n) => [0.1 * (n + 1), -0.2, 0.3]);
  const meta = { api_version: { version: v2 ? "2" : "1" }, billed_units: { input_tokens: 3 * texts.length } };
  sendJson(
    res,
    200,
    v2
      ? { id, response_type: "embeddings_by_type", embeddings: { float: vectors }, texts, meta }
      : { id, response_type: "embeddings_floats", embeddings: vectors, texts, meta },
  );
}
