/** Small helpers the provider tests share (created for the Google and Bedrock tests): reading streams, waiting, timing. */

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` until it lists `count` items. */
export async function waitFor<T>(read: () => Promise<T[]>, count: number): Promise<T[]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const found = await read();
    if (found.length >= count) return found;
    await sleep(10);
  }
  throw new Error(`waited for ${count}, never came`);
}

/** Reads `stream` to its end or its error; the events seen, and the error if any. */
export async function readAll<T>(stream: AsyncIterable<T>): Promise<{ events: T[]; error?: unknown }> {
  const events: T[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

/** A span's duration in milliseconds. */
export const durationMs = (span: { startTimeUnixNano: string; endTimeUnixNano: string } | undefined) =>
  span ? Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1e6 : Number.NaN;
