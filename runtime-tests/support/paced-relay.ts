/**
 * A relay in front of a mock provider that passes server-sent events on one frame every `intervalMs`, so a
 * streamed answer lasts long enough for a test to tell "the span ended with the stream" from "the span ended
 * when the handler returned". Everything else is passed through as it is.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenOnLoopback, type MockServer } from "../../test/support/mock-http";

export type PacedRelay = MockServer;

const HOP_BY_HOP = new Set(["host", "connection", "content-length", "transfer-encoding", "content-encoding"]);

function forwardableHeaders(headers: Iterable<[string, string | string[] | undefined]>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase()))
      kept[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return kept;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function relay(target: string, intervalMs: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const upstream = await fetch(`${target}${req.url ?? "/"}`, {
    method: req.method,
    headers: forwardableHeaders(Object.entries(req.headers)),
    body: body.length > 0 ? new Uint8Array(body) : undefined,
  });
  res.writeHead(upstream.status, forwardableHeaders(upstream.headers.entries()));
  const text = await upstream.text();
  if (!(upstream.headers.get("content-type") ?? "").includes("text/event-stream")) {
    res.end(text);
    return;
  }
  for (const frame of text.split(/(?<=\n\n)/)) {
    if (res.destroyed) return;
    res.write(frame);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  res.end();
}

/** Each frame is held this long unless told otherwise, so that a streamed answer takes a measurable time. */
const FRAME_INTERVAL_MS = 50;

export async function startPacedRelay(target: string, intervalMs = FRAME_INTERVAL_MS): Promise<PacedRelay> {
  const server = createServer((req, res) => {
    relay(target, intervalMs, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(error));
    });
  });
  return listenOnLoopback(server);
}
