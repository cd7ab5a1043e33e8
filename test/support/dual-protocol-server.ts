/**
 * A loopback server answering HTTP/1.1 and cleartext HTTP/2 (prior knowledge, as `http2.connect("http://…")` speaks
 * it) on one port, for the mock of a service whose SDK talks HTTP/2 in Node (the AWS SDK's `NodeHttp2Handler`) and
 * HTTP/1.1 through `fetch` elsewhere. Each connection goes to the server its first bytes name. Node only.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttp2Server, type Http2Session } from "node:http2";
import { type AddressInfo, createServer as createTcpServer, type Socket } from "node:net";
import { Duplex } from "node:stream";
import type { MockServer } from "./mock-http";

const HTTP2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

export async function startDualProtocolServer(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<MockServer> {
  const http1 = createHttpServer(listener);
  // The compatibility API hands HTTP/2 requests over as request/response pairs with the same surface.
  const http2 = createHttp2Server(listener as unknown as Parameters<typeof createHttp2Server>[0]);
  const sessions = new Set<Http2Session>();
  http2.on("session", (session: Http2Session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  const sockets = new Set<Socket>();
  const front = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    // A client that resets its connection (a test aborting its request) is no failure of the mock.
    socket.on("error", () => undefined);
    socket.once("data", (first: Buffer) => {
      socket.pause();
      if (HTTP2_PREFACE.startsWith(first.subarray(0, HTTP2_PREFACE.length).toString("latin1"))) {
        http2.emit("connection", replayed(socket, first));
        return;
      }
      socket.unshift(first);
      http1.emit("connection", socket);
      socket.resume();
    });
  });
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  const { port } = front.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
        front.close(() => resolve());
      }),
  };
}

/**
 * The connection as a stream that replays the bytes already read. HTTP/2 reads a net.Socket through its native
 * handle, which would miss bytes put back with `unshift()`; a plain Duplex is read through JavaScript instead.
 */
function replayed(socket: Socket, first: Buffer): Duplex {
  const duplex = new Duplex({
    read: () => {
      socket.resume();
    },
    write: (chunk: Buffer, _encoding, done) => {
      socket.write(chunk, done);
    },
    final: (done) => {
      socket.end(done);
    },
    destroy: (error, done) => {
      socket.destroy(error ?? undefined);
      done(error);
    },
  });
  duplex.push(first);
  socket.on("data", (chunk: Buffer) => {
    if (!duplex.push(chunk)) socket.pause();
  });
  socket.on("end", () => duplex.push(null));
  socket.on("close", () => duplex.destroy());
  return duplex;
}
