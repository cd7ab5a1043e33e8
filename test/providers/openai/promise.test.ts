/**
 * Issue 4, item 3: a wrapped call returns the SDK's own APIPromise, sent eagerly, with `withResponse()`,
 * `asResponse()` (body unread) and the request id intact; a promise nobody awaits still ends its span, and
 * an unhandled rejection stays exactly one unhandled rejection of the same error.
 */
import { describe, expect, it } from "vitest";
import { capture, jsonAttribute, rawClient, tracedSession, wrappedClient } from "../../support/openai-harness";
import { OPENAI_SDKS } from "../../support/openai-sdks";
import { canWatchRejections, unhandledRejectionsDuring } from "../../support/unhandled-rejections";

const hi = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Hi" }] };
const ANSWER = "Hello! How can I help you today?";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(read: () => Promise<T[]>, count: number): Promise<T[]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const found = await read();
    if (found.length >= count) return found;
    await sleep(10);
  }
  throw new Error(`waited for ${count}, never came`);
}

describe.each(OPENAI_SDKS)("the APIPromise of %s", (_name, OpenAI, major) => {
  it("is the SDK's own promise class", async () => {
    tracedSession();
    const wrapped = wrappedClient(OpenAI).chat.completions.create(hi);
    const unwrapped = rawClient(OpenAI).chat.completions.create(hi);
    expect(Object.getPrototypeOf(wrapped)).toBe(Object.getPrototypeOf(unwrapped));
    expect(wrapped.constructor.name).toBe("APIPromise");
    await Promise.all([wrapped, unwrapped]);
  });

  it("sends the request before anyone awaits it", async () => {
    const session = tracedSession();
    const sent = capture();
    const promise = wrappedClient(OpenAI).chat.completions.create(hi, { headers: sent.headers });
    const requests = await waitFor(sent.requests, 1);
    expect(requests[0]?.path).toBe("/v1/chat/completions");
    expect((await promise).choices[0]?.message.content).toBe(ANSWER);
    await session.spans(1);
  });

  it("keeps withResponse() and the request id", async () => {
    const session = tracedSession();
    const { data, response, request_id } = await wrappedClient(OpenAI).chat.completions.create(hi).withResponse();
    expect(data.choices[0]?.message.content).toBe(ANSWER);
    expect(request_id).toMatch(/^req_mock_\d+$/);
    expect(response.headers.get("x-request-id")).toBe(request_id);
    expect((data as { _request_id?: unknown })._request_id).toBe(request_id);
    const completion = await wrappedClient(OpenAI).chat.completions.create(hi);
    expect(completion._request_id).toMatch(/^req_mock_\d+$/);
    await session.spans(2);
  });

  it("keeps asResponse() unread, and still ends the span with the answer", async () => {
    const session = tracedSession();
    const response = await wrappedClient(OpenAI).chat.completions.create(hi).asResponse();
    expect(response.bodyUsed).toBe(false);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toBe(ANSWER);
    const [span] = await session.spans(1);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      { role: "assistant", parts: [{ type: "text", content: ANSWER }], finish_reason: "stop" },
    ]);
  });

  it("ends the span of a promise nobody awaits, with the answer", async () => {
    const session = tracedSession();
    const sent = capture();
    void wrappedClient(OpenAI).chat.completions.create(hi, { headers: sent.headers });
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.usage.output_tokens"]).toBe(10);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toHaveLength(1);
    expect(await sent.requests()).toHaveLength(1);
  });

  it.skipIf(!canWatchRejections)("leaves an unhandled rejection unhandled: one, of the SDK's error", async () => {
    const session = tracedSession();
    let promise: Promise<unknown> | undefined;
    const reasons = await unhandledRejectionsDuring(async () => {
      promise = wrappedClient(OpenAI).chat.completions.create({ ...hi, model: "mock-error-500" });
    });
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toBeInstanceOf(OpenAI.InternalServerError);
    // Handling it late gives the very object that went unhandled.
    expect(await promise?.catch((error: unknown) => error)).toBe(reasons[0]);
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("ERROR");
  });

  it.skipIf(!canWatchRejections)("adds no unhandled rejection when the caller handles it", async () => {
    const session = tracedSession();
    const caught: unknown[] = [];
    const reasons = await unhandledRejectionsDuring(async () => {
      const client = wrappedClient(OpenAI);
      caught.push(await client.chat.completions.create({ ...hi, model: "mock-error-400" }).catch((e: unknown) => e));
      caught.push(
        await client.chat.completions
          .create({ ...hi, model: "mock-error-400" })
          .asResponse()
          .catch((e: unknown) => e),
      );
      const withResponse = client.chat.completions.create({ ...hi, model: "mock-error-400" }).withResponse();
      caught.push(await withResponse.catch((e: unknown) => e));
    });
    expect(reasons).toEqual([]);
    for (const error of caught) expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    await session.spans(3);
  });

  it.skipIf(!canWatchRejections)("adds no unhandled rejection to a helper whose failure is handled", async () => {
    const session = tracedSession();
    const caught: unknown[] = [];
    const reasons = await unhandledRejectionsDuring(async () => {
      const client = wrappedClient(OpenAI);
      const completions = major >= 6 ? client.chat.completions : (client as unknown as V4Beta).beta.chat.completions;
      const failing = { ...hi, model: "mock-error-400" };
      caught.push(await completions.parse(failing).catch((e: unknown) => e));
      caught.push(await client.responses.parse({ model: "mock-error-400", input: "Hi" }).catch((e: unknown) => e));
      caught.push(
        await completions
          .stream(failing)
          .finalChatCompletion()
          .catch((e: unknown) => e),
      );
    });
    expect(reasons).toEqual([]);
    for (const error of caught) expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    await session.spans(3);
  });

  it.skipIf(!canWatchRejections)(
    "matches the unwrapped SDK's unhandled rejections one for one, helpers included",
    async () => {
      const session = tracedSession();
      const failing = { ...hi, model: "mock-error-429" };
      const fireAndForget = (client: InstanceType<typeof OpenAI>) => async () => {
        const completions = major >= 6 ? client.chat.completions : (client as unknown as V4Beta).beta.chat.completions;
        void client.chat.completions.create(failing);
        await client.chat.completions.create(failing).catch(() => undefined);
        void completions.parse(failing);
        void client.responses.create({ model: "mock-error-429", input: "Hi" });
        completions.stream(failing);
      };
      const unwrapped = await unhandledRejectionsDuring(fireAndForget(rawClient(OpenAI)));
      const wrapped = await unhandledRejectionsDuring(fireAndForget(wrappedClient(OpenAI)));
      expect(unwrapped.length).toBeGreaterThanOrEqual(3);
      expect(wrapped.map(describeReason)).toEqual(unwrapped.map(describeReason));
      await session.spans(5);
    },
  );
});

function describeReason(reason: unknown): string {
  return reason instanceof Error ? `${reason.constructor.name}: ${reason.message}` : String(reason);
}

/** openai v4 keeps the chat helpers under `beta`. */
interface V4Beta {
  beta: { chat: { completions: InstanceType<(typeof OPENAI_SDKS)[0][1]>["chat"]["completions"] } };
}
