/**
 * A wrapped `@google/genai` client keeps what the SDK promises: its Promise (sent eagerly, settling with the same
 * value or the same error object, unhandled exactly when the caller leaves it unhandled), its async generator of
 * chunks (the same object, every chunk unchanged, `next()` by hand included), its client and untraced methods. And
 * every exit of a call ends its span: success, HTTP error, error chunk, dropped connection, `break`, abort.
 */
import { ApiError, GoogleGenAI } from "@google/genai";
import { describe, expect, inject, it } from "vitest";
import { wrap } from "../../../src/index";
import { durationMs, readAll, waitFor } from "../../support/call-helpers";
import { GEMINI_FIXTURES } from "../../support/google-fixtures";
import { googleCapture, rawGoogle, wrappedGoogle } from "../../support/google-harness";
import { jsonAttribute, tracedSession } from "../../support/openai-harness";
import {
  itAddsNoUnhandledRejectionWhenTheCallerHandlesTheError,
  itLeavesAnUnhandledRejectionUnhandled,
} from "../../support/promise-contract";
import { itEndsTheSpanAsSoonAsTheCallerAbandonsTheStream } from "../../support/stream-contract";

const ask = (scenario: string, text = "Hi") => ({ model: `mock-${scenario}`, contents: text });

/** A chunk without what differs from one request to the next (the response id, the Date header). */
function comparable(chunk: unknown): unknown {
  const { responseId: _id, sdkHttpResponse: _http, ...rest } = chunk as Record<string, unknown>;
  return rest;
}

function fixtureText(scenario: string): string {
  return (GEMINI_FIXTURES[scenario]?.candidates[0]?.content.parts ?? [])
    .map((part) => String(part.text ?? ""))
    .join("");
}

describe("the promise of models.generateContent", () => {
  it("is a plain Promise, sent before anyone awaits it", async () => {
    const session = tracedSession();
    const sent = googleCapture();
    const wrapped = wrappedGoogle().models.generateContent({
      ...ask("text"),
      config: { httpOptions: sent.httpOptions },
    });
    const unwrapped = rawGoogle().models.generateContent(ask("text"));
    expect(Object.getPrototypeOf(wrapped)).toBe(Object.getPrototypeOf(unwrapped));
    expect(Object.getPrototypeOf(wrapped)).toBe(Promise.prototype);
    const [request] = await waitFor(sent.requests, 1);
    expect(request?.path).toBe(`/${inject("geminiApiVersion")}/models/mock-text:generateContent`);
    expect((request?.body as { contents?: unknown } | undefined)?.contents).toEqual([
      { parts: [{ text: "Hi" }], role: "user" },
    ]);
    const [a, b] = await Promise.all([wrapped, unwrapped]);
    expect(a.constructor).toBe(b.constructor);
    expect(comparable(a)).toEqual(comparable(b));
    await session.spans(1);
  });

  it("ends the span of a promise nobody awaits", async () => {
    const session = tracedSession();
    void wrappedGoogle().models.generateContent(ask("cache"));
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.usage.cache_read.input_tokens"]).toBe(
      GEMINI_FIXTURES.cache?.usageMetadata.cachedContentTokenCount,
    );
  });

  it("records a 429 and rethrows the SDK's own error object", async () => {
    const session = tracedSession();
    const wrapped = wrappedGoogle().models.generateContent(ask("rate-limit"));
    const error = await wrapped.catch((e: unknown) => e);
    const unwrappedError = await rawGoogle()
      .models.generateContent(ask("rate-limit"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).constructor).toBe((unwrappedError as Error).constructor);
    expect((error as Error).message).toBe((unwrappedError as Error).message);
    expect((error as ApiError).status).toBe(429);
    expect(await wrapped.catch((e: unknown) => e)).toBe(error);
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("ERROR");
    expect(span?.attributes["error.type"]).toBe("ApiError");
    expect(span?.attributes["gen_ai.response.finish_reasons"]).toBeUndefined();
  });

  const rateLimited = () => wrappedGoogle().models.generateContent(ask("rate-limit"));
  const isApiError = (reason: unknown) => expect(reason).toBeInstanceOf(ApiError);
  itLeavesAnUnhandledRejectionUnhandled(rateLimited, isApiError);
  itAddsNoUnhandledRejectionWhenTheCallerHandlesTheError(rateLimited, isApiError);

  it("never changes the caller's params", async () => {
    const session = tracedSession();
    const params = {
      model: "mock-text",
      contents: [{ role: "user", parts: [{ text: "Hi" }] }],
      config: { temperature: 0.5, systemInstruction: "Be brief.", stopSequences: ["END"] },
    };
    const before = JSON.stringify(params);
    await wrappedGoogle().models.generateContent(params);
    expect(JSON.stringify(params)).toBe(before);
    await session.spans(1);
  });

  it("keeps a tracer failure away from the caller", async () => {
    const session = tracedSession();
    let reads = 0;
    const params = {
      model: "mock-text",
      contents: "Hi",
      // Throws on the first read only: the tracer reads it first, the SDK after.
      get config() {
        reads += 1;
        if (reads === 1) throw new Error("tracer-only failure");
        return { temperature: 0.5 };
      },
    };
    const response = await wrappedGoogle().models.generateContent(params);
    expect(response.text).toBe(fixtureText("text"));
    expect(reads).toBeGreaterThan(1);
    // The call itself went through untraced; the next one is traced again.
    await wrappedGoogle().models.generateContent(ask("text"));
    const spans = await session.spans(1);
    expect(spans).toHaveLength(1);
  });
});

