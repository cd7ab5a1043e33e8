/**
 * A mock of the Mistral API on 127.0.0.1, speaking its wire format (snake_case JSON; SSE `data:` chunks ending
 * with `data: [DONE]`) so the real `@mistralai/mistralai` SDK can talk to it.
 *
 * Routes
 * - `POST /v1/chat/completions`, `POST /v1/fim/completions`: a chat completion, or with `stream: true` its chunks
 *   (the first with the role, text in pieces, tool calls whole with their index, the last with the finish reason
 *   and the usage).
 * - `POST /v1/embeddings`: one vector per input, with usage.
 * - `GET /v1/models`, for pass-through tests. `GET /__mock/requests?capture=ID`: the captured requests.
 *
 * Scenario: the header `x-mock-scenario`, else the request's model when it is `mock-<scenario>`, else `text`.
 * - `text`, `tools` (two parallel tool calls), `tools-no-id` (a tool call without an id, as some Mistral models
 *   send), `thinking` (a thinking chunk, then text), `length`, `json`: the answers in `ANSWERS`. The response's model is the request's with `-2506` appended.
 * - `error-400`, `error-422` (a validation error's `detail`), `error-429`: that status with Mistral's body.
 * - `stream-drop`: a stream whose socket is destroyed after a few chunks. `slow`: a chunk every 40 ms for 10 s.
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

export const MISTRAL_TEXT = "Hello! How can I help you today?";

interface Answer {
  /** A string, or content chunks (thinking, text). */
  content: string | Json[];
  tool_calls?: Json[];
  finish_reason: string;
  usage: { prompt_tokens: number; completion_tokens: number };
}

const weatherCall = (id: string, city: string, index: number) => ({
  id,
  type: "function",
  function: { name: "get_weather", arguments: JSON.stringify({ city }) },
  index,
});

