/**
 * One traced API call of a Stainless SDK, from the call to the end of its span, shared by every provider.
 *
 * A provider supplies an `ApiCallTracer` per method: `begin()` describes the request (and may send changed
 * arguments — a copy, never the caller's objects changed), the returned `TracedCall` reads the JSON body or
 * the stream events, and `describeError()` names an SDK error. This module does the rest: the span, the
 * APIPromise and Stream observers, and ending the span exactly once on every exit (success, HTTP error,
 * abort, mid-stream error, `break`). A tracer failure is reported by `safely` and never reaches the caller.
 * Only what must happen during the call does: reading the request, the answer and the error into the LlmCall
 * waits for the flush (docs/architecture.md: CPU off the request path).
 */
import type { ResolvedConfig } from "../config/options";
import type { RequestScope } from "../core/request-scope";
import { reportInternalError, safely } from "../core/safe";
import { resolveScope } from "../core/scope-lookup";
import type { LlmCall, LlmError } from "../semconv/llm-call";
import { recordAiGateway } from "./ai-gateway";
import { type ApiPromiseObserver, isObservableApiPromise, observeApiPromise } from "./api-promise";
import { type DescribedCall, type LlmSpan, startLlmSpan } from "./llm-span";
import type { Invocation, MethodHandler } from "./provider";
import { isObservableStream, observeStream, type StreamObserver } from "./stream";
import { finishedStreamEnd, recordStreamEnd, type StreamEnd } from "./stream-end";

export interface CallEnvironment {
  /** The raw client the call is made on. */
  readonly client: object;
  /** The config of the scope the span will belong to. */
  readonly config: ResolvedConfig;
}

export interface TracedCall {
  /** What is known of the call; filled in as the answer arrives. */
  readonly call: LlmCall;
  /** The arguments to send: the caller's, or a copy with additions. */
  readonly args: readonly unknown[];
  readonly streamed: boolean;
  /**
   * Fills `call` from the request, at the flush: `begin()` keeps what it needs (a shallow copy of the params, so
   * that a caller changing them after the call changes nothing) and leaves the reading off the request path.
   */
  describeRequest?(): void;
  /**
   * What of a non-streamed answer's JSON body to keep until the flush, when `readBody` reads it (default: the
   * body). For answers too large to hold on to (embedding vectors).
   */
  keepBody?(body: unknown): unknown;
  /** Fills `call` from the JSON body of a non-streamed answer (or what `keepBody` kept of it); run at the flush. */
  readBody(body: unknown): void;
  /** Sees one stream event, unchanged; returns false to hide it from the caller. Runs once per event: keep it short. */
  readEvent(event: unknown): boolean;
  /**
   * Whether the provider's end marker has arrived (its finish reason, `message_stop`, `done`, …): a stream whose
   * body ends without it was cut (stream-end.ts). Calls that never stream leave it out.
   */
  endMarkerArrived?(): boolean;
  /** Fills `call` from what the stream delivered, however it ended (stream-end.ts); run at the flush. */
  endStream(end: StreamEnd): void;
}

export interface ApiCallTracer<Traced extends TracedCall = TracedCall> {
  /** Describes the call about to be made; `undefined` leaves it untraced. */
  begin(args: readonly unknown[], environment: CallEnvironment): Traced | undefined;
  describeError(error: unknown): LlmError;
}

/** Watches what the original method returned, and returns what the caller gets. */
export type ResultObserver<Traced extends TracedCall> = (result: unknown, inFlight: CallInFlight<Traced>) => unknown;

/** The handler that begins the call's span, calls the original method with the tracer's arguments, and observes it. */
export function tracingHandler<Traced extends TracedCall>(
  tracer: ApiCallTracer<Traced>,
  observe: ResultObserver<Traced>,
): MethodHandler {
  return (invocation) => {
    const inFlight = begin(tracer, invocation);
    if (!inFlight) return Reflect.apply(invocation.original, invocation.target, invocation.args);
    let result: unknown;
    try {
      result = Reflect.apply(invocation.original, invocation.target, inFlight.traced.args);
    } catch (error) {
      inFlight.failed(error);
      throw error;
    }
    return observe(result, inFlight);
  };
}

/** The call as the tracer describes it, its span begun in its request scope; `undefined` leaves it untraced. */
function begin<Traced extends TracedCall>(
  tracer: ApiCallTracer<Traced>,
  invocation: Invocation,
): CallInFlight<Traced> | undefined {
  // Inline `try` rather than `safely`: no closure on the path of every call.
  try {
    const scope = resolveScope(invocation.scopeHint);
    const { client } = invocation;
    const traced = tracer.begin(invocation.args, { client, config: scope.config });
    return traced && new CallInFlight(traced, scope, tracer, client);
  } catch (error) {
    reportInternalError("begin LLM call", error);
    return undefined;
  }
}

/** The handler tracing a method that makes one request through the SDK and returns its APIPromise. */
/* @__NO_SIDE_EFFECTS__ */
export function traceApiCall(tracer: ApiCallTracer): MethodHandler {
  return tracingHandler(tracer, (result, inFlight) => {
    try {
      observeResult(result, inFlight);
    } catch (error) {
      reportInternalError("observe LLM call", error);
    }
    return result;
  });
}

/**
 * How a call ended: with an answer (its body), an error, a stream's end (how it ended), a stream's error, or with
 * nothing more to read.
 */
