import { type ContextValues, currentContext } from "../core/context";
import { warnOnce } from "../core/debug";
import { SpanKind } from "../core/otel";
import type { RequestScope } from "../core/request-scope";
import { reportInternalError, safely } from "../core/safe";
import type { ModaSpan, SpanCloser, SpanCompletion, SpanDescriber } from "../core/span";
import { hrTimeToMs, nowMs } from "../core/time";
import { startSpan } from "../core/tracer";
import { describeLlmCall, llmSpanName } from "../semconv/llm-attributes";
import type { LlmCall } from "../semconv/llm-call";

/** A model call as its span describes it: what is known of it, and how to fill in the rest at the flush. */
export interface DescribedCall {
  readonly call: LlmCall;
  /** Fills `call` from what was kept of the request and the answer; run by the flush. */
  describe(): void;
  /** Ends the call still open when the flush stops waiting for it, with what arrived so far. */
  endOpen(): void;
}

/** One model call in flight. Provider wrappers hold it from the request until the last chunk. */
export interface LlmSpan {
  /** Records the time to the first streamed chunk; only the first call counts. */
  firstChunk(): void;
  /**
   * Ends the span now; the call is described at the flush. Only the first call counts: it alone returns true, and
   * only while the span is recorded (what is kept for the flush is kept for nothing otherwise). `failed`: the call
   * failed, which its request's sampling must know before the flush describes it.
   */
  end(failed?: boolean): boolean;
  /** The answer is there but only the caller can read it: a flush ends the span with `endUnread` unless read by then. */
  awaitReader(endUnread: () => void): void;
  /** The caller started reading the answer: the flush waits for the span again. */
  readerArrived(): void;
}

const NOOP_LLM_SPAN: LlmSpan = { firstChunk() {}, end: () => false, awaitReader() {}, readerArrived() {} };
/** The values of a call made where none were set, shared: they are only read. */
const NO_VALUES: ContextValues = Object.freeze({});

/** Starts a CLIENT span for a model call in `scope`, the call's request scope. Never throws. */
export function startLlmSpan(described: DescribedCall, scope: RequestScope): LlmSpan {
  try {
    return openLlmSpan(described, scope);
  } catch (error) {
    reportInternalError("startLlmSpan", error);
    return NOOP_LLM_SPAN;
  }
}

function openLlmSpan(described: DescribedCall, scope: RequestScope): LlmSpan {
  const values = currentContext()?.values ?? NO_VALUES;
  const span = startSpan({ name: llmSpanName(described.call), kind: SpanKind.CLIENT, scope });
  if (!span.isRecording()) return NOOP_LLM_SPAN;
  const llmSpan = new RecordingLlmSpan(span, described, values);
  // A stream nobody finished is still described with what arrived, when the flush stops waiting for it.
  span.closer = llmSpan;
  return llmSpan;
}

/** A recording span: one object per call, its work on the prototype (calls are many; each keeps little). */
class RecordingLlmSpan implements LlmSpan, SpanCloser, SpanDescriber {
  private firstChunkAt: number | undefined;
  private ended = false;

  constructor(
    private readonly span: ModaSpan,
    private readonly described: DescribedCall,
    private readonly values: ContextValues,
  ) {}

  firstChunk(): void {
    this.firstChunkAt ??= nowMs();
  }

  awaitReader(endUnread: () => void): void {
    this.span.owner.awaitReader(this.span, endUnread);
  }

  readerArrived(): void {
    this.span.owner.readerArrived(this.span);
  }

  endOpen(): void {
    safely("end an open LLM call", () => this.described.endOpen(), undefined);
    this.end();
  }

  end(failed?: boolean): boolean {
    if (this.ended) return false;
    this.ended = true;
    if (failed) this.span.owner.spanFailed();
    // Reading the request and the answer, serializing the messages and hashing the conversation id wait for
    // the flush, after the response.
    this.span.completeLater(this);
    this.span.end();
    return true;
  }

  async describe(complete: (completion: SpanCompletion) => void): Promise<void> {
    const { described, span } = this;
    const { call } = described;
    safely("describe LLM call", () => described.describe(), undefined);
    if (this.firstChunkAt !== undefined) {
      call.timeToFirstChunk ??= (this.firstChunkAt - hrTimeToMs(span.startTime)) / 1000;
    }
    try {
      complete(await describeLlmCall(call, span.owner.config, this.values));
    } catch (error) {
      warnOnce("describeLlmCall", `could not describe an LLM call: ${String(error)}`);
    }
  }
}
