export type BodyOutcome = "complete" | "cancelled" | "error";

/**
 * Returns a response that carries the same bytes, status and headers, and calls `onEnd` once when its
 * body has been read to the end, cancelled by the client, or failed. Responses without a body (and
 * WebSocket upgrades) end at once and are returned untouched.
 */
export function observeBody(response: Response, onEnd: (outcome: BodyOutcome, error?: unknown) => void): Response {
  const source = response.body;
  if (!source || response.status === 101 || (response as { webSocket?: unknown }).webSocket) {
    onEnd("complete");
    return response;
  }
  let ended = false;
  const end = (outcome: BodyOutcome, error?: unknown) => {
    if (ended) return;
    ended = true;
    onEnd(outcome, error);
  };
  const fixedLength = fixedLengthBody(response, source, end);
  if (fixedLength) return fixedLength;
  const reader = source.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          end("complete");
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        controller.error(error);
        end("error", error);
      }
    },
    cancel(reason) {
      end("cancelled");
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

type FixedLengthStreamClass = new (
  length: number,
) => { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };

/**
 * On Workers, a body re-streamed through a plain ReadableStream loses its `Content-Length` and goes out chunked;
 * a `FixedLengthStream` keeps it. A failed pipe is a client that went away more often than a broken body.
 */
function fixedLengthBody(
  response: Response,
  source: ReadableStream<Uint8Array>,
  end: (outcome: BodyOutcome, error?: unknown) => void,
): Response | undefined {
  const FixedLengthStream = (globalThis as { FixedLengthStream?: FixedLengthStreamClass }).FixedLengthStream;
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  if (typeof FixedLengthStream !== "function" || !Number.isSafeInteger(length) || length < 0) return undefined;
  const { readable, writable } = new FixedLengthStream(length);
  source.pipeTo(writable).then(
    () => end("complete"),
    () => end("cancelled"),
  );
  return new Response(readable, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
