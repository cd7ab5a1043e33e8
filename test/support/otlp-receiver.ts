/**
 * A local OTLP/HTTP traces receiver for the tests (Node only). Every URL starts with a sink id the test picks,
 * so suites running in parallel never see each other's spans:
 *   POST /<sink>/v1/traces   ingest (answers per the sink's script, else 200)
 *   GET  /<sink>/spans       decoded spans (JSON)
 *   GET  /<sink>/requests    what each ingest request looked like (JSON)
 *   GET  /<sink>/exports     every field of each accepted export, as decodeInFull reads it (JSON)
 *   POST /<sink>/script      queue answers: { answers: ScriptedAnswer[] }
 *   DELETE /<sink>/script    drop the answers still queued (an ingest that was down is back)
 *   POST /<sink>/release     answer the requests that a `hold` answer keeps waiting
 *   DELETE /<sink>           forget the sink
 *   GET  /closed-url         a traces URL on a port nothing listens on
 *   POST /decode             every field of the export request in the body, decoded (otlp-decode-full.ts)
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { connect } from "node:net";
import { decodeExportRequest, encodeExportResponse, isJson, plainBody } from "../../cli/otlp/decode";
import { listenOnLoopback } from "./mock-http";
import { decodeInFull } from "./otlp-decode-full";
import type { DecodedSpan, ReceivedRequest, ScriptedAnswer } from "./otlp-types";

interface SinkState {
  spans: DecodedSpan[];
  exports: unknown[];
  requests: ReceivedRequest[];
  script: ScriptedAnswer[];
  /** What answers the requests a `hold` answer keeps waiting. */
  held: (() => void)[];
}

type Sinks = Map<string, SinkState>;

export async function startOtlpReceiver(): Promise<{
  url: string;
  close(): Promise<void>;
}> {
  const sinks: Sinks = new Map();
  const closedUrl = await closedTracesUrl();
  const server = createServer((req, res) => {
    route(req, res, sinks, closedUrl).catch((error: unknown) =>
      answerText(res, 500, `receiver error: ${String(error)}`),
    );
  });
  return listenOnLoopback(server);
}

/**
 * A port nothing listens on, so that connecting is refused. A privileged one: a test server listening on port 0 gets
 * a port from the ephemeral range, never this one. (A port that had been free a moment before was once handed to
 * another test file's mock server, which then answered the "refused" tests.) Not on the Fetch standard's list of bad
 * ports, which `fetch` refuses before it connects.
 */
const CLOSED_PORT = 4;

async function closedTracesUrl(): Promise<string> {
  await expectRefused(CLOSED_PORT);
  return `http://127.0.0.1:${CLOSED_PORT}/v1/traces`;
}

function expectRefused(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      reject(new Error(`something listens on 127.0.0.1:${port}, which the tests need closed`));
    });
    socket.once("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNREFUSED" ? resolve() : reject(error)));
  });
}

async function route(req: IncomingMessage, res: ServerResponse, sinks: Sinks, closedUrl: string): Promise<void> {
  const [sinkId = "", ...rest] = new URL(req.url ?? "/", "http://receiver").pathname.split("/").filter(Boolean);
  const action = `${req.method} /${rest.join("/")}`;
  if (req.method === "GET" && sinkId === "closed-url" && rest.length === 0) return answerJson(res, { url: closedUrl });
  if (req.method === "POST" && sinkId === "decode" && rest.length === 0) return decodeOnly(req, res);
  if (req.method === "DELETE" && rest.length === 0) {
    sinks.delete(sinkId);
    return answerJson(res, { ok: true });
  }
  const sink = sinkOf(sinks, sinkId);
  if (action === "POST /v1/traces") return ingest(req, res, sink);
  if (action === "GET /spans") return answerJson(res, sink.spans);
  if (action === "GET /requests") return answerJson(res, sink.requests);
  if (action === "GET /exports") return answerJson(res, sink.exports);
  if (action === "POST /script") {
    const { answers } = JSON.parse((await readBody(req)).toString("utf8")) as {
      answers: ScriptedAnswer[];
    };
    sink.script.push(...answers);
    return answerJson(res, { queued: sink.script.length });
  }
  if (action === "DELETE /script") {
    sink.script.length = 0;
    return answerJson(res, { queued: 0 });
  }
  if (action === "POST /release") {
    const released = sink.held.splice(0);
    for (const release of released) release();
    return answerJson(res, { released: released.length });
  }
  answerText(res, 404, `no route for ${req.method} ${req.url}`);
}

