/**
 * Issue 9, Ollama: the SDK's Node entry (`ollama`), traced like `ollama/browser`. It imports `node:fs` and
 * `node:path`, so on Cloudflare it needs those modules (workerd here provides them); `ollama/browser` needs none.
 */

/**
 * Issue 9, Ollama: the SDK's Node entry (`ollama`), traced like `ollama/browser`. It imports `node:fs` and
 * `node:path`, so on Cloudflare it needs those modules (workerd here provides them); `ollama/browser` needs none.
 */
import defaultInstance, { Ollama } from "ollama";
import { describe, expect, inject, it } from "vitest";
import { wrap } from "../../../src/index";
import { OLLAMA_TEXT } from "../../support/mock-ollama";
import { jsonAttribute, tracedSession } from "../../support/openai-harness";

describe("the `ollama` Node entry", () => {
  it("is traced: its Ollama class, streamed and not, and its default instance", async () => {
    const session = tracedSession();
    const client = wrap(new Ollama({ host: inject("ollamaUrl") }));
    expect(client).toBeInstanceOf(Ollama);
    expect(wrap(defaultInstance)).not.toBe(defaultInstance);
    const response = await client.chat({ model: "llama3.2", messages: [{ role: "user", content: "Hi" }] });
    const stream = await client.generate({ model: "llama3.2", prompt: "Hi", stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.response;
    expect(response.message.content).toBe(OLLAMA_TEXT);
    expect(text).toBe(OLLAMA_TEXT);
    const spans = await session.spans(2);
    for (const span of spans) {
      expect(span.attributes["gen_ai.provider.name"]).toBe("ollama");
      expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
        { role: "assistant", parts: [{ type: "text", content: OLLAMA_TEXT }], finish_reason: "stop" },
      ]);
    }
    expect(spans.map((span) => span.name).sort()).toEqual(["chat llama3.2", "text_completion llama3.2"]);
  });
});