const ANSWERS: Record<string, Answer> = {
  text: { content: MISTRAL_TEXT, finish_reason: "stop", usage: { prompt_tokens: 9, completion_tokens: 10 } },
  tools: {
    content: "",
    tool_calls: [weatherCall("call_paris01", "Paris", 0), weatherCall("call_london2", "London", 1)],
    finish_reason: "tool_calls",
    usage: { prompt_tokens: 92, completion_tokens: 38 },
  },
  "tools-no-id": {
    content: "",
    tool_calls: [{ type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' }, index: 0 }],
    finish_reason: "tool_calls",
    usage: { prompt_tokens: 92, completion_tokens: 19 },
  },
  thinking: {
    content: [
      { type: "thinking", thinking: [{ type: "text", text: "A greeting. Answer in kind, briefly." }] },
      { type: "text", text: MISTRAL_TEXT },
    ],
    finish_reason: "stop",
    usage: { prompt_tokens: 9, completion_tokens: 24 },
  },
  length: { content: "Hello! How", finish_reason: "length", usage: { prompt_tokens: 9, completion_tokens: 3 } },
  json: {
    content: '{"city":"Paris","temperature":21}',
    finish_reason: "stop",
    usage: { prompt_tokens: 30, completion_tokens: 12 },
  },
};

const ERRORS: Record<string, [status: number, body: Json]> = {
  "error-400": [
    400,
    { object: "error", message: "Invalid model: mock-error-400", type: "invalid_model", param: null, code: "1500" },
  ],
  "error-422": [422, { detail: [{ type: "missing", loc: ["body", "messages"], msg: "Field required", input: {} }] }],
  "error-429": [
    429,
    { object: "error", message: "Requests rate limit exceeded", type: "rate_limited", param: null, code: "1300" },
  ],
};
const SLOW_INTERVAL_MS = 40;
const SLOW_CHUNKS = 250;

export async function startMockMistral(): Promise<MockServer> {
  return startJsonServer(capturing(route), (error) => ({
    object: "error",
    message: String(error),
    type: "internal_error",
  }));
}

function route(req: IncomingMessage, res: ServerResponse, body: Json, sequence: number): void {
  const url = new URL(req.url ?? "/", "http://mock");
  if (req.method === "GET" && url.pathname === "/v1/models") {
    sendJson(res, 200, {
      object: "list",
      data: [
        {
          id: "mistral-small-latest",
          object: "model",
          created: 0,
          owned_by: "mistralai",
          capabilities: { completion_chat: true },
          type: "base",
        },
      ],
    });
    return;
  }
  const scenario = scenarioOf(req, body, "text");
  const error = ERRORS[scenario];
  const model = `${String(body.model ?? "mistral-small-latest")}-2506`;
  if (error) sendJson(res, error[0], error[1]);
  else if (req.method === "POST" && url.pathname === "/v1/embeddings") embeddings(res, body, model, sequence);
  else if (req.method === "POST" && /^\/v1\/(chat|fim)\/completions$/.test(url.pathname))
    completion(res, body, scenario, model, `cmpl-mock${sequence}`);
  else sendJson(res, 404, { object: "error", message: `No route ${req.method} ${url.pathname}`, type: "not_found" });
}

function completion(res: ServerResponse, body: Json, scenario: string, model: string, id: string): void {
  if (scenario === "stream-drop" || scenario === "slow" || EARLY_ENDS.has(scenario)) {
    streamFailure(res, scenario, id, model);
    return;
  }
  const answer = ANSWERS[scenario];
  if (!answer) {
    sendJson(res, 400, { object: "error", message: `unknown mock scenario ${scenario}`, type: "invalid_request" });
    return;
  }
  const usage = { ...answer.usage, total_tokens: answer.usage.prompt_tokens + answer.usage.completion_tokens };
  if (body.stream !== true) {
    const message = {
      role: "assistant",
      content: answer.content,
      tool_calls: answer.tool_calls ?? null,
      prefix: false,
    };
    const choices = [{ index: 0, message, finish_reason: answer.finish_reason }];
    sendJson(res, 200, { id, object: "chat.completion", model, created: 1767225600, usage, choices });
    return;
  }
  const chunk = (delta: Json, extra: Json = {}) => ({
    id,
    object: "chat.completion.chunk",
    created: 1767225600,
    model,
    choices: [{ index: 0, delta, finish_reason: null, ...extra }],
  });
  const deltas: Json[] = [{ role: "assistant", content: "" }, ...contentDeltas(answer.content)];
  if (answer.tool_calls) deltas.push({ content: "", tool_calls: answer.tool_calls });
  const frames: Json[] = deltas.map((delta) => chunk(delta));
  frames.push({ ...chunk({ content: "" }, { finish_reason: answer.finish_reason }), usage });
  openEventStream(res);
  res.end([...frames.map((frame) => sseFrame(frame)), sseFrame("[DONE]")].join(""));
}

/** Text in pieces; a thinking chunk in pieces of its own, as magistral models stream it. */
function contentDeltas(content: string | Json[]): Json[] {
  if (typeof content === "string") return pieces(content, 8).map((text) => ({ content: text }));
  return content.flatMap((chunk): Json[] => {
    if (chunk.type === "text") return pieces(String(chunk.text), 8).map((text) => ({ content: text }));
    const thought = (chunk.thinking as Json[]).map((part) => String(part.text)).join("");
    return pieces(thought, 12).map((text) => ({
      content: [{ type: "thinking", thinking: [{ type: "text", text }] }],
    }));
  });
}

function streamFailure(res: ServerResponse, scenario: string, id: string, model: string): void {
  const chunk = (content: string) => ({
    id,
    object: "chat.completion.chunk",
    created: 1767225600,
    model,
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  });
  const opening = [chunk(""), chunk("Partial "), chunk("answer ")].map((frame) => sseFrame(frame));
  openEventStream(res);
  if (EARLY_ENDS.has(scenario)) {
    endStreamEarly(res, scenario, opening);
    return;
  }
  if (scenario === "stream-drop") {
    writeFramesPaced(res, opening, 5, { dropAfter: opening.length });
    return;
  }
  const ticks = Array.from({ length: SLOW_CHUNKS }, (_, n) => sseFrame(chunk(`tick${n + 1} `)));
  writeFramesPaced(res, [...opening, ...ticks, sseFrame("[DONE]")], SLOW_INTERVAL_MS);
}

function embeddings(res: ServerResponse, body: Json, model: string, sequence: number): void {
  const inputs = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? "")];
  const data = inputs.map((_, index) => ({ object: "embedding", embedding: [0.1 * (index + 1), -0.2, 0.3], index }));
  const promptTokens = 4 * inputs.length;
  const usage = { prompt_tokens: promptTokens, completion_tokens: 0, total_tokens: promptTokens };
  sendJson(res, 200, { id: `emb-mock${sequence}`, object: "list", model, usage, data });
}
