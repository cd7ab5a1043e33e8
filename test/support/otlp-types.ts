/** What the local OTLP receiver reports back, shared by the Node server and the web-only client. */

export type {
  DecodedAttributes,
  DecodedEvent,
  DecodedKind,
  DecodedSpan,
  DecodedStatusCode,
  DecodedValue,
} from "../../cli/otlp/decoded-span";

export interface ReceivedRequest {
  /** Arrival time, epoch ms, on the receiver's clock. */
  at: number;
  /** Lowercased names. */
  headers: Record<string, string>;
  contentType: string;
  contentEncoding: string;
  /** Body size as received (compressed, when it was). */
  bytes: number;
  /** null while unanswered (a scripted hang) or when the client went away first. */
  answeredStatus: number | null;
  spanCount: number;
  /** For a `bodyBytes` answer: the bytes the client took before it closed the connection, once it did or all went. */
  answerBytesSent?: number;
}

/** One scripted answer, consumed by one ingest request. An empty queue answers 200. */
export interface ScriptedAnswer {
  status?: number;
  /** `Retry-After` value: delta-seconds or an HTTP date. */
  retryAfter?: string;
  body?: string;
  /** Sent in the request's own content type. */
  partialSuccess?: { rejectedSpans: number; errorMessage?: string };
  /** Never answer; the client has to give up. */
  hang?: boolean;
  /** Drop the connection without an answer (a network error for the client). */
  reset?: boolean;
  /** Answer only once the test releases the sink's held answers (`Sink.release()`). */
  hold?: boolean;
  /** A body of this many bytes (a misconfigured endpoint serving a file), streamed as the client reads it. */
  bodyBytes?: number;
}
