/** Reads a server-sent-events response to its end, the way a browser's EventSource would see it. */

export interface SseEvent {
  event: string;
  data: string;
}

export interface ReadStream {
  events: SseEvent[];
}

function parseFrame(frame: string): SseEvent | undefined {
  let event = "message";
  const data: string[] = [];
  for (const line of frame.split("\n")) {
    if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
  }
  return data.length > 0 ? { event, data: data.join("\n") } : undefined;
}

/** Reads the whole body; `onEvent` sees each event as it arrives. */
export async function readSse(response: Response, onEvent?: (event: SseEvent) => void): Promise<ReadStream> {
  if (!response.body) throw new Error("the response has no body");
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffered = "";
  const reader = response.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true }).replace(/\r\n/g, "\n");
    let end = buffered.indexOf("\n\n");
    while (end !== -1) {
      const event = parseFrame(buffered.slice(0, end));
      buffered = buffered.slice(end + 2);
      if (event) {
        events.push(event);
        onEvent?.(event);
      }
      end = buffered.indexOf("\n\n");
    }
  }
  return { events };
}
