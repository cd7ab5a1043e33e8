/**
 * One traced API call of a Stainless SDK, from the call to the end of its span, shared by every provider.
 *
 * A provider supplies an `ApiCallTracer` per method: `begin()` describes the request (and may send changed
 * arguments — a copy, never the caller's objects changed), the returned `TracedCall` reads the JSON body or
 * the stream events, and `describeError()` names an SDK error. This module does the rest: the span, the
 * APIPromise and Stream observers, and ending the span exactly once on every exit (success, HTTP error,
 * abort, mid-stream error, `break`). A tracer failure is reported by `safely` and never reaches the caller.
 */
import type { ResolvedConfig } from "../config";
import type { LlmCall, LlmError } from "../llm-call";
import { type LlmSpan, startLlmSpan } from "../llm-span";
import { safely } from "../safe";
import { resolveScope } from "../scope";
import { isObservableApiPromise, observeApiPromise } from "./api-promise";
import type { Invocation, MethodHandler } from "./provider";
import { isObservableStream, observeStream, type StreamObserver } from "./stream";

/** How a stream stopped: at its end, by the caller (`break`), or by an error or abort. */
export type StreamEnd = "ended" | "cancelled" | "failed";

export interface CallEnvironment {
  /** The raw client the call is made on. */
  readonly client: object;
  /** The config of the scope the span will belong to. */
  readonly config: ResolvedConfig | undefined;
}

export interface TracedCall {
  /** What is known of the call; filled in as the answer arrives. */
  readonly call: LlmCall;
  /** The arguments to send: the caller's, or a copy with additions. */
  readonly args: readonly unknown[];
  readonly streamed: boolean;
  /** Fills `call` from the JSON body of a non-streamed answer. */
  readBody(body: unknown): void;
  /** Sees one stream event, unchanged; returns false to hide it from the caller. */
  readEvent(event: unknown): boolean;
  /** Fills `call` from what the stream delivered, however it ended. */
  endStream(end: StreamEnd): void;
}

export interface ApiCallTracer<Traced extends TracedCall = TracedCall> {
  /** Describes the call about to be made; `undefined` leaves it untraced. */
  begin(args: readonly unknown[], environment: CallEnvironment): Traced | undefined;
  describeError(error: unknown): LlmError;
}

/** Watches what the original method returned, and returns what the caller gets. */
export type ResultObserver<Traced extends TracedCall> = (
  result: unknown,
  traced: Traced,
  span: LlmSpan,
  outcome: CallOutcome,
) => unknown;

/** The handler that begins the call's span, calls the original method with the tracer's arguments, and observes it. */
export function tracingHandler<Traced extends TracedCall>(
  tracer: ApiCallTracer<Traced>,
  observe: ResultObserver<Traced>,
): MethodHandler {
  return (invocation) => {
    const traced = safely("begin LLM call", () => tracer.begin(invocation.args, environmentOf(invocation)), undefined);
    if (!traced) return Reflect.apply(invocation.original, invocation.target, invocation.args);
    const span = startLlmSpan(traced.call, invocation.scopeHint);
    const outcome = callOutcome(traced, span, tracer);
    let result: unknown;
    try {
      result = Reflect.apply(invocation.original, invocation.target, traced.args);
    } catch (error) {
      outcome.failed(error);
      throw error;
    }
    return observe(result, traced, span, outcome);
  };
}

/** The handler tracing a method that makes one request through the SDK and returns its APIPromise. */
/* @__NO_SIDE_EFFECTS__ */
export function traceApiCall(tracer: ApiCallTracer): MethodHandler {
  return tracingHandler(tracer, (result, traced, span, outcome) => {
    safely("observe LLM call", () => observeResult(result, traced, span, outcome), undefined);
    return result;
  });
}

function environmentOf(invocation: Invocation): CallEnvironment {
  return {
    client: invocation.client,
    config: safely("scope config", () => resolveScope(invocation.scopeHint).config, undefined),
  };
}

/** How the call ended. `record` fills the call from the answer; it runs only if the span has not ended yet. */
export interface CallOutcome {
  ended(record?: () => void): void;
  cancelled(record?: () => void): void;
  failed(error: unknown, record?: () => void): void;
}

/** Ends the span once; after that, nothing changes the call (the span describes it asynchronously). */
function callOutcome(traced: TracedCall, span: LlmSpan, tracer: ApiCallTracer): CallOutcome {
  let done = false;
  const finish = (...steps: (() => void)[]) => {
    if (done) return;
    done = true;
    for (const step of steps) safely("record LLM call outcome", step, undefined);
    span.end(traced.call);
  };
  const nothing = () => undefined;
  return {
    ended: (record = nothing) => finish(record),
    cancelled: (record = nothing) =>
      finish(record, () => {
        traced.call.cancelled = true;
      }),
    failed: (error, record = nothing) =>
      finish(record, () => {
        traced.call.error = tracer.describeError(error);
      }),
  };
}

function observeResult(result: unknown, traced: TracedCall, span: LlmSpan, outcome: CallOutcome): void {
  if (!isObservableApiPromise(result)) {
    // Not a shape this tracer knows: the request is recorded, the answer is not.
    outcome.ended();
    return;
  }
  observeApiPromise(result, {
    responded(response) {
      if (traced.streamed) span.awaitReader(() => outcome.ended());
      else readJsonCopy(response, traced, outcome);
    },
    failed: outcome.failed,
    parsed(value) {
      if (!traced.streamed) return;
      span.readerArrived();
      observeEvents(value, traced, span, outcome);
    },
  });
}

/** Reads a copy of the body, so the span ends even when nobody consumes the promise and `asResponse()` stays unread. */
function readJsonCopy(response: unknown, traced: TracedCall, outcome: CallOutcome): void {
  const copy = safely("copy response", () => jsonResponseCopy(response), undefined);
  if (!copy) {
    outcome.ended();
    return;
  }
  copy.json().then(
    (body: unknown) => outcome.ended(() => traced.readBody(body)),
    () => outcome.ended(),
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

function observeEvents(value: unknown, traced: TracedCall, span: LlmSpan, outcome: CallOutcome): void {
  if (!isObservableStream(value)) {
    outcome.ended();
    return;
  }
  observeStream(value, streamObserver(traced, span, outcome));
}

/** What each event and the end of a stream do to the call and its span, whatever the SDK's stream object. */
export function streamObserver(traced: TracedCall, span: LlmSpan, outcome: CallOutcome): StreamObserver {
  return {
    event(event) {
      span.firstChunk();
      return traced.readEvent(event);
    },
    ended: () => outcome.ended(() => traced.endStream("ended")),
    cancelled: () => outcome.cancelled(() => traced.endStream("cancelled")),
    failed: (error) => outcome.failed(error, () => traced.endStream("failed")),
  };
}
