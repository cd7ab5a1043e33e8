/**
 * A relay in front of a mock provider that passes server-sent events on one frame every `intervalMs`, so a
 * streamed answer lasts long enough for a test to tell "the span ended with the stream" from "the span ended
 * when the handler returned", and says when it wrote each stream's last frame: the app cannot end its response
 * before it has read that frame. Everything else is passed through as it is.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenOnLoopback, type MockServer } from "../../test/support/mock-http";

/** One relayed event stream: how many frames, and when (epoch ms) the first and the last were written. */
export interface RelayedStream {
  frames: number;
  firstFrameAt: number;
  lastFrameAt: number;
}

export interface PacedRelay extends MockServer {
  /** The event stream relayed last; throws if none was. */
  lastStream(): RelayedStream;
}

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

async function relay(
  target: string,
  intervalMs: number,
  req: IncomingMessage,
  res: ServerResponse,
  streams: RelayedStream[],
): Promise<void> {
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
  const stream: RelayedStream = { frames: 0, firstFrameAt: 0, lastFrameAt: 0 };
  streams.push(stream);
  for (const frame of text.split(/(?<=\n\n)/)) {
    if (res.destroyed) return;
    res.write(frame);
    stream.lastFrameAt = Date.now();
    if (stream.frames++ === 0) stream.firstFrameAt = stream.lastFrameAt;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  res.end();
}

/** Each frame is held this long unless told otherwise, so that a streamed answer takes a measurable time. */
const FRAME_INTERVAL_MS = 50;

export async function startPacedRelay(target: string, intervalMs = FRAME_INTERVAL_MS): Promise<PacedRelay> {
  const streams: RelayedStream[] = [];
  const server = createServer((req, res) => {
    relay(target, intervalMs, req, res, streams).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(error));
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    ...listening,
    lastStream() {
      const last = streams.at(-1);
      if (!last) throw new Error("the relay has relayed no event stream");
      return last;
    },
  };
}
