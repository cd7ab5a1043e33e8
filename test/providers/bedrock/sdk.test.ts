/**
 * A wrapped `BedrockRuntimeClient` keeps what the SDK promises: `send()`'s Promise (sent eagerly, settling with the
 * same output or the same error object, unhandled exactly when the caller leaves it unhandled), the output's own
 * event stream (every event unchanged), its client, configuration and untraced commands. And every exit of a call ends
 * its span: success, HTTP error, a stream exception, a dropped connection, `break`, abort.
 */
import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  type ConverseStreamOutput,
  CountTokensCommand,
  InvokeModelWithResponseStreamCommand,
  ModelStreamErrorException,
  ThrottlingException,
} from "@aws-sdk/client-bedrock-runtime";
import { describe, expect, it } from "vitest";
import { wrap } from "../../../src/index";
import { CONVERSE_FIXTURES } from "../../support/bedrock-fixtures";
import { bedrockCapture, jsonBody, rawBedrock, userText, wrappedBedrock } from "../../support/bedrock-harness";
import { durationMs, readAll, waitFor } from "../../support/call-helpers";
import { jsonAttribute, tracedSession } from "../../support/openai-harness";
import {
  itAddsNoUnhandledRejectionWhenTheCallerHandlesTheError,
  itLeavesAnUnhandledRejectionUnhandled,
} from "../../support/promise-contract";
import { itEndsTheSpanAsSoonAsTheCallerAbandonsTheStream } from "../../support/stream-contract";

const ask = (scenario: string): ConverseCommandInput => ({
  modelId: `anthropic.claude-mock-${scenario}`,
  messages: [userText("Hi")],
});

/** An output without what differs from one request to the next (the request id). */
function comparable(output: unknown): unknown {
  const { $metadata: _metadata, ...rest } = output as Record<string, unknown>;
  return rest;
}

describe("the promise of send()", () => {
  it("is a plain Promise, sent before anyone awaits it", async () => {
    const session = tracedSession();
    const raw = rawBedrock();
    const sent = bedrockCapture(raw);
    const wrapped = wrap(raw).send(new ConverseCommand(ask("text")));
    const unwrapped = rawBedrock().send(new ConverseCommand(ask("text")));
    expect(Object.getPrototypeOf(wrapped)).toBe(Promise.prototype);
    expect(Object.getPrototypeOf(wrapped)).toBe(Object.getPrototypeOf(unwrapped));
    const [request] = await waitFor(sent.requests, 1);
    expect(request?.path).toBe("/model/anthropic.claude-mock-text/converse");
    const [a, b] = await Promise.all([wrapped, unwrapped]);
    expect(comparable(a)).toEqual(comparable(b));
    expect(a.$metadata.httpStatusCode).toBe(200);
    await session.spans(1);
  });

  it("ends the span of a promise nobody awaits", async () => {
    const session = tracedSession();
    void wrappedBedrock().send(new ConverseCommand(ask("cache")));
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.usage.cache_read.input_tokens"]).toBe(
      CONVERSE_FIXTURES.cache?.usage.cacheReadInputTokens,
    );
  });

  it("records a throttling error and rethrows the SDK's own error object", async () => {
    const session = tracedSession();
    const wrapped = wrappedBedrock().send(new ConverseCommand(ask("throttle")));
    const error = await wrapped.catch((e: unknown) => e);
    const unwrappedError = await rawBedrock()
      .send(new ConverseCommand(ask("throttle")))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottlingException);
    expect((error as Error).constructor).toBe((unwrappedError as Error).constructor);
    expect((error as Error).message).toBe((unwrappedError as Error).message);
    expect((error as ThrottlingException).$metadata.httpStatusCode).toBe(429);
    expect(await wrapped.catch((e: unknown) => e)).toBe(error);
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("ERROR");
    expect(span?.attributes["error.type"]).toBe("ThrottlingException");
    expect(span?.attributes["gen_ai.response.finish_reasons"]).toBeUndefined();
  });

  const denied = () => wrappedBedrock().send(new ConverseCommand(ask("denied")));
  const isAccessDenied = (reason: unknown) => expect((reason as Error).name).toBe("AccessDeniedException");
  itLeavesAnUnhandledRejectionUnhandled(denied, isAccessDenied);
  itAddsNoUnhandledRejectionWhenTheCallerHandlesTheError(denied, isAccessDenied);

  it("never changes the caller's command or its input", async () => {
    const session = tracedSession();
    const input: ConverseCommandInput = {
      ...ask("text"),
      system: [{ text: "Be brief." }, { cachePoint: { type: "default" } }],
      inferenceConfig: { maxTokens: 20 },
    };
    const before = JSON.stringify(input);
    const command = new ConverseCommand(input);
    await wrappedBedrock().send(command);
    expect(JSON.stringify(input)).toBe(before);
    expect(command.input).toBe(input);
    await session.spans(1);
  });

  it("keeps a tracer failure away from the caller", async () => {
    const session = tracedSession();
    let reads = 0;
    const input = {
      modelId: "anthropic.claude-mock-text",
      // Throws on the first read only: the tracer reads it first, the SDK after.
      get messages() {
        reads += 1;
        if (reads === 1) throw new Error("tracer-only failure");
        return [userText("Hi")];
      },
    };
    const output = await wrappedBedrock().send(new ConverseCommand(input));
    expect(output.output?.message?.content?.[0]?.text).toBe(CONVERSE_FIXTURES.text?.content[0]?.text);
    expect(reads).toBeGreaterThan(1);
    await wrappedBedrock().send(new ConverseCommand(ask("text")));
    expect(await session.spans(1)).toHaveLength(1);
  });
});