describe("the stream of models.generateContentStream", () => {
  it("is the SDK's own async generator, with every chunk unchanged", async () => {
    const session = tracedSession();
    const stream = await wrappedGoogle().models.generateContentStream(ask("text"));
    const unwrapped = await rawGoogle().models.generateContentStream(ask("text"));
    expect(Object.getPrototypeOf(stream)).toBe(Object.getPrototypeOf(unwrapped));
    expect(Object.keys(stream)).toEqual(Object.keys(unwrapped));
    expect(stream[Symbol.asyncIterator]()).toBe(stream);
    const [wrappedRead, unwrappedRead] = await Promise.all([readAll(stream), readAll(unwrapped)]);
    expect(wrappedRead.events.map(comparable)).toEqual(unwrappedRead.events.map(comparable));
    expect(wrappedRead.events.length).toBeGreaterThan(2);
    const last = wrappedRead.events.at(-1);
    const [span] = await session.spans(1);
    expect(span?.attributes).toMatchObject({
      "gen_ai.request.stream": true,
      "llm.request.streaming": true,
      "gen_ai.response.id": last?.responseId,
      "gen_ai.response.model": last?.modelVersion,
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.usage.input_tokens": last?.usageMetadata?.promptTokenCount,
      "gen_ai.usage.output_tokens": last?.usageMetadata?.candidatesTokenCount,
    });
    expect(span?.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: [{ type: "text", content: wrappedRead.events.map((chunk) => chunk.text ?? "").join("") }],
        finish_reason: "stop",
      },
    ]);
  });

  it("gathers streamed function calls, thoughts and candidates", async () => {
    const session = tracedSession();
    const client = wrappedGoogle();
    for (const scenario of ["tools", "thinking", "candidates"]) {
      await readAll(await client.models.generateContentStream({ ...ask(scenario), config: { candidateCount: 2 } }));
    }
    const spans = await session.spans(3);
    const outputOf = (scenario: string) =>
      jsonAttribute(
        spans.find((span) => span.attributes["gen_ai.request.model"] === `mock-${scenario}`),
        "gen_ai.output.messages",
      );
    const [weather, time] = GEMINI_FIXTURES.tools?.candidates[0]?.content.parts ?? [];
    expect(outputOf("tools")).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "tool_call", id: "call_weather_1", name: "get_weather", ...argumentsOf(weather) },
          { type: "tool_call", name: "get_time", ...argumentsOf(time) },
        ],
        finish_reason: "tool_call",
      },
    ]);
    const [thought, answer] = GEMINI_FIXTURES.thinking?.candidates[0]?.content.parts ?? [];
    expect(outputOf("thinking")).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "reasoning", content: thought?.text },
          { type: "text", content: answer?.text },
        ],
        finish_reason: "stop",
      },
    ]);
    expect(outputOf("candidates")).toEqual(
      (GEMINI_FIXTURES.candidates?.candidates ?? []).map((candidate) => ({
        role: "assistant",
        parts: [{ type: "text", content: candidate.content.parts[0]?.text }],
        finish_reason: "stop",
      })),
    );
  });

  it("sees chunks pulled with next() by hand", async () => {
    const session = tracedSession();
    const stream = await wrappedGoogle().models.generateContentStream(ask("text"));
    let text = "";
    for (let step = await stream.next(); !step.done; step = await stream.next()) text += step.value.text ?? "";
    expect(text).toBe(fixtureText("text"));
    const [span] = await session.spans(1);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      { role: "assistant", parts: [{ type: "text", content: text }], finish_reason: "stop" },
    ]);
  });

  it("records an error chunk mid-stream, and rethrows the SDK's error", async () => {
    const session = tracedSession();
    const wrapped = await readAll(await wrappedGoogle().models.generateContentStream(ask("stream-error")));
    const unwrapped = await readAll(await rawGoogle().models.generateContentStream(ask("stream-error")));
    expect(wrapped.error).toBeInstanceOf(ApiError);
    expect((wrapped.error as ApiError).status).toBe(500);
    expect((wrapped.error as Error).message).toBe((unwrapped.error as Error).message);
    expect(wrapped.events).toHaveLength(unwrapped.events.length);
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("ERROR");
    expect(span?.attributes["error.type"]).toBe("ApiError");
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      { role: "assistant", parts: [{ type: "text", content: "Partial answer " }], finish_reason: "error" },
    ]);
  });

  it("records a stream whose connection drops", async () => {
    const session = tracedSession();
    const wrapped = await readAll(await wrappedGoogle().models.generateContentStream(ask("stream-drop")));
    const unwrapped = await readAll(await rawGoogle().models.generateContentStream(ask("stream-drop")));
    expect(wrapped.error).toBeDefined();
    expect((wrapped.error as Error).constructor).toBe((unwrapped.error as Error).constructor);
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("ERROR");
    expect(span?.attributes["gen_ai.response.id"]).toMatch(/^resp_mock_/);
  });

  it("records a stream that fails before its first chunk", async () => {
    const session = tracedSession();
    const error = await wrappedGoogle()
      .models.generateContentStream(ask("invalid"))
      .catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(400);
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("ERROR");
    expect(span?.attributes["gen_ai.request.stream"]).toBe(true);
  });

  itEndsTheSpanAsSoonAsTheCallerAbandonsTheStream(() => wrappedGoogle().models.generateContentStream(ask("slow")));

  it("ends the span as cancelled when the caller aborts the request mid-stream", async () => {
    const session = tracedSession();
    const controller = new AbortController();
    const stream = await wrappedGoogle().models.generateContentStream({
      ...ask("slow"),
      config: { abortSignal: controller.signal },
    });
    // Aborted on an event: once "Partial answer " has arrived.
    let seen = 0;
    const { error } = await readAll(
      (async function* () {
        for await (const chunk of stream) {
          yield chunk;
          if (++seen === 2) controller.abort();
        }
      })(),
    );
    expect((error as Error).name).toBe("AbortError");
    const [span] = await session.spans(1);
    expect(durationMs(span)).toBeLessThan(2_000);
    expect(span?.status.code).toBe("UNSET");
    expect(span?.attributes["moda.stream.cancelled"]).toBe(true);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toMatchObject([
      { role: "assistant", parts: [{ type: "text", content: expect.stringMatching(/^Partial answer /) }] },
    ]);
  });
});

describe("the client", () => {
  it("stays the SDK's client: instanceof, idempotent wrap, stable resources", async () => {
    const raw = rawGoogle();
    const client = wrap(raw);
    expect(client).toBeInstanceOf(GoogleGenAI);
    expect(wrap(client)).toBe(client);
    expect(client.models).toBe(client.models);
    expect(client.chats.create({ model: "mock-text" }).getHistory()).toEqual([]);
  });

  it("passes countTokens through untraced", async () => {
    const session = tracedSession();
    const client = wrappedGoogle();
    const counted = await client.models.countTokens(ask("text"));
    expect(counted.totalTokens).toBe(9);
    await client.models.generateContent(ask("text"));
    await session.spans(1);
    const spans = await session.sink.spans();
    expect(spans.map((span) => span.name)).toEqual(["generate_content mock-text"]);
  });
});

function argumentsOf(part: Record<string, unknown> | undefined): { arguments: unknown } {
  return { arguments: (part?.functionCall as { args?: unknown } | undefined)?.args };
}
