import { currentContext } from "./context";
import { warnOnce } from "./debug";
import type { LlmCall } from "./llm-call";
import { SpanKind } from "./otel";
import { safely } from "./safe";
import type { RequestScope } from "./scope";
import { describeLlmCall, llmSpanName } from "./semconv";
import { nowMs } from "./time";
import { startSpan } from "./tracer";

/** One model call in flight. Provider wrappers hold it from the request until the last chunk. */
export interface LlmSpan {
  /** Records the time to the first streamed chunk; only the first call counts. */
  firstChunk(): void;
  /** Ends the span with what is known of the call. Only the first call counts; later calls are ignored. */
  end(call: LlmCall): void;
  /** The answer is there but only the caller can read it: a flush ends the span with `endUnread` unless read by then. */
  awaitReader(endUnread: () => void): void;
  /** The caller started reading the answer: the flush waits for the span again. */
  readerArrived(): void;
}

const NOOP_LLM_SPAN: LlmSpan = { firstChunk() {}, end() {}, awaitReader() {}, readerArrived() {} };

/**
 * Starts a CLIENT span for a model call, in the current request scope (or `scopeHint`, the scope that was
 * current when the client was wrapped). Never throws.
 */
export function startLlmSpan(call: LlmCall, scopeHint?: RequestScope): LlmSpan {
  return safely("startLlmSpan", () => openLlmSpan(call, scopeHint), NOOP_LLM_SPAN);
}

function openLlmSpan(call: LlmCall, scopeHint: RequestScope | undefined): LlmSpan {
  const values = currentContext()?.values ?? {};
  const span = startSpan({ name: llmSpanName(call), kind: SpanKind.CLIENT, scopeHint });
  if (!span.isRecording()) return NOOP_LLM_SPAN;
  const startedAt = nowMs();
  let firstChunkAt: number | undefined;
  let ended = false;
  const llmSpan: LlmSpan = {
    firstChunk() {
      firstChunkAt ??= nowMs();
    },
    awaitReader(endUnread) {
      span.owner.awaitReader(span, endUnread);
    },
    readerArrived() {
      span.owner.readerArrived(span);
    },
    end(final) {
      if (ended) return;
      ended = true;
      const endedAt = nowMs();
      const timed =
        firstChunkAt !== undefined && final.timeToFirstChunk === undefined
          ? { ...final, timeToFirstChunk: (firstChunkAt - startedAt) / 1000 }
          : final;
      // Serializing the messages and hashing the conversation id wait for the flush, after the response.
      span.completeLater(async (complete) => {
        try {
          complete(await describeLlmCall(timed, span.owner.config, values));
        } catch (error) {
          warnOnce("describeLlmCall", `could not describe an LLM call: ${String(error)}`);
        }
      });
      span.end(endedAt);
    },
  };
  // A stream nobody finished is still described with what arrived, when the flush stops waiting for it.
  span.owner.setCloser(span, () => llmSpan.end(call));
  return llmSpan;
}
