/** Server-sent events to every open page: each gets what the store holds when it connects, then each change. */
import type { IncomingMessage, ServerResponse } from "node:http";

export class EventStreams {
  private readonly open = new Set<ServerResponse>();

  /** Answers `req` with an event stream that starts with `first` (event name and data). */
  connect(req: IncomingMessage, res: ServerResponse, first: [event: string, data: unknown]): void {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    this.open.add(res);
    req.on("close", () => this.open.delete(res));
    send(res, ...first);
  }

  broadcast(event: string, data: unknown): void {
    for (const res of this.open) send(res, event, data);
  }

  closeAll(): void {
    for (const res of this.open) res.end();
    this.open.clear();
  }
}

function send(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
