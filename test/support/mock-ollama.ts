/**
 * A mock of the Ollama API on 127.0.0.1, speaking its wire format (JSON; NDJSON lines for streams, each a partial
 * answer, the last one `done` with the reason and the token counts) so the real `ollama` SDK can talk to it.
 *
 * Routes
 * - `POST /api/chat`, `POST /api/generate`: the answer, or with `stream: true` its NDJSON chunks (thinking and
 *   text in pieces, tool calls whole, then the `done` chunk).
 * - `POST /api/embed` (`embeddings` and `prompt_eval_count`), `POST /api/embeddings` (one `embedding`, no counts).
 * - `GET /api/tags`, for pass-through tests. `GET /__mock/requests?capture=ID`: the captured requests.
 *
 * Scenario: the header `x-mock-scenario`, else the request's model when it is `mock-<scenario>`, else `text`.
 * - `text`, `tools` (two tool calls), `thinking`, `length`: the answers in `ANSWERS`.
 * - `error-404` (a model that was never pulled), `error-500`: that status with Ollama's `{ error }` body.
 * - `stream-error`: a few chunks, then an `{ error }` line. `stream-drop`: a few chunks, then the socket is
 *   destroyed. `slow`: a chunk every 40 ms for 10 s.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  capturing,
  EARLY_ENDS,
  endStreamEarly,
  type Json,
  type MockServer,
  pieces,
  scenarioOf,
  sendJson,
  startJsonServer,
  writeFramesPaced,
} from "./mock-http";

export const OLLAMA_TEXT = "Hello! How can I help you today?";
const CREATED_AT = "2026-01-01T00:00:00.000000Z";

interface Answer {
  content: string;
  thinking?: string;
  tool_calls?: Json[];
  done_reason: string;
  prompt_eval_count: number;
  eval_count: number;
}

const weatherCall = (city: string) => ({ function: { name: "get_weather", arguments: { city } } });

const ANSWERS: Record<string, Answer> = {
  text: { content: OLLAMA_TEXT, done_reason: "stop", prompt_eval_count: 26, eval_count: 10 },
  tools: {
    content: "",
    tool_calls: [weatherCall("Paris"), weatherCall("London")],
    done_reason: "stop",
    prompt_eval_count: 151,
    eval_count: 42,
  },
  thinking: {
    thinking: "The user greets me. I greet back.",
    content: OLLAMA_TEXT,
    done_reason: "stop",
    prompt_eval_count: 26,
    eval_count: 31,
  },
  length: { content: "Hello! How", done_reason: "length", prompt_eval_count: 26, eval_count: 3 },
};

const ERRORS: Record<string, [status: number, error: string]> = {
  "error-404": [404, 'model "mock-error-404" not found, try pulling it first'],
  "error-500": [500, "llama runner process has terminated: exit status 2"],
};
const SLOW_INTERVAL_MS = 40;
const SLOW_CHUNKS = 250;
const DURATIONS = {
  total_duration: 512000000,
  load_duration: 21000000,
  prompt_eval_duration: 90000000,
  eval_duration: 380000000,
};

type Kind = "chat" | "generate";

export async function startMockOllama(): Promise<MockServer> {
  return startJsonServer(capturing(route), (error) => ({ error: String(error) }));
}

function route(req: IncomingMessage, res: ServerResponse, body: Json): void {
  const url = new URL(req.url ?? "/", "http://mock");
  if (req.method === "GET" && url.pathname === "/api/tags") {
    sendJson(res, 200, { models: [{ name: "llama3.2:latest", model: "llama3.2:latest", size: 2019393189 }] });
    return;
  }
  const scenario = scenarioOf(req, body, "text");
  const error = ERRORS[scenario];
  const model = String(body.model ?? "llama3.2");
  if (error) sendJson(res, error[0], { error: error[1] });
  else if (req.method === "POST" && url.pathname === "/api/chat") answer(res, body, "chat", scenario, model);
  else if (req.method === "POST" && url.pathname === "/api/generate") answer(res, body, "generate", scenario, model);
  else if (req.method === "POST" && url.pathname === "/api/embed") embed(res, body, model);
  else if (req.method === "POST" && url.pathname === "/api/embeddings")
    sendJson(res, 200, { embedding: [0.1, -0.2, 0.3] });
  else sendJson(res, 404, { error: `404 page not found: ${req.method} ${url.pathname}` });
}

/** One chunk (or the whole answer) of a chat (`message`) or a generate call (`response`, `thinking`). */
function chunk(
  kind: Kind,
  model: string,
  piece: { content?: string; thinking?: string; tool_calls?: Json[] },
  done = false,
): Json {
  const content = piece.content ?? "";
  const head = { model, created_at: CREATED_AT };
  if (kind === "chat") {
    const message = {
      role: "assistant",
      content,
      ...(piece.thinking ? { thinking: piece.thinking } : {}),
      ...(piece.tool_calls ? { tool_calls: piece.tool_calls } : {}),
    };
    return { ...head, message, done };
  }
  return { ...head, response: content, ...(piece.thinking ? { thinking: piece.thinking } : {}), done };
}

