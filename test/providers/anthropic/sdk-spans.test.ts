/**
 * `@anthropic-ai/sdk` (0.134 and later) makes spans of its own when a tracer provider is registered or given.
 * A call through a wrapped client must still be one LLM span: the wrapper's, with the SDK's turned off for it.
 * The SDK's spans are sent to moda-edge's own tracer here, so both kinds arrive at the same receiver.
 */
import { type TracerProvider, trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { modaTracer } from "../../../src/index";
import { ANTHROPIC_SDKS, ask, rawAnthropic, wrappedAnthropic } from "../../support/anthropic-harness";
import { tracedSession } from "../../support/openai-harness";

const modaProvider: TracerProvider = { getTracer: () => modaTracer() };

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _event of stream) {
    // read to the end
  }
}

describe.each(ANTHROPIC_SDKS)("wrap(%s) with the SDK's own tracing on", (_name, Anthropic) => {
  const options = { openTelemetry: { tracerProvider: modaProvider } };

  it("the unwrapped client makes its own span (so the SDK's tracing is really on)", async () => {
    const session = tracedSession();
    await rawAnthropic(Anthropic, options).messages.create(ask("text"));
    const spans = await session.spans(1);
    expect(spans.map((span) => span.name)).toEqual(["anthropic.messages.create"]);
  });

  it("makes one LLM span per call: create, streamed create, stream(), parse()", async () => {
    const session = tracedSession();
    const client = wrappedAnthropic(Anthropic, options);
    await client.messages.create(ask("text"));
    await drain(await client.messages.create({ ...ask("tools"), stream: true }));
    await client.messages.stream(ask("thinking")).finalMessage();
    await client.messages.parse(ask("cache"));
    await client.beta.messages.stream(ask("text")).done();
    await session.spans(5);
    const spans = await session.sink.spans();
    expect(spans.map((span) => span.name).sort()).toEqual([
      "chat mock-cache",
      "chat mock-text",
      "chat mock-text",
      "chat mock-thinking",
      "chat mock-tools",
    ]);
  });

  it("keeps the SDK's spans of the calls it does not trace", async () => {
    const session = tracedSession();
    const client = wrappedAnthropic(Anthropic, options);
    await client.messages.countTokens({ model: "claude-x", messages: [{ role: "user", content: "Hi" }] });
    const spans = await session.spans(1);
    expect(spans.map((span) => span.name)).toEqual(["anthropic.messages.count_tokens"]);
  });

  it("makes one LLM span when the provider is registered globally", async () => {
    const session = tracedSession();
    trace.setGlobalTracerProvider(modaProvider);
    try {
      await rawAnthropic(Anthropic).messages.create(ask("text"));
      await wrappedAnthropic(Anthropic).messages.create(ask("tools"));
    } finally {
      trace.disable();
    }
    await session.spans(2);
    const spans = await session.sink.spans();
    expect(spans.map((span) => span.name).sort()).toEqual(["anthropic.messages.create", "chat mock-tools"]);
  });

  it("leaves the options alone when the SDK's tracing is off", async () => {
    const session = tracedSession();
    const client = wrappedAnthropic(Anthropic, { openTelemetry: false });
    await client.messages.create(ask("text"));
    expect((await session.spans(1)).map((span) => span.name)).toEqual(["chat mock-text"]);
  });
});
