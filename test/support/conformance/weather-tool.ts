/**
 * The weather tool round trip, one scenario every provider's suite runs against its real SDK and mock (issue 28,
 * item 6): the request offers the weather tool and holds an earlier turn in which the model called it (id
 * `call_1`, Paris) and its result; the mock answers with new calls of it. Each provider says only how its SDK
 * makes that call and how its answer reads (a `WeatherToolDriver`); what the span must say is checked here, the
 * same for all, in both attribute families: the tools offered, the earlier call and its result, the calls
 * answered (as the SDK gave them to the caller), and the finish reason (the conventions' and the provider's own).
 */
import { expect, it } from "vitest";
import { jsonAttribute, tracedSession } from "../openai-harness";
import type { DecodedSpan } from "../receiver-client";
import { WEATHER_TOOL, WEATHER_TOOL_DEFINITION } from "../weather-tool";

/** A tool call as the caller's answer holds it, arguments parsed. */
export interface AnsweredToolCall {
  id?: string;
  name: string;
  arguments: unknown;
}

export interface WeatherToolDriver<Answer> {
  /** Makes the round trip through a wrapped client; the answer the SDK gave the caller. */
  call(): Promise<Answer>;
  /** The tool calls in the answer, in order. */
  toolCalls(answer: Answer): AnsweredToolCall[];
  /** The answer's finish reason in the provider's own words. */
  finishReason(answer: Answer): string;
  /** Whether the provider's earlier tool call and its result carry ids (Ollama's do not). */
  ids?: boolean;
}

/** The earlier turn every driver sends, each in its SDK's words. */
export const EARLIER_CALL = { id: "call_1", name: "get_weather", arguments: { city: "Paris" } } as const;
export const EARLIER_RESULT = "21C, sunny";
export const WEATHER_QUESTION = "Weather in Paris and London?";
export { WEATHER_TOOL };

export function itRoundTripsTheWeatherTool<Answer>(driver: WeatherToolDriver<Answer>): void {
  it("the weather tool round trip: tools offered, an earlier call and its result, the calls answered", async () => {
    const session = tracedSession();
    const answer = await driver.call();
    const calls = driver.toolCalls(answer);
    expect(calls.length).toBeGreaterThan(0);
    const [span] = await session.spans(1);
    expectToolsOffered(span);
    expectEarlierTurn(span, driver.ids !== false);
    expectCallsAnswered(span, calls, driver.finishReason(answer));
  });
}

function expectToolsOffered(span: DecodedSpan | undefined): void {
  expect(jsonAttribute(span, "gen_ai.tool.definitions")).toEqual([WEATHER_TOOL_DEFINITION]);
  expect(span?.attributes).toMatchObject({
    "llm.request.functions.0.name": WEATHER_TOOL_DEFINITION.name,
    "llm.request.functions.0.description": WEATHER_TOOL_DEFINITION.description,
  });
  expect(jsonAttribute(span, "llm.request.functions.0.parameters")).toEqual(WEATHER_TOOL_DEFINITION.parameters);
}

/** The earlier call among the prompts (an assistant turn), and its result after it. */
function expectEarlierTurn(span: DecodedSpan | undefined, ids: boolean): void {
  const attributes = span?.attributes ?? {};
  const called = promptIndex(attributes, (n) => attributes[`llm.prompts.${n}.tool_calls.0.name`] === "get_weather");
  expect(attributes[`llm.prompts.${called}.role`]).toBe("assistant");
  expect(JSON.parse(String(attributes[`llm.prompts.${called}.tool_calls.0.arguments`]))).toEqual(
    EARLIER_CALL.arguments,
  );
  const answered = promptIndex(attributes, (n) =>
    String(attributes[`llm.prompts.${n}.content`]).includes(EARLIER_RESULT),
  );
  expect(answered).toBeGreaterThan(called);
  if (!ids) return;
  expect(attributes[`llm.prompts.${called}.tool_calls.0.id`]).toBe(EARLIER_CALL.id);
  expect(attributes[`llm.prompts.${answered}.tool_call_id`]).toBe(EARLIER_CALL.id);
}

function promptIndex(attributes: Record<string, unknown>, matches: (n: number) => boolean): number {
  for (let n = 0; `llm.prompts.${n}.role` in attributes; n++) if (matches(n)) return n;
  throw new Error("no such prompt");
}

/** The calls answered, as the caller got them, in both families; the finish reason in each family's words. */
function expectCallsAnswered(span: DecodedSpan | undefined, calls: AnsweredToolCall[], providerReason: string): void {
  const [output] = jsonAttribute(span, "gen_ai.output.messages") as { parts: { type: string }[] }[];
  expect(output?.parts.filter((part) => part.type === "tool_call")).toEqual(
    calls.map((call) => ({ type: "tool_call", ...call })),
  );
  expect(span?.attributes["gen_ai.response.finish_reasons"]).toEqual(["tool_call"]);
  const attributes = span?.attributes ?? {};
  const n = attributes["llm.completions.1.role"] === "assistant" ? 1 : 0;
  calls.forEach((call, i) => {
    const prefix = `llm.completions.${n}.tool_calls.${i}`;
    expect(attributes[`${prefix}.id`]).toBe(call.id);
    expect(attributes[`${prefix}.name`]).toBe(call.name);
    expect(JSON.parse(String(attributes[`${prefix}.arguments`]))).toEqual(call.arguments);
  });
  expect(attributes[`llm.completions.${n}.tool_calls.${calls.length}.name`]).toBeUndefined();
  expect(attributes["llm.response.finish_reason"]).toBe(providerReason);
  expect(attributes[`llm.completions.${n}.finish_reason`]).toBe(providerReason);
}
