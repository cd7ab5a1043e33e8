import { afterEach, describe, expect, it, vi } from "vitest";
import { conversationIdOf, hashConversationId, randomConversationId } from "../../src/semconv/conversation-id";
import type { InputMessage, LlmCall, Part } from "../../src/semconv/llm-call";

const text = (content: string): Part => ({ type: "text", content });
const message = (role: string, ...parts: Part[]): InputMessage => ({ role, parts });
const chat = (fields: Partial<LlmCall>): LlmCall => ({ provider: "openai", operation: "chat", request: {}, ...fields });

describe("conversation id, Moda's known answers", () => {
  it('[{"role":"user","content":"Hello!"}], no system → conv_bad7a5dbc215cc71', async () => {
    const id = await conversationIdOf(chat({ inputMessages: [message("user", text("Hello!"))] }));
    expect(id).toStrictEqual({ id: "conv_bad7a5dbc215cc71", explicit: false });
  });

  it('[{"role":"user","content":"What is 2+2?"}], system "You are a math tutor." → conv_b6dc79213293966d', async () => {
    const asParameter = chat({
      systemInstructions: [text("You are a math tutor.")],
      inputMessages: [message("user", text("What is 2+2?"))],
    });
    const asMessage = chat({
      inputMessages: [message("system", text("You are a math tutor.")), message("user", text("What is 2+2?"))],
    });
    expect((await conversationIdOf(asParameter)).id).toBe("conv_b6dc79213293966d");
    expect((await conversationIdOf(asMessage)).id).toBe("conv_b6dc79213293966d");
    expect(await hashConversationId("You are a math tutor.", "What is 2+2?")).toBe("conv_b6dc79213293966d");
  });
});

describe("conversation id, answers computed with Python's hashlib", () => {
  it("joins text parts with \\n and ignores images and empty text", async () => {
    const call = chat({
      systemInstructions: [text("Be brief."), text(""), text("Answer in French.")],
      inputMessages: [
        message(
          "user",
          text("Describe this picture"),
          { type: "uri", modality: "image", uri: "https://example.com/a.png" },
          text("please"),
        ),
      ],
    });
    expect((await conversationIdOf(call)).id).toBe("conv_98586e0ea5454054");
  });

  it("hashes non-ASCII text and quotes as JSON.stringify writes them", async () => {
    expect(await hashConversationId(null, 'Ünïcödé "quoted" \u2028 line')).toBe("conv_c1362a28e62d1a62");
  });
});

describe("which messages count", () => {
  it("takes the first user message, whatever comes before it", async () => {
    const later = chat({
      inputMessages: [
        message("assistant", text("How can I help?")),
        message("user", text("Hello!")),
        message("assistant", text("Hi!")),
        message("user", text("Another question")),
      ],
    });
    expect((await conversationIdOf(later)).id).toBe("conv_bad7a5dbc215cc71");
  });

  it("prefers the separate system parameter to a system message", async () => {
    const both = chat({
      systemInstructions: [text("You are a math tutor.")],
      inputMessages: [message("system", text("Something else")), message("user", text("What is 2+2?"))],
    });
    expect((await conversationIdOf(both)).id).toBe("conv_b6dc79213293966d");
  });

  it("stays the same as the conversation grows", async () => {
    const first = chat({ inputMessages: [message("user", text("What is 2+2?"))] });
    const grown = chat({
      inputMessages: [
        message("user", text("What is 2+2?")),
        message("assistant", text("4")),
        message("user", text("And 3+3?")),
      ],
    });
    expect((await conversationIdOf(grown)).id).toBe((await conversationIdOf(first)).id);
  });
});

describe("ids given explicitly", () => {
  it("uses the call's own id before the propagated one", async () => {
    const call = chat({ conversationId: "thread-1", inputMessages: [message("user", text("Hello!"))] });
    expect(await conversationIdOf(call, "from-context")).toStrictEqual({ id: "thread-1", explicit: true });
  });

  it("uses the propagated id when the call has none", async () => {
    const call = chat({ inputMessages: [message("user", text("Hello!"))] });
    expect(await conversationIdOf(call, "from-context")).toStrictEqual({ id: "from-context", explicit: true });
  });

  it("treats an empty id as no id", async () => {
    const call = chat({ conversationId: "", inputMessages: [message("user", text("Hello!"))] });
    expect(await conversationIdOf(call, "")).toStrictEqual({ id: "conv_bad7a5dbc215cc71", explicit: false });
  });
});

describe("no user message", () => {
  it("gives a fresh random conv_ id each time", async () => {
    const call = chat({ inputMessages: [message("system", text("You are a math tutor."))] });
    const [a, b] = await Promise.all([conversationIdOf(call), conversationIdOf(call)]);
    expect(a.id).toMatch(/^conv_[0-9a-f]{16}$/);
    expect(b.id).toMatch(/^conv_[0-9a-f]{16}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.explicit).toBe(false);
    expect(randomConversationId()).toMatch(/^conv_[0-9a-f]{16}$/);
  });
});

describe("seeds hashed lately are remembered", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Counts the digests, and a prefix no other test uses keeps its seeds out of what they remembered. */
  const digests = () => vi.spyOn(crypto.subtle, "digest");
  let unique = 0;
  const seed = (label: string) => `${label} ${++unique} ${Math.random()}`;

  it("hashes a conversation's seed once for all its calls", async () => {
    const digest = digests();
    const first = seed("first");
    const ids = await Promise.all([1, 2, 3].map(() => hashConversationId("Be brief.", first)));
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^conv_[0-9a-f]{16}$/);
    expect(digest).toHaveBeenCalledTimes(1);
    expect(await hashConversationId("Be brief.", seed("another"))).not.toBe(ids[0]);
    expect(digest).toHaveBeenCalledTimes(2);
  });

  it("still gives the known answer when the seed was remembered", async () => {
    expect(await hashConversationId("You are a math tutor.", "What is 2+2?")).toBe("conv_b6dc79213293966d");
    expect(await hashConversationId("You are a math tutor.", "What is 2+2?")).toBe("conv_b6dc79213293966d");
  });

  it("keeps the 32 seeds used last, and forgets the one unused longest", async () => {
    const kept = seed("kept");
    const dropped = seed("dropped");
    await hashConversationId(null, dropped);
    await hashConversationId(null, kept);
    for (let i = 0; i < 30; i++) await hashConversationId(null, seed("filler"));
    await hashConversationId(null, kept);
    await hashConversationId(null, seed("one more"));
    const digest = digests();
    await hashConversationId(null, kept);
    expect(digest).not.toHaveBeenCalled();
    await hashConversationId(null, dropped);
    expect(digest).toHaveBeenCalledTimes(1);
  });

  it("does not keep a seed larger than its character budget", async () => {
    const huge = `${seed("huge")}${"x".repeat(200_000)}`;
    const digest = digests();
    const id = await hashConversationId(null, huge);
    expect(await hashConversationId(null, huge)).toBe(id);
    expect(digest).toHaveBeenCalledTimes(2);
  });

  it("tries a seed again after its digest failed", async () => {
    const digest = digests().mockRejectedValueOnce(new Error("digest unavailable"));
    const flaky = seed("flaky");
    await expect(hashConversationId(null, flaky)).rejects.toThrow("digest unavailable");
    expect(await hashConversationId(null, flaky)).toMatch(/^conv_[0-9a-f]{16}$/);
    expect(digest).toHaveBeenCalledTimes(2);
  });
});
