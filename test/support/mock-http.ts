/**
 * Plumbing shared by the mock provider servers: a loopback server, JSON and SSE answers, request capture.
 * Node only (started by global-setup.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Json = Record<string, unknown>;

export interface CapturedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface MockServer {
  url: string;
  close(): Promise<void>;
}

/** Answers each request once its JSON body is read; a handler error becomes a 500 with `onError`'s body. */
export async function startJsonServer(
  handle: (req: IncomingMessage, res: ServerResponse, body: Json) => void,
  onError: (error: unknown) => unknown,
): Promise<MockServer> {
  return listenOnLoopback(createServer(jsonListener(handle, onError)));
}

/** `server` listening on a free loopback port: its URL, and a close that drops the connections still open. */
export async function listenOnLoopback(server: Server): Promise<MockServer> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The request listener of `startJsonServer`: the handler called once the JSON body is read. */
export function jsonListener(
  handle: (req: IncomingMessage, res: ServerResponse, body: Json) => void,
  onError: (error: unknown) => unknown,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    readJsonBody(req)
      .then((body) => handle(req, res, body))
      .catch((error: unknown) => sendJson(res, 500, onError(error)));
  };
}

async function readJsonBody(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as Json) : {};
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

export function openEventStream(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
}

/** One SSE frame; `event` is omitted when null (OpenAI's Chat Completions sends bare `data:` lines). */
export function sseFrame(data: unknown, event: string | null = null): string {
  const payload = typeof data === "string" ? data : JSON.stringify(data);
  return `${event === null ? "" : `event: ${event}\n`}data: ${payload}\n\n`;
}

/** Writes `frames` one every `intervalMs`, then ends (or, with `dropAfter`, destroys the socket after that many). */
export function writeFramesPaced(
  res: ServerResponse,
  frames: readonly (string | Uint8Array)[],
  intervalMs: number,
  options: { dropAfter?: number } = {},
): void {
  let sent = 0;
  const timer = setInterval(() => {
    if (options.dropAfter !== undefined && sent >= options.dropAfter) {
      clearInterval(timer);
      res.socket?.destroy();
      return;
    }
    const frame = frames[sent++];
    if (frame === undefined) {
      clearInterval(timer);
      res.end();
      return;
    }
    res.write(frame);
  }, intervalMs);
  res.on("close", () => clearInterval(timer));
}

/** The scenarios that end a stream early, driven by events, never timers (see `endStreamEarly`). */
export const EARLY_ENDS: ReadonlySet<string> = new Set(["stream-cut", "stream-hold"]);

/**
 * Sends `head` (frames before the provider's end marker) on an open stream, then: `stream-cut` ends the body
 * cleanly, without the end marker (a connection the network cut, a body that ended early); `stream-hold` keeps
 * the stream open until the client goes away (the caller's cancel, or the flush's wait running out).
 */
export function endStreamEarly(res: ServerResponse, scenario: string, head: readonly (string | Uint8Array)[]): void {
  for (const frame of head) res.write(frame);
  if (scenario === "stream-cut") res.end();
}

/** Cuts `text` into pieces of `size` characters, as a model streams it. */
export function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let start = 0; start < text.length; start += size) out.push(text.slice(start, start + size));
  return out;
}

/** Requests sent with the header `x-mock-capture: ID`, kept by ID so a test in any runtime can read them back. */
export class RequestCapture {
  private readonly byId = new Map<string, CapturedRequest[]>();

  record(req: IncomingMessage, body: unknown): void {
    const id = req.headers["x-mock-capture"];
    if (typeof id !== "string") return;
    const list = this.byId.get(id) ?? [];
    list.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
    this.byId.set(id, list);
  }

  get(id: string): CapturedRequest[] {
    return this.byId.get(id) ?? [];
  }
}

/** A mock's own routes: the request, its JSON body, and its number in order of arrival (from 1). */
export type MockRoute = (req: IncomingMessage, res: ServerResponse, body: Json, sequence: number) => void;

/**
 * Numbers and records each request, answers `GET /__mock/requests?capture=ID` with the requests recorded under
 * that ID, and hands every other request to `route`.
 */
export function capturing(route: MockRoute): (req: IncomingMessage, res: ServerResponse, body: Json) => void {
  const capture = new RequestCapture();
  let sequence = 0;
  return (req, res, body) => {
    sequence += 1;
    capture.record(req, body);
    const url = new URL(req.url ?? "/", "http://mock");
    if (req.method === "GET" && url.pathname === "/__mock/requests") {
      sendJson(res, 200, capture.get(url.searchParams.get("capture") ?? ""));
      return;
    }
    route(req, res, body, sequence);
  };
}

/** The scenario of a request: the header `x-mock-scenario`, else the model when it is `mock-<scenario>`. */
export function scenarioOf(req: IncomingMessage, body: Json, fallback: string): string {
  const header = req.headers["x-mock-scenario"];
  if (typeof header === "string") return header;
  const model = typeof body.model === "string" ? body.model : "";
  return model.startsWith("mock-") ? model.slice("mock-".length) : fallback;
}

/**
 * The message of the `error-echo` scenario: a 400 that quotes what it was sent (the request's messages, or its
 * whole body) and the credential it came with, as providers' validation and authentication errors do.
 */
export function echoedRequestError(req: IncomingMessage, body: Json): string {
  const sent = JSON.stringify(body.messages ?? body);
  const credential = req.headers.authorization ?? req.headers["x-api-key"] ?? "none";
  return `Invalid request ${sent}. Incorrect API key provided: ${String(credential).replace(/^Bearer /, "")}.`;
}

/**
 * Serves a mock's routes under AI Gateway's paths too (`/v1/{account}/{gateway}/{provider}/…`, as
 * `gateway.ai.cloudflare.com` does): the route sees the path the provider's API has, and the answer carries the
 * gateway's headers (`cf-aig-cache-status: HIT`, or `MISS` with `cf-aig-skip-cache: true`; `cf-aig-log-id`).
 */
export function throughAiGateway(route: MockRoute): MockRoute {
  return (req, res, body, sequence) => {
    const match = /^\/v1\/[^/]+\/[^/]+\/(?:openai|anthropic|compat)(\/.*)$/.exec(req.url ?? "");
    if (match?.[1]) {
      req.url = match[1];
      const skipCache = req.headers["cf-aig-skip-cache"] === "true";
      res.setHeader("cf-aig-cache-status", skipCache ? "MISS" : "HIT");
      res.setHeader("cf-aig-log-id", `log_mock_${sequence}`);
    }
    route(req, res, body, sequence);
  };
}
