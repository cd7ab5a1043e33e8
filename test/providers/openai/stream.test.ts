/**
 * Issue 4, item 4: a wrapped streamed call hands back the SDK's own Stream (controller, tee(),
 * toReadableStream(), withResponse(), every chunk unchanged); `break` ends the span as cancelled, an abort
 * or a mid-stream error ends it with error status; the streaming helpers' events and `final…()` keep working.
 */
import { describe, expect, it } from "vitest";
import { jsonAttribute, rawClient, tracedSession, wrappedClient } from "../../support/openai-harness";
import { OPENAI_SDKS } from "../../support/openai-sdks";
import type { DecodedSpan } from "../../support/receiver-client";

const ANSWER = "Hello! How can I help you today?";
const ask = (model = "gpt-4o") => ({
  model,
  messages: [{ role: "user" as const, content: "Hi" }],
  stream: true as const,
});

/** A chunk with the per-request fields (id) blanked, to compare two runs of the same scenario. */
function comparable(chunk: unknown): unknown {
  return { ...(chunk as object), id: "<id>" };
}

function outputText(span: DecodedSpan | undefined): string {
  const [message] = jsonAttribute(span, "gen_ai.output.messages") as { parts: { content?: string }[] }[];
  return (message?.parts ?? []).map((part) => part.content ?? "").join("");
}

