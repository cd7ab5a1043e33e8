/**
 * The Proxy mechanics of `wrap()`, on the real OpenAI SDKs: identity, `instanceof`, idempotence, client
 * factories, pass-through of everything not traced, `#private` fields, and tracer failures kept away.
 */
import { describe, expect, it } from "vitest";
import { wrap } from "../../src/index";
import { capture, jsonAttribute, rawClient, tracedSession, wrappedClient } from "../support/openai-harness";
import { OPENAI_SDKS } from "../support/openai-sdks";

const hi = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Hi" }] };

describe("wrap() leaves what it does not know alone", () => {
  it("returns non-objects and unknown objects unchanged", () => {
    const plain = { chat: {} };
    const map = new Map();
    expect(wrap(null)).toBeNull();
    expect(wrap(undefined)).toBeUndefined();
    expect(wrap(42)).toBe(42);
    expect(wrap(plain)).toBe(plain);
    expect(wrap(map)).toBe(map);
  });
});

describe.each(OPENAI_SDKS)("wrap() on %s", (_name, OpenAI, major) => {
  it("keeps instanceof and is idempotent", () => {
    const client = rawClient(OpenAI);
    const wrapped = wrap(client);
    expect(wrapped).not.toBe(client);
    expect(wrapped).toBeInstanceOf(OpenAI);
    expect(wrapped.constructor).toBe(OpenAI);
    expect(wrapped.chat.completions.constructor).toBe(client.chat.completions.constructor);
    expect(wrap(wrapped)).toBe(wrapped);
    expect(wrap(client)).toBe(wrapped);
    expect(Object.keys(wrapped)).toEqual(Object.keys(client));
  });

  it("keeps property identity stable, and untraced resources are the SDK's own", () => {
    const client = rawClient(OpenAI);
    const wrapped = wrap(client);
    expect(wrapped.chat).toBe(wrapped.chat);
    expect(wrapped.chat.completions).toBe(wrapped.chat.completions);
    expect(wrapped.chat.completions.create).toBe(wrapped.chat.completions.create);
    expect(wrapped.responses.create).toBe(wrapped.responses.create);
    expect(wrapped.chat.completions).toBeInstanceOf(client.chat.completions.constructor);
    expect(wrapped.models).toBe(client.models);
    expect(wrapped.files).toBe(client.files);
  });

  it("passes models.list() and its pagination through untraced", async () => {
    const session = tracedSession();
    const wrapped = wrappedClient(OpenAI);
    const ids: string[] = [];
    for await (const model of wrapped.models.list()) ids.push(model.id);
    expect(ids).toEqual(["gpt-4o", "gpt-4o-mini"]);
    expect((await wrapped.models.retrieve("gpt-4o")).id).toBe("gpt-4o");
    await wrapped.chat.completions.create(hi);
    const spans = await session.spans(1);
    expect(spans.map((span) => span.name)).toEqual(["chat gpt-4o"]);
  });

  it("reads and writes through to the client, #private fields included", async () => {
    const session = tracedSession();
    const client = rawClient(OpenAI);
    const wrapped = wrap(client);
    wrapped.apiKey = "rotated-key";
    expect(client.apiKey).toBe("rotated-key");
    const sent = capture();
    await wrapped.chat.completions.create(hi, { headers: sent.headers });
    const [request] = await sent.requests();
    expect(request?.headers.authorization).toBe("Bearer rotated-key");
    // buildURL reads a #private member in v6.
    expect(String(wrapped.buildURL("/models", {}))).toBe(String(client.buildURL("/models", {})));
    await session.spans(1);
  });

  // openai v4 has no withOptions(); the v6 client does.
  it.skipIf(major < 6)("returns a wrapped client from withOptions()", async () => {
    const session = tracedSession();
    const wrapped = wrappedClient(OpenAI);
    const derived = wrapped.withOptions({ timeout: 5_000 });
    expect(derived).toBeInstanceOf(OpenAI);
    expect(wrap(derived)).toBe(derived);
    expect(derived.timeout).toBe(5_000);
    await derived.chat.completions.create(hi);
    const [span] = await session.spans(1);
    expect(span?.name).toBe("chat gpt-4o");
  });

  it("traces the SDK's inner calls once: parse() is one span, not two", async () => {
    const session = tracedSession();
    const wrapped = wrappedClient(OpenAI);
    const completions = major >= 6 ? wrapped.chat.completions : (wrapped as unknown as V4Beta).beta.chat.completions;
    const parsed = await completions.parse({ ...hi, model: "mock-json", response_format: { type: "json_object" } });
    expect(parsed.choices[0]?.message.parsed).toBeNull();
    await wrapped.embeddings.create({ model: "text-embedding-3-small", input: "marker" });
    const spans = await session.spans(2);
    expect(spans.map((span) => span.name).sort()).toEqual(["chat mock-json", "embeddings text-embedding-3-small"]);
  });

  it("keeps a tracer failure away from the caller", async () => {
    const session = tracedSession();
    const wrapped = wrappedClient(OpenAI);
    // The SDK serialises the message through toJSON; the tracer reads `role`, which throws.
    const hostile = {
      toJSON: () => ({ role: "user", content: "Hi" }),
      get role(): never {
        throw new Error("tracer tripped");
      },
    };
    const completion = await wrapped.chat.completions.create({ model: "gpt-4o", messages: [hostile as never] });
    expect(completion.choices[0]?.message.content).toBe("Hello! How can I help you today?");
    await wrapped.chat.completions.create(hi);
    // The request is read at the flush, after the response: the tripped call keeps its span and its answer,
    // without the request the tracer could not read; the next call is traced whole.
    const spans = await session.spans(2);
    expect(spans).toHaveLength(2);
    const [tripped, next] = spans.sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));
    expect(tripped?.attributes["gen_ai.input.messages"]).toBeUndefined();
    expect(jsonAttribute(tripped, "gen_ai.output.messages")).toEqual(jsonAttribute(next, "gen_ai.output.messages"));
    expect(jsonAttribute(next, "gen_ai.input.messages")).toEqual([
      { role: "user", parts: [{ type: "text", content: "Hi" }] },
    ]);
  });
});

/** openai v4 keeps the chat helpers under `beta`. */
interface V4Beta {
  beta: { chat: { completions: InstanceType<(typeof OPENAI_SDKS)[0][1]>["chat"]["completions"] } };
}
