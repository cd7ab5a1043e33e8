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
  const end = once(onEnd);
  const piped = pipedNatively(response, source, end);
  if (piped) return piped;
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

type WorkersStreamClass<A extends unknown[]> = new (
  ...args: A
) => { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };

interface WorkersStreams {
  IdentityTransformStream?: WorkersStreamClass<[]>;
  FixedLengthStream?: WorkersStreamClass<[number]>;
}

/**
 * `report`, for its first call only. Returned, not bound to a name: no named function per call
 * (runtime-tests/node/keep-names.test.ts).
 */
function once(
  report: (outcome: BodyOutcome, error?: unknown) => void,
): (outcome: BodyOutcome, error?: unknown) => void {
  let reported = false;
  return (outcome, error) => {
    if (reported) return;
    reported = true;
    report(outcome, error);
  };
}

/**
 * On Workers, the body is piped through the runtime's own stream rather than re-streamed in JavaScript:
 * the bytes are then moved without a JavaScript call per chunk, and `pipeTo` settles once the last one has
 * been read. A `FixedLengthStream` keeps a `Content-Length` the handler set (a plain re-stream goes out chunked).
 */
function pipedNatively(
  response: Response,
  source: ReadableStream<Uint8Array>,
  end: (outcome: BodyOutcome, error?: unknown) => void,
): Response | undefined {
  const { IdentityTransformStream, FixedLengthStream } = globalThis as WorkersStreams;
  if (typeof IdentityTransformStream !== "function" || typeof FixedLengthStream !== "function") return undefined;
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  const known = Number.isSafeInteger(length) && length >= 0;
  const { readable, writable } = known ? new FixedLengthStream(length) : new IdentityTransformStream();
  source.pipeTo(writable).then(
    () => end("complete"),
    (error: unknown) => endFailedPipe(source, error, end),
  );
  return new Response(readable, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/**
 * A pipe fails when the body broke or when the client went away. The pipe has released the source by then:
 * errored in the first case, closed in the second (the pipe cancelled it).
 */
function endFailedPipe(
  source: ReadableStream<Uint8Array>,
  error: unknown,
  end: (outcome: BodyOutcome, error?: unknown) => void,
): void {
  source.getReader().closed.then(
    () => end("cancelled"),
    () => end("error", error),
  );
}
