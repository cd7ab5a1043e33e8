/**
 * Loopback HTTP servers for the Worker benchmarks: the fake OpenAI/Anthropic API (lib/fake-llm.mjs answers),
 * and an OTLP ingest that answers at once or after a delay, counting what it receives.
 */
import { createServer } from "node:http";
import { answer } from "./fake-llm.mjs";

function listen(server) {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => server.close(done)).finally(() => server.closeAllConnections()),
      });
    });
  });
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

export function startProviderServer() {
  return listen(
    createServer(async (request, response) => {
      const body = await readBody(request);
      const reply = answer(new URL(request.url, "http://x").pathname, body.toString("utf8"));
      response.writeHead(reply.status, reply.headers);
      response.end(reply.body);
    }),
  );
}

/** An OTLP/HTTP ingest answering 200 after `delayMs`; `stats` counts the exports and their bytes. */
export async function startIngest(delayMs = 0) {
  const stats = { requests: 0, bytes: 0 };
  const timers = new Set();
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    stats.requests++;
    stats.bytes += body.length;
    const timer = setTimeout(() => {
      timers.delete(timer);
      response.writeHead(200, { "content-type": "application/x-protobuf" });
      response.end();
    }, delayMs);
    timers.add(timer);
  });
  const { url, close } = await listen(server);
  return {
    url: `${url}/v1/traces`,
    stats,
    close: () => {
      for (const timer of timers) clearTimeout(timer);
      return close();
    },
  };
}
