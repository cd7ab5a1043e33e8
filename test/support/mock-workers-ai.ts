/**
 * A mock of the service behind the Workers AI binding, on 127.0.0.1. Miniflare's AI binding (workerd's own `Ai`
 * class, `cloudflare-internal:ai-api`) is pointed at it as its remote proxy (vitest.config.ts): each request the
 * binding makes arrives as `POST /` with the URL it asked for in `MF-URL`, its headers as `MF-Header-<name>`, and
 * its body unchanged (miniflare's remote-proxy-client worker).
 *
 * What the binding asks, and the mock answers (the wire format of Workers AI):
 * - `https://workers-binding.ai/run?version=3` (and `/ai-gateway/run?version=3` with a gateway), body
 *   `{ inputs, options }`, model in `cf-consn-model-id`: the model's answer as JSON with `cf-ai-req-id` (and
 *   `cf-aig-log-id`, `cf-aig-cache-status` through a gateway), or with `inputs.stream` server-sent events
 *   `data: {"response": "..."}` … usage on the last event, then `data: [DONE]`.
 * - `https://workers-binding.ai/ai-gateway/universal/run/{gateway}`: an AI Gateway universal request, answered
 *   with an OpenAI chat completion.
 *
 * Models (the answer follows the model id): `@cf/meta/llama-3.1-8b-instruct` (text, or `tool_calls` when the
 * inputs carry `tools`), `@cf/openai/gpt-oss-20b` (a Responses-format answer), `mock-chat-format` (an OpenAI chat
 * completion, or its chunks), `@cf/baai/bge-*` (`{ shape, data }`),
 * `mock-error` (a 400 with Workers AI's error body), `mock-slow` (a stream that never ends by itself), `mock-drop` (a stream whose connection drops after two events).
 * `GET /__mock/requests?capture=ID`: the requests sent with the header `x-mock-capture: ID` (an `extraHeaders` of
 * the call), each as the binding made it (its URL, headers and body); `GET /__mock/closed?capture=ID`: whether the
 * client closed that `mock-slow` stream.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { capturing, type Json, type MockServer, pieces, sendJson, sseFrame, startJsonServer } from "./mock-http";

export const WORKERS_AI_TEXT = "Hello! How can I help you today?";
export const WORKERS_AI_USAGE = { prompt_tokens: 21, completion_tokens: 9, total_tokens: 30 };
export const WORKERS_AI_REQUEST_ID = "req-0123";
export const AI_GATEWAY_LOG_ID = "log-4567";
const SLOW_INTERVAL_MS = 40;

export async function startMockWorkersAi(): Promise<MockServer> {
  return startJsonServer(unwrapEnvelope(capturing(route)), (error) => ({ errors: [{ message: String(error) }] }));
}

/** The binding's own request out of miniflare's envelope: its URL and headers put back, for capture and routing. */
function unwrapEnvelope(
  handle: (req: IncomingMessage, res: ServerResponse, body: Json) => void,
): (req: IncomingMessage, res: ServerResponse, body: Json) => void {
  return (req, res, body) => {
    const target = req.headers["mf-url"];
    if (typeof target === "string") {
      const url = new URL(target);
      req.url = `${url.pathname}${url.search}`;
      for (const [name, value] of Object.entries(req.headers)) {
        if (name.startsWith("mf-header-")) req.headers[name.slice("mf-header-".length)] = value;
      }
    }
    handle(req, res, body);
  };
}

/** Capture ids of the `mock-slow` streams whose connection the client closed. */
const closedStreams = new Set<string>();

function route(req: IncomingMessage, res: ServerResponse, body: Json): void {
  const path = new URL(req.url ?? "/", "http://mock").pathname;
  if (path === "/__mock/closed") {
    const id = new URL(req.url ?? "/", "http://mock").searchParams.get("capture") ?? "";
    sendJson(res, 200, { closed: closedStreams.has(id) });
    return;
  }
  if (path.startsWith("/ai-gateway/universal/run/")) {
    universalRun(res, body);
    return;
  }
  const model = String(req.headers["cf-consn-model-id"] ?? "");
  const inputs = (body.inputs ?? {}) as Json;
  const headers: Record<string, string> = { "cf-ai-req-id": WORKERS_AI_REQUEST_ID };
  if (path === "/ai-gateway/run") {
    headers["cf-aig-log-id"] = AI_GATEWAY_LOG_ID;
    headers["cf-aig-cache-status"] = (body.options as { gateway?: { skipCache?: boolean } }).gateway?.skipCache
      ? "BYPASS"
      : "HIT";
  }
  if (model === "mock-error") {
    res.writeHead(400, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify({ errors: [{ code: 5006, message: "Error: required properties at '/' are 'prompt'" }] }));
    return;
  }
  if (inputs.stream === true) {
    streamAnswer(req, res, model, headers);
    return;
  }
  res.writeHead(200, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(answerOf(model, inputs)));
}

