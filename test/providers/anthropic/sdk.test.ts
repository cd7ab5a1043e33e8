/**
 * A wrapped Anthropic client keeps every promise the SDK makes: its APIPromise (eager, `withResponse()`,
 * `asResponse()` unread), its Stream (`controller`, `tee()`), its MessageStream (events, `finalMessage()`,
 * `abort()`), its errors (the same objects, handled or not), and its untraced methods. And every exit of a call
 * ends its span: success, HTTP error, mid-stream error, dropped connection, `break`, abort.
 */
import { describe, expect, it } from "vitest";
import { wrap } from "../../../src/index";
import {
  ANTHROPIC_SDKS,
  type AnthropicClient,
  anthropicCapture,
  ask,
  rawAnthropic,
  wrappedAnthropic,
} from "../../support/anthropic-harness";
import { durationMs, readAll, waitFor } from "../../support/call-helpers";
import {
  EARLIER_CALL,
  EARLIER_RESULT,
  itRoundTripsTheWeatherTool,
  WEATHER_QUESTION,
  WEATHER_TOOL,
} from "../../support/conformance/weather-tool";
import { jsonAttribute, tracedSession } from "../../support/openai-harness";
import { itLeavesAnUnhandledRejectionUnhandled } from "../../support/promise-contract";
import { itEndsTheSpanAsSoonAsTheCallerAbandonsTheStream } from "../../support/stream-contract";
import { canWatchRejections, unhandledRejectionsDuring } from "../../support/unhandled-rejections";

const TEXT = "Hello! How can I help you today?";

