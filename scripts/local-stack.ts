/**
 * What the examples need to run with no account and no network: the mock OpenAI and Anthropic servers and
 * the local OTLP receiver from test/support, on 127.0.0.1. Shared by `npm run demo` and the example tests.
 */
import { groupByTrace } from "../cli/view/trace-tree";
import { startMockAnthropic } from "../test/support/mock-anthropic";
import { startMockOpenAI } from "../test/support/mock-openai";
import { startOtlpReceiver } from "../test/support/otlp-receiver";
import type { DecodedSpan, ReceivedRequest } from "../test/support/otlp-types";

export interface LocalStack {
  openaiUrl: string;
  anthropicUrl: string;
  receiverUrl: string;
  /** A fresh place at the receiver for one app's spans. */
  newSink(): LocalSink;
  close(): Promise<void>;
}

export interface LocalSink {
  /** The traces URL to hand the app as `MODA_BASE_URL`. */
  tracesUrl: string;
  spans(): Promise<DecodedSpan[]>;
  /** The export requests received so far: content type and encoding, bytes, spans. */
  requests(): Promise<ReceivedRequest[]>;
  /** Forgets the spans received so far. */
  reset(): Promise<void>;
  /**
   * Polls until `traceCount` whole traces have arrived: each with its root span and the parent of every other
   * span (a request's spans go out in one export, its root span last to end).
   */
  waitForTraces(traceCount: number, options?: { timeoutMs?: number }): Promise<DecodedSpan[]>;
}

export async function startLocalStack(): Promise<LocalStack> {
  const servers = await Promise.all([startOtlpReceiver(), startMockOpenAI(), startMockAnthropic()]);
  const [receiver, openai, anthropic] = servers;
  return {
    openaiUrl: openai.url,
    anthropicUrl: anthropic.url,
    receiverUrl: receiver.url,
    newSink: () => sinkAt(`${receiver.url}/${crypto.randomUUID()}`),
    close: async () => {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}

/** The env an app needs to use the local stack: provider base URLs, a Moda key, the sink's traces URL. */
export function localStackEnv(stack: LocalStack, sink: LocalSink): Record<string, string> {
  return {
    OPENAI_API_KEY: "sk-local-mock",
    OPENAI_BASE_URL: `${stack.openaiUrl}/v1`,
    ANTHROPIC_API_KEY: "sk-ant-local-mock",
    ANTHROPIC_BASE_URL: stack.anthropicUrl,
    MODA_API_KEY: "moda-local-demo",
    MODA_BASE_URL: sink.tracesUrl,
  };
}

const POLL_MS = 50;

/** How many traces among `spans` have a root span and every other span's parent. */
function wholeTraces(spans: readonly DecodedSpan[]): number {
  return groupByTrace(spans).filter((trace) => {
    const ids = new Set(trace.map((span) => span.spanId));
    const hasRoot = trace.some((span) => span.parentSpanId === "");
    return hasRoot && trace.every((span) => span.parentSpanId === "" || ids.has(span.parentSpanId));
  }).length;
}

function sinkAt(base: string): LocalSink {
  const getJson = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${base}/${path}`);
    if (!response.ok) throw new Error(`receiver answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  const spans = () => getJson<DecodedSpan[]>("spans");
  return {
    tracesUrl: `${base}/v1/traces`,
    spans,
    requests: () => getJson<ReceivedRequest[]>("requests"),
    async reset() {
      const response = await fetch(base, { method: "DELETE" });
      if (!response.ok) throw new Error(`receiver answered ${response.status} to DELETE`);
    },
    async waitForTraces(traceCount, { timeoutMs = 30_000 } = {}) {
      const giveUpAt = Date.now() + timeoutMs;
      for (;;) {
        const received = await spans();
        const whole = wholeTraces(received);
        if (whole >= traceCount) return received;
        if (Date.now() >= giveUpAt)
          throw new Error(`expected ${traceCount} whole trace(s), got ${whole} of ${received.length} span(s)`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    },
  };
}