function answerOf(model: string, inputs: Json): Json {
  if (model.startsWith("@cf/baai/bge-")) {
    const texts = Array.isArray(inputs.text) ? inputs.text : [inputs.text];
    return { shape: [texts.length, 3], data: texts.map(() => [0.1, 0.2, 0.3]), pooling: "mean" };
  }
  if (model.startsWith("@cf/openai/gpt-oss")) return responsesAnswer(model);
  if (model === "mock-chat-format") return chatCompletion(model);
  if (Array.isArray(inputs.tools)) {
    return {
      response: null,
      tool_calls: [{ name: "get_weather", arguments: { city: "Paris" } }],
      usage: WORKERS_AI_USAGE,
    };
  }
  return { response: WORKERS_AI_TEXT, tool_calls: [], usage: WORKERS_AI_USAGE };
}

/** An OpenAI chat completion, as the models that answer in OpenAI's format give it. */
function chatCompletion(model: string): Json {
  return {
    id: "chatcmpl-wai",
    object: "chat.completion",
    model,
    choices: [{ index: 0, message: { role: "assistant", content: WORKERS_AI_TEXT }, finish_reason: "length" }],
    usage: WORKERS_AI_USAGE,
  };
}

function responsesAnswer(model: string): Json {
  return {
    id: "resp_0123",
    object: "response",
    model,
    status: "completed",
    output: [
      { type: "reasoning", id: "rs_1", content: [{ type: "reasoning_text", text: "A greeting." }] },
      {
        type: "message",
        id: "msg_1",
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text: WORKERS_AI_TEXT, annotations: [] }],
      },
    ],
    usage: { input_tokens: 21, output_tokens: 9, total_tokens: 30 },
  };
}

/** Text in pieces, then an event with usage (and an empty response), then `[DONE]`; `mock-slow` never ends. */
function streamAnswer(req: IncomingMessage, res: ServerResponse, model: string, headers: Record<string, string>): void {
  res.writeHead(200, { "content-type": "text/event-stream", ...headers });
  if (model === "mock-slow") {
    const timer = setInterval(() => res.write(sseFrame({ response: "." })), SLOW_INTERVAL_MS);
    res.on("close", () => {
      clearInterval(timer);
      const id = req.headers["x-mock-capture"];
      if (typeof id === "string") closedStreams.add(id);
    });
    return;
  }
  if (model === "mock-drop") {
    res.write(sseFrame({ response: "Hel" }));
    res.write(sseFrame({ response: "lo" }), () => res.socket?.destroy());
    return;
  }
  if (model === "mock-chat-format") {
    for (const piece of pieces(WORKERS_AI_TEXT, 5)) {
      res.write(sseFrame({ id: "chatcmpl-wai", model, choices: [{ index: 0, delta: { content: piece } }] }));
    }
    res.write(sseFrame({ id: "chatcmpl-wai", model, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }));
    res.write(sseFrame({ id: "chatcmpl-wai", model, choices: [], usage: WORKERS_AI_USAGE }));
  } else {
    for (const piece of pieces(WORKERS_AI_TEXT, 5)) res.write(sseFrame({ response: piece, p: "abcdef" }));
    res.write(sseFrame({ response: "", usage: WORKERS_AI_USAGE }));
  }
  res.end(sseFrame("[DONE]"));
}

/** A universal request: an array of provider requests (or one); the first one answers, as a chat completion. */
function universalRun(res: ServerResponse, body: unknown): void {
  const first = (Array.isArray(body) ? body[0] : body) as { query?: { model?: string } } | undefined;
  res.writeHead(200, {
    "content-type": "application/json",
    "cf-aig-log-id": AI_GATEWAY_LOG_ID,
    "cf-aig-cache-status": "MISS",
    "cf-aig-step": "0",
  });
  res.end(
    JSON.stringify({
      id: "chatcmpl-1",
      object: "chat.completion",
      model: first?.query?.model,
      choices: [{ index: 0, message: { role: "assistant", content: WORKERS_AI_TEXT }, finish_reason: "stop" }],
      usage: WORKERS_AI_USAGE,
    }),
  );
}