describe.each(ANTHROPIC_SDKS)("the APIPromise of %s", (_name, Anthropic) => {
  it("is the SDK's own promise, sent before anyone awaits it", async () => {
    const session = tracedSession();
    const sent = anthropicCapture();
    const wrapped = wrappedAnthropic(Anthropic).messages.create(ask("text"), { headers: sent.headers });
    const unwrapped = rawAnthropic(Anthropic).messages.create(ask("text"));
    expect(Object.getPrototypeOf(wrapped)).toBe(Object.getPrototypeOf(unwrapped));
    const requests = await waitFor(sent.requests, 1);
    expect(requests[0]?.path).toBe("/v1/messages");
    expect(requests[0]?.body).toEqual(ask("text"));
    expect((await wrapped).content).toEqual((await unwrapped).content);
    await session.spans(1);
  });

  it("keeps withResponse() and the request id", async () => {
    const session = tracedSession();
    const { data, response, request_id } = await wrappedAnthropic(Anthropic)
      .messages.create(ask("text"))
      .withResponse();
    expect(data.content).toEqual([{ type: "text", text: TEXT }]);
    expect(request_id).toMatch(/^req_mock_\d+$/);
    expect(response.headers.get("request-id")).toBe(request_id);
    expect((data as { _request_id?: string })._request_id).toBe(request_id);
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.response.id"]).toBe(data.id);
  });

  it("keeps asResponse() unread, and still ends the span with the answer", async () => {
    const session = tracedSession();
    const response = await wrappedAnthropic(Anthropic).messages.create(ask("text")).asResponse();
    expect(response.bodyUsed).toBe(false);
    const body = (await response.json()) as { content: { text: string }[] };
    expect(body.content[0]?.text).toBe(TEXT);
    const [span] = await session.spans(1);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      { role: "assistant", parts: [{ type: "text", content: TEXT }], finish_reason: "stop" },
    ]);
  });

  it("ends the span of a promise nobody awaits", async () => {
    const session = tracedSession();
    void wrappedAnthropic(Anthropic).messages.create(ask("cache"));
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.usage.output_tokens"]).toBe(14);
  });

  it("records a 529 and rethrows the SDK's own error", async () => {
    const session = tracedSession();
    const wrapped = wrappedAnthropic(Anthropic).messages.create(ask("overloaded"));
    const error = await wrapped.catch((e: unknown) => e);
    const unwrappedError = await rawAnthropic(Anthropic)
      .messages.create(ask("overloaded"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as Error).constructor).toBe((unwrappedError as Error).constructor);
    const withoutRequestId = (e: unknown) => (e as Error).message.replace(/req_mock_\d+/, "req");
    expect(withoutRequestId(error)).toBe(withoutRequestId(unwrappedError));
    expect((error as { status?: number }).status).toBe(529);
    // The same object every time the promise is read.
    expect(await wrapped.catch((e: unknown) => e)).toBe(error);
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("ERROR");
    // 1.x names a 529 `OverloadedError`; 0.x has no class of its own for it.
    expect(span?.attributes["error.type"]).toBe(Anthropic.OverloadedError ? "OverloadedError" : "InternalServerError");
    expect(span?.attributes["gen_ai.response.finish_reasons"]).toBeUndefined();
  });

  itLeavesAnUnhandledRejectionUnhandled(
    () => wrappedAnthropic(Anthropic).messages.create(ask("overloaded")),
    (reason) => expect(reason).toBeInstanceOf(Anthropic.APIError),
  );

  it("never changes the caller's params or options", async () => {
    const session = tracedSession();
    const params = Object.freeze({ ...ask("text"), messages: Object.freeze([Object.freeze(ask("text").messages[0])]) });
    const options = Object.freeze({ headers: Object.freeze({ "x-test": "1" }) });
    const before = JSON.stringify([params, options]);
    await wrappedAnthropic(Anthropic).messages.create(
      params as Parameters<AnthropicClient["messages"]["create"]>[0],
      options,
    );
    expect(JSON.stringify([params, options])).toBe(before);
    await session.spans(1);
  });

  it("records the conversation as the call sent it, though the caller goes on with it before the flush", async () => {
    const session = tracedSession();
    const messages: { role: "user" | "assistant"; content: string }[] = [{ role: "user", content: "Hi" }];
    const message = await wrappedAnthropic(Anthropic).messages.create({ ...ask("text"), messages });
    messages.push({ role: "assistant", content: message.content[0]?.type === "text" ? message.content[0].text : "" });
    const [span] = await session.spans(1);
    expect(jsonAttribute(span, "gen_ai.input.messages")).toEqual([
      { role: "user", parts: [{ type: "text", content: "Hi" }] },
    ]);
  });

  it("keeps a tracer failure away from the caller", async () => {
    const session = tracedSession();
    let reads = 0;
    const params = {
      ...ask("text"),
      // Throws on the first read only: the tracer reads it first, the SDK after.
      get system(): string {
        reads += 1;
        if (reads === 1) throw new Error("tracer-only failure");
        return "Be brief.";
      },
    };
    const message = await wrappedAnthropic(Anthropic).messages.create(params);
    expect(message.content[0]).toMatchObject({ type: "text", text: TEXT });
    expect(reads).toBeGreaterThan(1);
    // The call itself went through untraced; the next one is traced again.
    await wrappedAnthropic(Anthropic).messages.create(ask("text"));
    expect(await session.spans(1)).toHaveLength(1);
  });
});