function finalChunk(kind: Kind, model: string, answer: Answer, whole: boolean): Json {
  const last = chunk(kind, model, whole ? answer : {}, true);
  const { done_reason, prompt_eval_count, eval_count } = answer;
  return {
    ...last,
    done_reason,
    ...(kind === "generate" ? { context: [1, 2, 3] } : {}),
    ...DURATIONS,
    prompt_eval_count,
    eval_count,
  };
}

function answer(res: ServerResponse, body: Json, kind: Kind, scenario: string, model: string): void {
  if (scenario === "stream-error" || scenario === "stream-drop" || scenario === "slow" || EARLY_ENDS.has(scenario)) {
    streamFailure(res, kind, scenario, model);
    return;
  }
  const found = ANSWERS[scenario];
  if (!found) {
    sendJson(res, 400, { error: `unknown mock scenario ${scenario}` });
    return;
  }
  // The API streams unless told not to.
  if (body.stream === false) {
    sendJson(res, 200, finalChunk(kind, model, found, true));
    return;
  }
  const lines = [
    ...pieces(found.thinking ?? "", 12).map((thinking) => chunk(kind, model, { thinking })),
    ...pieces(found.content, 8).map((content) => chunk(kind, model, { content })),
    ...(found.tool_calls ? [chunk(kind, model, { tool_calls: found.tool_calls })] : []),
    finalChunk(kind, model, found, false),
  ];
  openNdjson(res);
  res.end(lines.map(ndjson).join(""));
}

function streamFailure(res: ServerResponse, kind: Kind, scenario: string, model: string): void {
  const opening = ["Partial ", "answer "].map((content) => ndjson(chunk(kind, model, { content })));
  openNdjson(res);
  if (scenario === "stream-error") {
    res.end(
      [...opening, ndjson({ error: "an error was encountered while running the model: unexpected EOF" })].join(""),
    );
    return;
  }
  if (EARLY_ENDS.has(scenario)) {
    endStreamEarly(res, scenario, opening);
    return;
  }
  if (scenario === "stream-drop") {
    writeFramesPaced(res, opening, 5, { dropAfter: opening.length });
    return;
  }
  const ticks = Array.from({ length: SLOW_CHUNKS }, (_, n) => ndjson(chunk(kind, model, { content: `tick${n + 1} ` })));
  const done = ndjson({
    ...chunk(kind, model, {}, true),
    done_reason: "stop",
    prompt_eval_count: 11,
    eval_count: SLOW_CHUNKS,
  });
  writeFramesPaced(res, [...opening, ...ticks, done], SLOW_INTERVAL_MS);
}

function embed(res: ServerResponse, body: Json, model: string): void {
  const inputs = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? "")];
  const embeddings = inputs.map((_, n) => [0.1 * (n + 1), -0.2, 0.3]);
  sendJson(res, 200, {
    model,
    embeddings,
    total_duration: 14000000,
    load_duration: 1000000,
    prompt_eval_count: 5 * inputs.length,
  });
}

function openNdjson(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "application/x-ndjson" });
}

function ndjson(value: Json): string {
  return `${JSON.stringify(value)}\n`;
}