describe.each(OPENAI_SDKS)("the Stream of %s", (_name, OpenAI, major) => {
  it("is the SDK's own object, with its controller, and every chunk unchanged", async () => {
    const session = tracedSession();
    const params = { ...ask(), stream_options: { include_usage: true } };
    const stream = await wrappedClient(OpenAI).chat.completions.create(params);
    const reference = await rawClient(OpenAI).chat.completions.create(params);
    expect(Object.getPrototypeOf(stream)).toBe(Object.getPrototypeOf(reference));
    expect(stream.constructor.name).toBe("Stream");
    expect(stream.controller).toBeInstanceOf(AbortController);
    const seen: unknown[] = [];
    const expected: unknown[] = [];
    for await (const chunk of stream) seen.push(comparable(chunk));
    for await (const chunk of reference) expected.push(comparable(chunk));
    expect(seen).toEqual(expected);
    expect(seen.length).toBeGreaterThan(5);
    const [span] = await session.spans(1);
    expect(outputText(span)).toBe(ANSWER);
  });

  it("tees into two full branches, traced once", async () => {
    const session = tracedSession();
    const [left, right] = (await wrappedClient(OpenAI).chat.completions.create(ask())).tee();
    const read = async (branch: typeof left) => {
      let text = "";
      for await (const chunk of branch) text += chunk.choices[0]?.delta.content ?? "";
      return text;
    };
    expect(await read(left)).toBe(ANSWER);
    expect(await read(right)).toBe(ANSWER);
    const spans = await session.spans(1);
    expect(spans).toHaveLength(1);
    expect(outputText(spans[0])).toBe(ANSWER);
  });

  it("converts to a ReadableStream of the same chunks", async () => {
    const session = tracedSession();
    const readable = (await wrappedClient(OpenAI).chat.completions.create(ask())).toReadableStream();
    const text = await new Response(readable).text();
    const chunks = text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { choices: { delta: { content?: string } }[] });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe(ANSWER);
    const [span] = await session.spans(1);
    expect(outputText(span)).toBe(ANSWER);
  });

  it("keeps withResponse() on a streamed call", async () => {
    const session = tracedSession();
    const { data, response, request_id } = await wrappedClient(OpenAI).chat.completions.create(ask()).withResponse();
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(request_id).toMatch(/^req_mock_\d+$/);
    let text = "";
    for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe(ANSWER);
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.response.id"]).toMatch(/^chatcmpl-mock\d+$/);
  });

  it("ends the span as cancelled on break, with what was read", async () => {
    const session = tracedSession();
    const stream = await wrappedClient(OpenAI).chat.completions.create(ask("mock-slow"));
    let read = 0;
    for await (const _chunk of stream) if (++read === 5) break;
    expect(stream.controller.signal.aborted).toBe(true);
    const [span] = await session.spans(1);
    expect(span?.attributes["moda.stream.cancelled"]).toBe(true);
    expect(span?.status.code).toBe("UNSET");
    expect(span?.attributes["error.type"]).toBeUndefined();
    expect(outputText(span)).toMatch(/^Hello/);
    expect(span?.attributes["gen_ai.response.finish_reasons"]).toEqual(["cancelled"]);
  });

  // openai v7 cancels a ReadableStream by aborting the request, then returning the iterator: a cancel all the same.
  it.each([
    ["a chat", (client: OpenAIClient) => client.chat.completions.create(ask("mock-slow"))],
    [
      "a Responses",
      (client: OpenAIClient) => client.responses.create({ model: "mock-slow", input: "Hi", stream: true }),
    ],
  ])("ends %s stream's span as cancelled when a ReadableStream reader cancels", async (_kind, create) => {
    const session = tracedSession();
    const stream = await create(wrappedClient(OpenAI));
    const reader = stream.toReadableStream().getReader();
    await reader.read();
    await reader.cancel();
    const [span] = await session.spans(1);
    expect(span?.attributes["moda.stream.cancelled"]).toBe(true);
    expect(span?.status.code).toBe("UNSET");
    expect(span?.attributes["error.type"]).toBeUndefined();
  });

  it("ends the span as cancelled when the caller aborts mid-stream", async () => {
    const session = tracedSession();
    const stream = await wrappedClient(OpenAI).chat.completions.create(ask("mock-slow"));
    let read = 0;
    for await (const _chunk of stream) if (++read === 3) stream.controller.abort();
    expect(read).toBeGreaterThanOrEqual(3);
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("UNSET");
    expect(span?.attributes["error.type"]).toBeUndefined();
    expect(span?.attributes["moda.stream.cancelled"]).toBe(true);
  });

  it("ends the span as cancelled when the caller aborts a stream before reading it", async () => {
    const session = tracedSession();
    const stream = await wrappedClient(OpenAI).chat.completions.create(ask("mock-slow"));
    stream.controller.abort();
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("UNSET");
    expect(span?.attributes["moda.stream.cancelled"]).toBe(true);
  });

  it("ends the span with error status when the caller aborts before the answer", async () => {
    const session = tracedSession();
    const controller = new AbortController();
    const promise = wrappedClient(OpenAI).chat.completions.create(ask("mock-hang"), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIUserAbortError);
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("ERROR");
    expect(span?.attributes["error.type"]).toBe("APIUserAbortError");
  });

  it.each(["stream-drop", "stream-error"])(
    "ends the span with error status on %s, rethrowing the same error",
    async (scenario) => {
      const session = tracedSession();
      const stream = await wrappedClient(OpenAI).chat.completions.create(ask(`mock-${scenario}`));
      let text = "";
      const error = await (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      const [span] = await session.spans(1);
      expect(span?.status.code).toBe("ERROR");
      const type = (error as Error).name !== "Error" ? (error as Error).name : (error as Error).constructor.name;
      expect(span?.attributes["error.type"]).toBe(type);
      expect(span?.status.message).toBe((error as Error).message);
      expect(outputText(span)).toBe(text);
      expect(span?.attributes["gen_ai.response.finish_reasons"]).toEqual(["error"]);
    },
  );

  it("keeps the chat streaming helper's events and final methods, one span per call", async () => {
    const session = tracedSession();
    const client = wrappedClient(OpenAI);
    const completions = major >= 6 ? client.chat.completions : (client as unknown as V4Beta).beta.chat.completions;
    const runner = completions.stream({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }] });
    const deltas: string[] = [];
    runner.on("content", (delta: string) => deltas.push(delta));
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe(ANSWER);
    expect(await runner.finalContent()).toBe(ANSWER);
    expect(deltas.join("")).toBe(ANSWER);
    const spans = await session.spans(1);
    expect(spans).toHaveLength(1);
    expect(spans[0]?.attributes["gen_ai.request.stream"]).toBe(true);
    expect(spans[0]?.attributes["gen_ai.usage.output_tokens"]).toBe(10);
    expect(outputText(spans[0])).toBe(ANSWER);
  });

  it("ends the helper's span as cancelled when the helper is aborted", async () => {
    const session = tracedSession();
    const client = wrappedClient(OpenAI);
    const completions = major >= 6 ? client.chat.completions : (client as unknown as V4Beta).beta.chat.completions;
    const runner = completions.stream({ model: "mock-slow", messages: [{ role: "user", content: "Hi" }] });
    let chunks = 0;
    runner.on("chunk", () => {
      if (++chunks === 3) runner.abort();
    });
    const error = await runner.finalChatCompletion().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIUserAbortError);
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("UNSET");
    expect(span?.attributes["moda.stream.cancelled"]).toBe(true);
  });

  it("keeps the Responses streaming helper's events and finalResponse()", async () => {
    const session = tracedSession();
    const runner = wrappedClient(OpenAI).responses.stream({ model: "gpt-4o", input: "Hi" });
    const deltas: string[] = [];
    runner.on("response.output_text.delta", (event: { delta: string }) => deltas.push(event.delta));
    const final = await runner.finalResponse();
    const [message] = final.output;
    expect(message?.type === "message" && message.content[0]?.type === "output_text" && message.content[0].text).toBe(
      ANSWER,
    );
    expect(deltas.join("")).toBe(ANSWER);
    const spans = await session.spans(1);
    expect(spans).toHaveLength(1);
    expect(outputText(spans[0])).toBe(ANSWER);
    expect(spans[0]?.attributes["gen_ai.usage.input_tokens"]).toBe(21);
  });

  it("hands back the Responses stream's events unchanged", async () => {
    const session = tracedSession();
    const params = { model: "mock-reasoning", input: "Hi", stream: true as const };
    const seen: unknown[] = [];
    const expected: unknown[] = [];
    for await (const event of await wrappedClient(OpenAI).responses.create(params)) seen.push(event);
    for await (const event of await rawClient(OpenAI).responses.create(params)) expected.push(event);
    const blankIds = (events: unknown[]) =>
      JSON.parse(JSON.stringify(events).replace(/resp_mock\d+/g, "<id>")) as unknown;
    expect(blankIds(seen)).toEqual(blankIds(expected));
    await session.spans(1);
  });
});

type OpenAIClient = InstanceType<(typeof OPENAI_SDKS)[0][1]>;

/** openai v4 keeps the chat helpers under `beta`. */
interface V4Beta {
  beta: { chat: { completions: OpenAIClient["chat"]["completions"] } };
}