describe.each(ANTHROPIC_SDKS)("the Stream of %s", (_name, Anthropic) => {
  it("is the SDK's own, with controller and tee(), and every event unchanged", async () => {
    const session = tracedSession();
    const stream = await wrappedAnthropic(Anthropic).messages.create({ ...ask("tools"), stream: true });
    const unwrapped = await rawAnthropic(Anthropic).messages.create({ ...ask("tools"), stream: true });
    expect(Object.getPrototypeOf(stream)).toBe(Object.getPrototypeOf(unwrapped));
    expect(stream.controller).toBeInstanceOf(AbortController);
    const [left, right] = stream.tee();
    const [a, b] = await Promise.all([readAll(left), readAll(right)]);
    const expected = await readAll(unwrapped);
    const withoutIds = (events: unknown[]) =>
      JSON.parse(JSON.stringify(events).replace(/msg_mock_\d+/g, "msg")) as unknown[];
    expect(withoutIds(a.events)).toEqual(withoutIds(expected.events));
    expect(b.events).toEqual(a.events);
    const [span] = await session.spans(1);
    // Seconds from the start of the span, so within its duration.
    const firstChunk = span?.attributes["gen_ai.response.time_to_first_chunk"];
    expect(firstChunk).toBeGreaterThan(0);
    expect(firstChunk).toBeLessThanOrEqual(durationMs(span) / 1000);
    expect(span?.attributes["gen_ai.usage.output_tokens"]).toBe(96);
  });

  it("records a stream that fails mid-way with an error event, and rethrows the SDK's error", async () => {
    const session = tracedSession();
    const wrapped = await readAll(
      await wrappedAnthropic(Anthropic).messages.create({ ...ask("stream-error"), stream: true }),
    );
    const unwrapped = await readAll(
      await rawAnthropic(Anthropic).messages.create({ ...ask("stream-error"), stream: true }),
    );
    expect(wrapped.error).toBeInstanceOf(Anthropic.APIError);
    expect((wrapped.error as Error).constructor).toBe((unwrapped.error as Error).constructor);
    expect(wrapped.events).toHaveLength(unwrapped.events.length);
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("ERROR");
    expect(span?.attributes["error.type"]).toBeDefined();
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      { role: "assistant", parts: [{ type: "text", content: "Partial answer " }], finish_reason: "error" },
    ]);
  });

  it("records a stream whose connection drops", async () => {
    const session = tracedSession();
    const wrapped = await readAll(
      await wrappedAnthropic(Anthropic).messages.create({ ...ask("stream-drop"), stream: true }),
    );
    const unwrapped = await readAll(
      await rawAnthropic(Anthropic).messages.create({ ...ask("stream-drop"), stream: true }),
    );
    expect(wrapped.error).toBeDefined();
    expect((wrapped.error as Error).constructor).toBe((unwrapped.error as Error).constructor);
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("ERROR");
    expect(span?.attributes["gen_ai.response.id"]).toMatch(/^msg_mock_/);
  });

  itEndsTheSpanAsSoonAsTheCallerAbandonsTheStream(
    () => wrappedAnthropic(Anthropic).messages.create({ ...ask("slow"), stream: true }),
    (event) => (event as { type: string }).type === "content_block_delta",
  );

  it("ends the span as cancelled when the caller aborts the stream's request", async () => {
    const session = tracedSession();
    const stream = await wrappedAnthropic(Anthropic).messages.create({ ...ask("slow"), stream: true });
    let text = "";
    // Aborted once "Partial answer " has arrived (message_start, content_block_start and two deltas): on an event.
    let seen = 0;
    for await (const event of stream) {
      if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
      if (++seen === 4) stream.controller.abort();
    }
    // The SDK ends a stream its caller aborted quietly: no error reaches the caller.
    expect(text.startsWith("Partial answer ")).toBe(true);
    const [span] = await session.spans(1);
    expect(durationMs(span)).toBeLessThan(2_000);
    expect(span?.status.code).toBe("UNSET");
    expect(span?.attributes["moda.stream.cancelled"]).toBe(true);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      { role: "assistant", parts: [{ type: "text", content: text }], finish_reason: "cancelled" },
    ]);
  });
});

