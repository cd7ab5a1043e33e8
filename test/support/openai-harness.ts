/** What the OpenAI wrapper tests share: a traced session per test, wrapped clients, the mock's captures. */
import { inject } from "vitest";
import { flush, init, type ModaOptions, wrap } from "../../src/index";
import type { OpenAIClass } from "./openai-sdks";
import { mockCapture } from "./provider-spans";
import { type DecodedSpan, newSink, type Sink } from "./receiver-client";

export const openaiBaseURL = () => `${inject("openaiUrl")}/v1`;

export interface TracedSession {
  sink: Sink;
  /** Flushes, then waits for `count` spans at the receiver. */
  spans(count: number): Promise<DecodedSpan[]>;
}

/** Sends this test's spans to a sink of its own. */
export function tracedSession(options: ModaOptions = {}): TracedSession {
  const sink = newSink();
  init({ apiKey: "test-key", baseUrl: sink.url, spanWaitMs: 5_000, ...options });
  return {
    sink,
    async spans(count) {
      await flush();
      return sink.waitForSpans(count);
    },
  };
}

type ClientOptions = NonNullable<ConstructorParameters<OpenAIClass>[0]>;

export function rawClient(OpenAI: OpenAIClass, options: ClientOptions = {}): InstanceType<OpenAIClass> {
  return new OpenAI({ apiKey: "test-key", baseURL: openaiBaseURL(), maxRetries: 0, ...options });
}

export function wrappedClient(OpenAI: OpenAIClass, options: ClientOptions = {}): InstanceType<OpenAIClass> {
  return wrap(rawClient(OpenAI, options));
}

/** A fresh capture id, and a way to read back what the SDK sent with it. */
export const capture = () => mockCapture(inject("openaiUrl"));

/** A JSON-string attribute, parsed. */
export function jsonAttribute(span: DecodedSpan | undefined, name: string): unknown {
  const value = span?.attributes[name];
  if (typeof value !== "string") throw new Error(`span ${span?.name} has no string attribute ${name}`);
  return JSON.parse(value) as unknown;
}
