/**
 * The SDK's tool runner (`beta.messages.toolRunner`) is observed, not driven: the runner and its tool calls stay
 * the SDK's, and in 0.x each model call it makes is one span. 1.x runs it over a message thread, which the wrapper
 * leaves untraced (its streamed turns are parsed outside the APIPromise the tracer observes).
 */
import { describe, expect, it } from "vitest";
import { flush } from "../../../src/index";
import { ANTHROPIC_SDKS, ask, wrappedAnthropic } from "../../support/anthropic-harness";
import { tracedSession } from "../../support/openai-harness";

function weatherTool(runs: unknown[]) {
  return {
    type: "custom" as const,
    name: "get_weather",
    description: "Current weather in a city",
    input_schema: { type: "object" as const, properties: { location: { type: "string" } } },
    run: async (input: unknown) => {
      runs.push(input);
      return "18°C and sunny";
    },
    parse: (input: unknown) => input,
  };
}

describe.each(ANTHROPIC_SDKS)("the tool runner of %s", (name, Anthropic) => {
  const tracesRunner = name.endsWith("0.x");

  it.each([false, true])(
    "runs as without the wrapper, one span per model call where traced (stream: %s)",
    async (stream) => {
      const session = tracedSession();
      const runs: unknown[] = [];
      const runner = wrappedAnthropic(Anthropic).beta.messages.toolRunner({
        ...ask("agent"),
        tools: [weatherTool(runs)],
        max_iterations: 4,
        stream,
      } as never);
      const final = await runner.runUntilDone();
      expect(runs).toEqual([{ location: "Paris" }]);
      expect(final.content).toEqual([{ type: "text", text: "Hello! How can I help you today?" }]);
      await flush();
      const spans = await session.sink.spans();
      if (!tracesRunner) {
        expect(spans).toEqual([]);
        return;
      }
      expect(spans.map((span) => span.attributes["gen_ai.response.finish_reasons"])).toEqual([["tool_call"], ["stop"]]);
      const lastInput = JSON.parse(String(spans[1]?.attributes["gen_ai.input.messages"])) as { parts: unknown[] }[];
      expect(lastInput.at(-1)?.parts).toEqual([
        { type: "tool_call_response", id: "toolu_agent_1", response: "18°C and sunny" },
      ]);
    },
  );
});