describe.each(ANTHROPIC_SDKS)("the MessageStream of %s", (_name, Anthropic) => {
  it("keeps its events and finalMessage(), and makes one span", async () => {
    const session = tracedSession();
    const stream = wrappedAnthropic(Anthropic).messages.stream(ask("text"));
    expect(stream.constructor.name).toMatch(/MessageStream$/);
    let text = "";
    const seen: string[] = [];
    stream.on("text", (delta) => {
      text += delta;
    });
    stream.on("streamEvent", (event) => seen.push(event.type));
    const final = await stream.finalMessage();
    expect(text).toBe(TEXT);
    expect(final.content).toEqual([{ type: "text", text: TEXT }]);
    expect(seen[0]).toBe("message_start");
    expect(seen.at(-1)).toBe("message_stop");
    await stream.done();
    await session.spans(1);
    const spans = await session.sink.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0]?.attributes["gen_ai.response.id"]).toBe(final.id);
    expect(spans[0]?.attributes["gen_ai.request.stream"]).toBe(true);
  });

  it("keeps abort(): the caller sees the SDK's abort, and the span ends", async () => {
    const session = tracedSession();
    const stream = wrappedAnthropic(Anthropic).messages.stream(ask("slow"));
    const aborts: unknown[] = [];
    stream.on("abort", (error) => aborts.push(error));
    stream.on("text", () => {
      if (!stream.aborted) stream.abort();
    });
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIUserAbortError);
    expect(aborts).toEqual([error]);
    const [span] = await session.spans(1);
    expect(durationMs(span)).toBeLessThan(2_000);
  });

  it("hands its error to the caller's listener, and records it", async () => {
    const session = tracedSession();
    const errors: unknown[] = [];
    const stream = wrappedAnthropic(Anthropic).messages.stream(ask("overloaded"));
    stream.on("error", (error) => errors.push(error));
    await stream.done().catch(() => undefined);
    expect(errors).toHaveLength(1);
    expect((errors[0] as { status?: number }).status).toBe(529);
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("ERROR");
  });

  it.skipIf(!canWatchRejections)(
    "fails exactly as without the wrapper when nobody listens for its errors",
    async () => {
      const session = tracedSession();
      const unwrapped = await unhandledRejectionsDuring(async () => {
        rawAnthropic(Anthropic).messages.stream(ask("stream-error"));
      });
      const wrapped = await unhandledRejectionsDuring(async () => {
        wrappedAnthropic(Anthropic).messages.stream(ask("stream-error"));
      });
      expect(unwrapped).toHaveLength(1);
      expect(wrapped).toHaveLength(1);
      expect((wrapped[0] as Error).constructor).toBe((unwrapped[0] as Error).constructor);
      expect((wrapped[0] as Error).message).toBe((unwrapped[0] as Error).message);
      const [span] = await session.spans(1);
      expect(span?.status.code).toBe("ERROR");
    },
  );
});

describe.each(ANTHROPIC_SDKS)("tool use with %s", (_name, Anthropic) => {
  itRoundTripsTheWeatherTool({
    call: () =>
      wrappedAnthropic(Anthropic).messages.create({
        model: "mock-tools",
        max_tokens: 256,
        messages: [
          { role: "user", content: WEATHER_QUESTION },
          { role: "assistant", content: [{ type: "tool_use", ...EARLIER_CALL, input: EARLIER_CALL.arguments }] },
          { role: "user", content: [{ type: "tool_result", tool_use_id: EARLIER_CALL.id, content: EARLIER_RESULT }] },
        ],
        tools: [
          {
            name: WEATHER_TOOL.function.name,
            description: WEATHER_TOOL.function.description,
            input_schema: WEATHER_TOOL.function.parameters,
          },
        ],
      }),
    toolCalls: (answer) =>
      answer.content.flatMap((block) =>
        block.type === "tool_use" ? [{ id: block.id, name: block.name, arguments: block.input }] : [],
      ),
    finishReason: (answer) => String(answer.stop_reason),
  });
});

describe.each(ANTHROPIC_SDKS)("the client of %s", (_name, Anthropic) => {
  it("stays the SDK's client: instanceof, idempotent wrap, withOptions() wrapped", async () => {
    const session = tracedSession();
    const client = wrappedAnthropic(Anthropic);
    expect(client).toBeInstanceOf(Anthropic);
    expect(wrap(client)).toBe(client);
    expect(client.messages).toBe(client.messages);
    await client.withOptions({ timeout: 30_000 }).messages.create(ask("text"));
    await session.spans(1);
  });

  it("passes countTokens, models and batches through untraced", async () => {
    const session = tracedSession();
    const raw = rawAnthropic(Anthropic);
    const client = wrap(raw);
    expect(client.messages.batches).toBe(raw.messages.batches);
    const count = await client.messages.countTokens({ model: "claude-x", messages: [{ role: "user", content: "Hi" }] });
    expect(count.input_tokens).toBeGreaterThan(0);
    const models: string[] = [];
    for await (const model of client.models.list()) models.push(model.id);
    expect(models).toEqual(["claude-opus-5-5", "claude-sonnet-5-5"]);
    expect((await client.models.retrieve("claude-opus-5-5")).id).toBe("claude-opus-5-5");
    await client.messages.create(ask("text"));
    await session.spans(1);
    const spans = await session.sink.spans();
    expect(spans.map((span) => span.name)).toEqual(["chat mock-text"]);
  });
});
