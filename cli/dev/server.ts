/**
 * The dev tool's one HTTP server: the OTLP/HTTP traces receiver apps send to, and the page that shows what it
 * received, with the events that keep the page live.
 *   POST   /v1/traces   an export request (protobuf or JSON, gzip or not), answered as an OTLP collector answers
 *   GET    /            the page; /page.js and /page.css its script and style
 *   GET    /events      server-sent events: `snapshot` (every span held) on connect, then `spans`, `cleared`
 *   GET    /spans       every span held, as JSON
 *   DELETE /spans       forget them (the page's Clear button)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeExportRequest, encodeExportResponse, isJson } from "../otlp/decode";
import type { DecodedSpan } from "../otlp/decoded-span";
import { SpanBook } from "../view/span-book";
import { envLines } from "./env-lines";
import { EventStreams } from "./event-stream";
import { type ForwardOutcome, forwardExport } from "./forward";
import type { ForwardTarget } from "./options";
import { PAGE_CSP, pageHtml } from "./page-html";

export interface PageAssets {
  script: string;
  style: string;
}

/** What the server tells whoever started it (the terminal). */
export interface DevServerEvents {
  received(spans: DecodedSpan[], request: { contentType: string; contentEncoding: string; bytes: number }): void;
  rejected(reason: string): void;
  forwarded(outcome: ForwardOutcome, spanCount: number): void;
}

export interface DevServerOptions {
  host: string;
  port: number;
  forward?: ForwardTarget;
  assets: PageAssets;
  events: DevServerEvents;
}

export interface DevServer {
  /** The page. */
  url: string;
  /** What apps send to: `MODA_BASE_URL`. */
  tracesUrl: string;
  close(): Promise<void>;
}

/** Larger export requests are refused (413): the library sends a few hundred KiB at most. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const LOOPBACK_NAMES = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const store = new SpanBook();
  const streams = new EventStreams();
  let urls: { url: string; tracesUrl: string } | undefined;
  const server = createServer((req, res) => {
    if (!urls) return answer(res, 503, "starting");
    route(req, res, { options, store, streams, urls }).catch((error: unknown) =>
      answer(res, 500, `moda-edge dev: ${String(error)}`),
    );
  });
  await listen(server, options.host, options.port);
  const { port } = server.address() as AddressInfo;
  const base = `http://${urlHost(options.host)}:${port}`;
  urls = { url: `${base}/`, tracesUrl: `${base}/v1/traces` };
  return {
    ...urls,
    close: () => {
      streams.closeAll();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE")
        reject(new Error(`port ${port} on ${host} is in use: pass --port <another> (or --port 0 for any free port)`));
      else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

interface Context {
  options: DevServerOptions;
  store: SpanBook;
  streams: EventStreams;
  urls: { url: string; tracesUrl: string };
}

async function route(req: IncomingMessage, res: ServerResponse, context: Context): Promise<void> {
  // A page on another site that rebinds its name to 127.0.0.1 must not read the prompts this server holds.
  if (!hostAllowed(req.headers.host, context.options.host)) return answer(res, 403, "unexpected Host header");
  const path = new URL(req.url ?? "/", "http://dev").pathname;
  const action = `${req.method} ${path}`;
  const { store, streams, options } = context;
  switch (action) {
    case "POST /v1/traces":
      return receive(req, res, context);
    case "GET /":
      return answerPage(res, context);
    case "GET /page.js":
      return answer(res, 200, options.assets.script, "text/javascript; charset=utf-8");
    case "GET /page.css":
      return answer(res, 200, options.assets.style, "text/css; charset=utf-8");
    case "GET /events":
      return streams.connect(req, res, ["snapshot", store.all()]);
    case "GET /spans":
      return answer(res, 200, JSON.stringify(store.all()), "application/json");
    case "DELETE /spans":
      store.clear();
      streams.broadcast("cleared", {});
      return answer(res, 204, "");
    default:
      return answer(res, 404, `moda-edge dev: nothing at ${action}; send traces to POST /v1/traces`);
  }
}

function hostAllowed(hostHeader: string | undefined, boundHost: string): boolean {
  if (!LOOPBACK_NAMES.has(boundHost)) return true;
  if (hostHeader === undefined) return false;
  const name = hostHeader.startsWith("[") ? hostHeader.slice(0, hostHeader.indexOf("]") + 1) : hostHeader.split(":")[0];
  return LOOPBACK_NAMES.has(name ?? "");
}

function answerPage(res: ServerResponse, { options, urls }: Context): void {
  res.setHeader("content-security-policy", PAGE_CSP);
  const html = pageHtml({
    tracesUrl: urls.tracesUrl,
    envLines: envLines(urls.tracesUrl),
    ...(options.forward && { forwardUrl: options.forward.url }),
  });
  answer(res, 200, html, "text/html; charset=utf-8");
}

async function receive(req: IncomingMessage, res: ServerResponse, { options, store, streams }: Context) {
  const contentType = req.headers["content-type"] ?? "";
  const contentEncoding = req.headers["content-encoding"] ?? "";
  const body = await readBody(req);
  if (body === undefined) {
    options.events.rejected(`an export request larger than ${MAX_BODY_BYTES} bytes`);
    return answer(res, 413, `moda-edge dev: export requests are limited to ${MAX_BODY_BYTES} bytes`);
  }
  let spans: DecodedSpan[];
  try {
    spans = decodeExportRequest(body, contentType, contentEncoding);
  } catch (error) {
    const reason = `cannot decode the export request (content-type ${JSON.stringify(contentType)}): ${String(error)}`;
    options.events.rejected(reason);
    return answer(res, 400, `moda-edge dev: ${reason}`);
  }
  store.add(spans);
  streams.broadcast("spans", spans);
  options.events.received(spans, { contentType, contentEncoding, bytes: body.length });
  answer(
    res,
    200,
    encodeExportResponse(contentType),
    isJson(contentType) ? "application/json" : "application/x-protobuf",
  );
  const { forward } = options;
  if (forward) {
    const outcome = await forwardExport(forward, body, { contentType, contentEncoding });
    options.events.forwarded(outcome, spans.length);
  }
}

/** The body, or undefined past the size limit. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function answer(res: ServerResponse, status: number, body: string | Buffer, contentType = "text/plain; charset=utf-8") {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": contentType });
  res.end(body);
}
