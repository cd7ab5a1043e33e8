/** Talks to the local OTLP receiver with web APIs only, so Node, edge-runtime and workerd tests share it. */
import { inject } from "vitest";
import type { DecodedSpan, ReceivedRequest, ScriptedAnswer } from "./otlp-types";

export type {
  DecodedAttributes,
  DecodedEvent,
  DecodedSpan,
  DecodedValue,
  ReceivedRequest,
  ScriptedAnswer,
} from "./otlp-types";

export interface Sink {
  id: string;
  /** The traces URL to use as `baseUrl`. */
  url: string;
  spans(): Promise<DecodedSpan[]>;
  /** Polls until at least `count` spans arrived; rejects after `timeoutMs` naming how many did. */
  waitForSpans(count: number, timeoutMs?: number): Promise<DecodedSpan[]>;
  requests(): Promise<ReceivedRequest[]>;
  /** Every field of each accepted export body, as the independent decoder reads it (otlp-decode-full.ts). */
  exports(): Promise<unknown[]>;
  /** Polls until at least `count` requests arrived; rejects after `timeoutMs` naming how many did. */
  waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  script(answers: ScriptedAnswer[]): Promise<void>;
  /** Drops the answers still queued: from now on every request is answered 200. */
  clearScript(): Promise<void>;
  /** Answers the requests that a `hold` answer keeps waiting. */
  release(): Promise<void>;
}

const POLL_INTERVAL_MS = 25;

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`receiver answered ${response.status} to ${url}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Polls `read` until it lists at least `count` items; rejects after `timeoutMs` naming how many it did. */
async function waitForCount<T>(read: () => Promise<T[]>, what: string, count: number, timeoutMs: number): Promise<T[]> {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    const received = await read();
    if (received.length >= count) return received;
    if (Date.now() >= giveUpAt) throw new Error(`expected ${count} ${what} at the receiver, got ${received.length}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

export function newSink(): Sink {
  const id = crypto.randomUUID();
  const base = `${inject("receiverUrl")}/${id}`;
  const spans = () => getJson<DecodedSpan[]>(`${base}/spans`);
  const requests = () => getJson<ReceivedRequest[]>(`${base}/requests`);
  return {
    id,
    url: `${base}/v1/traces`,
    spans,
    waitForSpans: (count, timeoutMs = 5_000) => waitForCount(spans, "span(s)", count, timeoutMs),
    requests,
    exports: () => getJson<unknown[]>(`${base}/exports`),
    waitForRequests: (count, timeoutMs = 5_000) => waitForCount(requests, "request(s)", count, timeoutMs),
    async script(answers) {
      await getJson(`${base}/script`, {
        method: "POST",
        body: JSON.stringify({ answers }),
      });
    },
    async clearScript() {
      await getJson(`${base}/script`, { method: "DELETE" });
    },
    async release() {
      await getJson(`${base}/release`, { method: "POST" });
    },
  };
}

/** A traces URL on a port nothing listens on: connecting is refused. */
export async function closedUrl(): Promise<string> {
  return (await getJson<{ url: string }>(`${inject("receiverUrl")}/closed-url`)).url;
}

/**
 * Every field of an export request body, as the receiver's independent decoder reads it (see
 * otlp-decode-full.ts); rejects with the decoder's complaint when the body is not valid OTLP.
 */
export function decodeAtReceiver(body: Uint8Array<ArrayBuffer>, contentType: string): Promise<unknown> {
  return getJson(`${inject("receiverUrl")}/decode`, { method: "POST", headers: { "content-type": contentType }, body });
}
