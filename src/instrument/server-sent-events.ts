/**
 * Server-sent events seen as the bytes of a stream. On the request path each chunk is only decoded (UTF-8, a
 * character split across chunks kept whole) and kept as text; the events are parsed at the flush.
 */
import { addPiece, type StreamedText, streamedText } from "./streamed-text";

/** The end-of-stream marker of OpenAI-style streams, which is not JSON. */
const DONE = "[DONE]";

export class ServerSentEvents {
  private readonly decoder = new TextDecoder();
  private readonly text: StreamedText = streamedText();

  /** Adds a chunk of the stream (bytes, or text). */
  add(chunk: unknown): void {
    if (typeof chunk === "string") addPiece(this.text, chunk);
    else if (chunk instanceof Uint8Array) addPiece(this.text, this.decoder.decode(chunk, { stream: true }));
  }

  /** The JSON `data` of each complete event received so far; data that is not JSON is left out. */
  events(): unknown[] {
    const events: unknown[] = [];
    for (const block of this.text.join("").split(/\r?\n\r?\n|\r\r/)) {
      const data = dataOf(block);
      if (data === undefined || data === DONE) continue;
      try {
        events.push(JSON.parse(data));
      } catch {
        // A partial last event (the stream was cut), or not JSON.
      }
    }
    return events;
  }
}

/** The `data:` lines of one event, joined with "\n" as the SSE format says; undefined when it has none. */
function dataOf(block: string): string | undefined {
  let data: string | undefined;
  for (const line of block.split(/\r?\n|\r/)) {
    if (!line.startsWith("data:")) continue;
    const value = line.slice(line.startsWith("data: ") ? 6 : 5);
    data = data === undefined ? value : `${data}\n${value}`;
  }
  return data;
}