type Outcome = "answered" | "failed" | "streamed" | "stream failed";

/**
 * One traced call, from its request to the end of its span. How it ended: each way ends the span once (the first
 * wins) and keeps what the flush reads into the call (the request, the answer, the error, how its stream ended),
 * off the request path. And what its APIPromise tells: a JSON answer is read from the value the SDK parses for the
 * caller, from a copy only when nothing asks for that; a stream is there with the response, and the span waits
 * for the caller to read it.
 */
export class CallInFlight<Traced extends TracedCall = TracedCall> implements ApiPromiseObserver, DescribedCall {
  readonly span: LlmSpan;
  private outcome: Outcome | undefined;
  /** The answer's body, the error, or how the stream ended. */
  private detail: unknown;
  /** The HTTP answer's headers, for what an AI Gateway on the way says of the call. */
  private headers: unknown;

  constructor(
    readonly traced: Traced,
    scope: RequestScope,
    private readonly tracer: ApiCallTracer<Traced>,
    private readonly client: object,
  ) {
    this.span = startLlmSpan(this, scope);
  }

  get call(): LlmCall {
    return this.traced.call;
  }

  /** Ends the call with nothing more to read. */
  ended(): void {
    this.end(undefined, undefined);
  }

  failed(error: unknown): void {
    this.end("failed", error);
  }

  /** Ends a streamed call: what arrived is read at the flush, by how the stream ended (stream-end.ts). */
  streamEnded(end: StreamEnd, error?: unknown): void {
    if (end === "failed") this.end("stream failed", error);
    else this.end("streamed", end);
  }

  /** Ends the call still open when the flush stops waiting: a stream is exported with what arrived so far. */
  endOpen(): void {
    if (this.traced.streamed) this.streamEnded("open");
    else this.ended();
  }

  /** Ends the call with the JSON body of its answer. */
  answered(body: unknown): void {
    const { traced } = this;
    const kept = traced.keepBody ? safely("keep the answer", () => traced.keepBody?.(body), undefined) : body;
    this.end("answered", kept);
  }

  private end(outcome: Outcome | undefined, detail: unknown): void {
    if (!this.span.end(outcome === "failed")) return;
    this.outcome = outcome;
    this.detail = detail;
  }

  /** Fills the call at the flush: the request, then the answer, the stream's end or the error. */
  describe(): void {
    const { traced, outcome, detail } = this;
    safely("describe LLM request", () => traced.describeRequest?.(), undefined);
    safely("describe AI Gateway", () => recordAiGateway(traced.call, this.client, this.headers), undefined);
    safely(
      "record LLM outcome",
      () => {
        if (outcome === "answered") traced.readBody(detail);
        else if (outcome === "streamed") readStreamEnd(traced, detail as StreamEnd);
        else if (outcome === "failed" || outcome === "stream failed") {
          if (outcome === "stream failed") traced.endStream("failed");
          traced.call.error = this.tracer.describeError(detail);
        }
      },
      undefined,
    );
  }

  responded(response: unknown): void {
    this.headers = (response as { headers?: unknown } | undefined)?.headers;
    if (this.traced.streamed) this.span.awaitReader(() => this.ended());
  }

  unparsed(response: unknown): void {
    if (!this.traced.streamed) readJsonCopy(response, this);
  }

  parsed(value: unknown): void {
    if (!this.traced.streamed) {
      this.answered(value);
      return;
    }
    this.span.readerArrived();
    if (isObservableStream(value)) observeStream(value, streamObserver(this));
    else this.ended();
  }
}

function observeResult(result: unknown, inFlight: CallInFlight): void {
  if (isObservableApiPromise(result)) observeApiPromise(result, inFlight);
  // Not a shape this tracer knows: the request is recorded, the answer is not.
  else inFlight.ended();
}

/**
 * Reads a copy of the body, for an answer the SDK is not asked to parse (yet): taken with `asResponse()` (the body
 * stays unread for the caller), or awaited by nobody.
 */
function readJsonCopy(response: unknown, inFlight: CallInFlight): void {
  const copy = safely("copy response", () => jsonResponseCopy(response), undefined);
  if (!copy) {
    inFlight.ended();
    return;
  }
  copy.json().then(
    (body: unknown) => inFlight.answered(body),
    () => inFlight.ended(),
  );
}

function jsonResponseCopy(response: unknown): Response | undefined {
  if (!(typeof response === "object" && response !== null && "clone" in response && "headers" in response))
    return undefined;
  const candidate = response as Response;
  const contentType = candidate.headers.get("content-type") ?? "";
  if (!contentType.includes("json") || candidate.bodyUsed) return undefined;
  return candidate.clone();
}

/** What the stream delivered, and how it ended, into the call. */
function readStreamEnd(traced: TracedCall, end: StreamEnd): void {
  traced.endStream(end);
  recordStreamEnd(traced.call, end);
}

/** What each event and the end of a stream do to the call and its span, whatever the SDK's stream object. */
export function streamObserver(inFlight: CallInFlight): StreamObserver {
  const { traced, span } = inFlight;
  return {
    event(event) {
      span.firstChunk();
      return traced.readEvent(event);
    },
    ended() {
      inFlight.streamEnded(finishedStreamEnd(traced.endMarkerArrived?.() ?? true));
    },
    cancelled() {
      inFlight.streamEnded("cancelled");
    },
    failed(error) {
      inFlight.streamEnded("failed", error);
    },
  };
}
