import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { wrap } from "../src/index";
import { rawClient, tracedSession } from "../test/support/openai-harness";
import { WEATHER_TOOL } from "../test/support/weather-tool";
import { allAttributeLines, keyAttributeLines } from "./span-attributes";

/** A real traced call to the mock OpenAI server, read back through the OTLP receiver. */
async function tracedCall(scenario: string) {
  const session = tracedSession();
  const openai = wrap(rawClient(OpenAI));
  await openai.chat.completions.create({
    model: `mock-${scenario}`,
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Weather in Paris?" },
    ],
    tools: [WEATHER_TOOL],
  });
  const [span] = await session.spans(1);
  if (!span) throw new Error("no span arrived");
  return span;
}

describe("what npm run demo prints under a span", () => {
  it("an LLM span: model, provider, tokens, every prompt, the answer's tool calls, the finish reason", async () => {
    const lines = keyAttributeLines((await tracedCall("tools")).attributes);
    expect(lines[0]).toMatch(/^model +mock-tools → \S+$/);
    expect(lines[1]).toMatch(/^provider +openai$/);
    expect(lines[2]).toMatch(/^tokens +\d+ in \/ \d+ out \/ \d+ total/);
    expect(lines).toContain("prompt    system: Be brief.");
    expect(lines).toContain("          user: Weather in Paris?");
    expect(lines.some((line) => /^tools +get_weather\(\{.*\}\)$/.test(line))).toBe(true);
    // The provider's own finish reason, as Moda's ingest reads it (llm.response.finish_reason).
    expect(lines.at(-1)).toMatch(/^finish +tool_calls$/);
  });

  it("a span that is not an LLM call gets no key lines", () => {
    expect(keyAttributeLines({ "http.request.method": "POST", "url.path": "/chat" })).toEqual([]);
  });

  it("--all: every attribute, by name, its value as sent (JSON)", async () => {
    const { attributes } = await tracedCall("text");
    const lines = allAttributeLines(attributes);
    expect(lines).toHaveLength(Object.keys(attributes).length);
    expect(lines).toContain('llm.prompts.1.content = "Weather in Paris?"');
    expect(lines).toContain('gen_ai.provider.name = "openai"');
    expect([...lines].sort()).toEqual(lines);
  });
});