describe("the event stream of a streamed command", () => {
  it("is the SDK's own, with every event unchanged", async () => {
    const session = tracedSession();
    const wrapped = await wrappedBedrock().send(new ConverseStreamCommand(ask("tools")));
    const unwrapped = await rawBedrock().send(new ConverseStreamCommand(ask("tools")));
    expect(Object.getPrototypeOf(wrapped.stream)).toBe(Object.getPrototypeOf(unwrapped.stream));
    expect(Reflect.ownKeys(wrapped.stream as object)).toEqual(Reflect.ownKeys(unwrapped.stream as object));
    const [a, b] = await Promise.all([
      readAll(wrapped.stream as AsyncIterable<ConverseStreamOutput>),
      readAll(unwrapped.stream as AsyncIterable<ConverseStreamOutput>),
    ]);
    expect(a.events).toEqual(b.events);
    await session.spans(1);
  });

  it("records an exception mid-stream, and rethrows the SDK's error", async () => {
    const session = tracedSession();
    const read = async (client: BedrockRuntimeClient) =>
      readAll((await client.send(new ConverseStreamCommand(ask("stream-error")))).stream as AsyncIterable<unknown>);
    const wrapped = await read(wrappedBedrock());
    const unwrapped = await read(rawBedrock());
    expect(wrapped.error).toBeInstanceOf(ModelStreamErrorException);
    expect((wrapped.error as Error).message).toBe((unwrapped.error as Error).message);
    expect(wrapped.events).toEqual(unwrapped.events);
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("ERROR");
    expect(span?.attributes["error.type"]).toBe("ModelStreamErrorException");
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      { role: "assistant", parts: [{ type: "text", content: "Partial answer " }], finish_reason: "error" },
    ]);
  });

  it("records an InvokeModel stream whose connection drops", async () => {
    const session = tracedSession();
    const read = async (client: BedrockRuntimeClient) => {
      const command = new InvokeModelWithResponseStreamCommand({
        modelId: "meta.llama3-mock-stream-drop",
        body: jsonBody({ prompt: "Hi" }),
      });
      return readAll((await client.send(command)).body as AsyncIterable<unknown>);
    };
    const wrapped = await read(wrappedBedrock());
    const unwrapped = await read(rawBedrock());
    expect(wrapped.error).toBeDefined();
    expect((wrapped.error as Error).constructor).toBe((unwrapped.error as Error).constructor);
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("ERROR");
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      { role: "assistant", parts: [{ type: "text", content: "Partial answer " }], finish_reason: "error" },
    ]);
  });

  it("records a streamed command refused before its first event", async () => {
    const session = tracedSession();
    const error = await wrappedBedrock()
      .send(new ConverseStreamCommand(ask("invalid")))
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe("ValidationException");
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("ERROR");
    expect(span?.attributes["gen_ai.request.stream"]).toBe(true);
  });

  itEndsTheSpanAsSoonAsTheCallerAbandonsTheStream(
    async () => (await wrappedBedrock().send(new ConverseStreamCommand(ask("slow")))).stream as AsyncIterable<unknown>,
  );

  it("ends the span as cancelled when the caller aborts the request mid-stream", async () => {
    const session = tracedSession();
    const controller = new AbortController();
    const output = await wrappedBedrock().send(new ConverseStreamCommand(ask("slow")), {
      abortSignal: controller.signal,
    });
    // Aborted on an event. The SDK ends an aborted stream quietly in Node and the edge runtime; in workerd it keeps
    // streaming.
    let seen = 0;
    for await (const _event of output.stream as AsyncIterable<unknown>) {
      if (controller.signal.aborted) break;
      if (++seen === 2) controller.abort();
    }
    const [span] = await session.spans(1);
    expect(durationMs(span)).toBeLessThan(2_000);
    expect(span?.status.code).toBe("UNSET");
    expect(span?.attributes["error.type"]).toBeUndefined();
    expect(span?.attributes["moda.stream.cancelled"]).toBe(true);
  });
});

describe("the client", () => {
  it("stays the SDK's client: instanceof, idempotent wrap, its own config", () => {
    const raw = rawBedrock();
    const client = wrap(raw);
    expect(client).toBeInstanceOf(BedrockRuntimeClient);
    expect(wrap(client)).toBe(client);
    expect(client.config).toBe(raw.config);
    expect(client.middlewareStack).toBe(raw.middlewareStack);
    client.destroy();
  });

  it("passes other commands, and the callback form of send, through untraced", async () => {
    const session = tracedSession();
    const client = wrappedBedrock();
    const counted = await client.send(
      new CountTokensCommand({
        modelId: "anthropic.claude-mock-text",
        input: { converse: { messages: [userText("Hi")] } },
      }),
    );
    expect(counted.inputTokens).toBe(7);
    const viaCallback = await new Promise((resolve, reject) =>
      client.send(new ConverseCommand(ask("text")), (error, output) => (error ? reject(error) : resolve(output))),
    );
    expect(comparable(viaCallback)).toMatchObject({ stopReason: "end_turn" });
    await client.send(new ConverseCommand(ask("max-tokens")));
    await session.spans(1);
    const spans = await session.sink.spans();
    expect(spans.map((span) => span.name)).toEqual(["chat anthropic.claude-mock-max-tokens"]);
  });
});
