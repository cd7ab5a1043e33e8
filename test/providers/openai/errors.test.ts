/**
 * Issue 4, items 7 and 8: an APIError (4xx, 5xx, connection, timeout) is recorded with `error.type` and its
 * message, and reaches the caller as the SDK's own error; a streamed call records its time to first chunk.
 */
import { describe, expect, it } from "vitest";
import { tracedSession, wrappedClient } from "../../support/openai-harness";
import { OPENAI_SDKS } from "../../support/openai-sdks";
import { closedUrl } from "../../support/receiver-client";

/** v6 gives the error's headers as `Headers`, v4 as a plain record. */
function headerOf(headers: unknown, name: string): unknown {
  return headers instanceof Headers ? headers.get(name) : (headers as Record<string, unknown> | undefined)?.[name];
}

const ask = (model: string) => ({ model, messages: [{ role: "user" as const, content: "Hi" }] });

describe.each(OPENAI_SDKS)("errors of %s", (_name, OpenAI) => {
  it.each([
    [400, "BadRequestError", "invalid_value"],
    [401, "AuthenticationError", "invalid_api_key"],
    [404, "NotFoundError", "model_not_found"],
    [429, "RateLimitError", "rate_limit_exceeded"],
    [500, "InternalServerError", null],
    [503, "InternalServerError", null],
  ] as const)("HTTP %i is a %s, recorded and rethrown as the SDK's error", async (status, className, code) => {
    const session = tracedSession();
    const error = await wrappedClient(OpenAI)
      .chat.completions.create(ask(`mock-error-${status}`))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.constructor.name).toBe(className);
    expect(apiError.status).toBe(status);
    expect(apiError.code).toBe(code);
    expect(headerOf(apiError.headers, "x-request-id")).toMatch(/^req_mock_\d+$/);
    const [span] = await session.spans(1);
    expect(span?.status).toEqual({ code: "ERROR", message: apiError.message });
    expect(span?.attributes["error.type"]).toBe(className);
    expect(span?.attributes["gen_ai.output.messages"]).toBeUndefined();
  });

  it("records a connection failure as APIConnectionError", async () => {
    const session = tracedSession();
    const baseURL = `${new URL(await closedUrl()).origin}/v1`;
    const error = await wrappedClient(OpenAI, { baseURL })
      .chat.completions.create(ask("gpt-4o"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("ERROR");
    expect(span?.attributes["error.type"]).toBe("APIConnectionError");
  });

  it("records a timeout as APIConnectionTimeoutError", async () => {
    const session = tracedSession();
    const error = await wrappedClient(OpenAI, { timeout: 200 })
      .chat.completions.create(ask("mock-hang"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    const [span] = await session.spans(1);
    expect(span?.attributes["error.type"]).toBe("APIConnectionTimeoutError");
  });

  it("records an error of a streamed call before its first chunk", async () => {
    const session = tracedSession();
    const error = await wrappedClient(OpenAI)
      .chat.completions.create({ ...ask("mock-error-429"), stream: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const [span] = await session.spans(1);
    expect(span?.attributes).toMatchObject({ "error.type": "RateLimitError", "gen_ai.request.stream": true });
    expect(span?.attributes["gen_ai.response.time_to_first_chunk"]).toBeUndefined();
  });

  it("records errors of the other traced methods too", async () => {
    const session = tracedSession();
    const client = wrappedClient(OpenAI);
    const failures = await Promise.all([
      client.responses.create({ model: "mock-error-400", input: "Hi" }).catch((e: unknown) => e),
      client.completions.create({ model: "mock-error-401", prompt: "Hi" }).catch((e: unknown) => e),
      client.embeddings.create({ model: "mock-error-429", input: "Hi" }).catch((e: unknown) => e),
    ]);
    expect(failures.map((e) => (e as Error).constructor.name)).toEqual([
      "BadRequestError",
      "AuthenticationError",
      "RateLimitError",
    ]);
    const spans = await session.spans(3);
    expect(spans.map((span) => span.attributes["error.type"]).sort()).toEqual([
      "AuthenticationError",
      "BadRequestError",
      "RateLimitError",
    ]);
  });
});

describe.each(OPENAI_SDKS)("time to first chunk with %s", (_name, OpenAI) => {
  it("is the time from the call to the first chunk, not to the end", async () => {
    const session = tracedSession();
    const stream = await wrappedClient(OpenAI).chat.completions.create({ ...ask("mock-slow"), stream: true });
    let read = 0;
    for await (const _chunk of stream) if (++read === 6) break;
    const [span] = await session.spans(1);
    const ttfc = span?.attributes["gen_ai.response.time_to_first_chunk"] as number;
    const duration = Number(BigInt(span?.endTimeUnixNano ?? 0) - BigInt(span?.startTimeUnixNano ?? 0)) / 1e9;
    // The mock sends one frame every 40 ms: the first after ~40 ms, the sixth after ~240 ms.
    expect(ttfc).toBeGreaterThanOrEqual(0.03);
    expect(ttfc).toBeLessThan(duration - 0.1);
  });

  it("is absent from a call that was not streamed", async () => {
    const session = tracedSession();
    await wrappedClient(OpenAI).chat.completions.create(ask("gpt-4o"));
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.response.time_to_first_chunk"]).toBeUndefined();
  });
});