async function decodeOnly(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  let decoded: unknown;
  try {
    decoded = decodeInFull(body, req.headers["content-type"] ?? "");
  } catch (error) {
    return answerText(res, 400, `not a valid export request: ${String(error)}`);
  }
  answerJson(res, decoded);
}

function sinkOf(sinks: Sinks, id: string): SinkState {
  let sink = sinks.get(id);
  if (!sink) {
    sink = { spans: [], exports: [], requests: [], script: [], held: [] };
    sinks.set(id, sink);
  }
  return sink;
}

async function ingest(req: IncomingMessage, res: ServerResponse, sink: SinkState): Promise<void> {
  const at = Date.now();
  const body = await readBody(req);
  const contentType = req.headers["content-type"] ?? "";
  const contentEncoding = req.headers["content-encoding"] ?? "";
  const record: ReceivedRequest = {
    at,
    headers: flattenHeaders(req),
    contentType,
    contentEncoding,
    bytes: body.length,
    answeredStatus: null,
    spanCount: 0,
  };
  sink.requests.push(record);
  let spans: DecodedSpan[];
  try {
    spans = decodeExportRequest(body, contentType, contentEncoding);
  } catch (error) {
    record.answeredStatus = 400;
    return answerText(res, 400, `cannot decode the export request: ${String(error)}`);
  }
  record.spanCount = spans.length;
  await answerScripted(req, res, sink, record, spans);
  const status = record.answeredStatus ?? 0;
  if (status >= 200 && status < 300) sink.exports.push(decodeInFull(plainBody(body, contentEncoding), contentType));
}

async function answerScripted(
  req: IncomingMessage,
  res: ServerResponse,
  sink: SinkState,
  record: ReceivedRequest,
  spans: DecodedSpan[],
): Promise<void> {
  const answer = sink.script.shift() ?? {};
  if (answer.hang) return;
  if (answer.reset) {
    req.socket.destroy();
    return;
  }
  if (answer.hold) await new Promise<void>((release) => sink.held.push(release));
  // A client that gave up did not get its answer and will send again: nothing was accepted.
  if (res.destroyed || req.socket.destroyed) return;
  const status = answer.status ?? 200;
  record.answeredStatus = status;
  if (status >= 200 && status < 300) sink.spans.push(...spans);
  if (answer.retryAfter !== undefined) res.setHeader("retry-after", answer.retryAfter);
  if (answer.bodyBytes !== undefined) {
    record.answerBytesSent = await streamBytes(res, status, answer.bodyBytes);
    return;
  }
  if (answer.body !== undefined || status < 200 || status >= 300) return answerText(res, status, answer.body ?? "");
  const contentType = isJson(record.contentType) ? "application/json" : "application/x-protobuf";
  res.writeHead(status, { "content-type": contentType });
  res.end(encodeExportResponse(record.contentType, answer.partialSuccess));
}

const STREAM_CHUNK = new Uint8Array(64 * 1024).fill(0x61);

/** Writes `bytes` bytes as fast as the client takes them; resolves to how many it took before it went away. */
async function streamBytes(res: ServerResponse, status: number, bytes: number): Promise<number> {
  res.writeHead(status, { "content-type": "text/plain", "content-length": String(bytes) });
  let sent = 0;
  while (sent < bytes && !res.destroyed) {
    const chunk = STREAM_CHUNK.subarray(0, Math.min(STREAM_CHUNK.length, bytes - sent));
    const flowing = res.write(chunk);
    sent += chunk.length;
    if (!flowing) await drainedOrClosed(res);
  }
  res.end();
  // What the kernel's buffers held when the client closed is counted as sent: an upper bound of what it read.
  return sent;
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function answerJson(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

function answerText(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "content-type": "text/plain" });
  res.end(text);
}
