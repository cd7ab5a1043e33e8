const encoder = new TextEncoder();

/** One server-sent event. */
export function sseEvent(event: string, data: unknown): Uint8Array {
  return encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * A response body that forwards `source` as server-sent events, reading it only as fast as the browser
 * reads. `toEvent` turns an item into an event, or skips it. A browser that goes away cancels `source`,
 * which aborts the upstream request.
 */
export function sseBody<T>(source: AsyncIterable<T>, toEvent: (item: T) => Uint8Array | undefined): ReadableStream {
  const items = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // A pull that enqueues nothing is not called again, so read on until there is an event to send.
      for (;;) {
        const next = await items.next();
        if (next.done) {
          controller.enqueue(sseEvent("done", {}));
          controller.close();
          return;
        }
        const event = toEvent(next.value);
        if (event) {
          controller.enqueue(event);
          return;
        }
      }
    },
    async cancel() {
      await items.return?.();
    },
  });
}

export const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" };
