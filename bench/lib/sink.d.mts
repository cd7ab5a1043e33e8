/** Requests and body bytes the stand-in backend has received. */
export const sinkStats: { requests: number; bytes: number; lastBody: Uint8Array | undefined };

export function makeSinkFetch(answers?: Record<string, unknown>): typeof fetch;

export const sinkFetch: typeof fetch;

/** `realFetch`, counting each request and keeping its body as the sink does (without reading it). */
export function countingFetch(realFetch: typeof fetch): typeof fetch;

/** A Sentry transport that counts the envelopes it is handed and drops them. */
export function countingTransport(): { send(): Promise<{ statusCode: number }>; flush(): Promise<boolean> };
