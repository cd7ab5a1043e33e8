/**
 * AI SDK 7 (`ai` 7 with its OpenTelemetry integration, `@ai-sdk/otel`, and its OpenAI and Anthropic providers)
 * against the mock providers, its spans read back from the receiver: `telemetry: modaTelemetry({ integration:
 * OpenTelemetry })`. Run by test/ai-sdk-7.test.ts in every runtime and by the Node suite with an
 * AsyncLocalStorage; where nesting depends on one, the expectation says both outcomes.
 */
import { createAnthropic } from "@ai-sdk/anthropic-v4";
import { createOpenAI } from "@ai-sdk/openai-v4";
import { OpenTelemetry } from "@ai-sdk/otel";
import { tool as aiTool, generateText, jsonSchema, type LanguageModel, stepCountIs, streamText } from "ai-v7";
import { describe, expect, inject, it } from "vitest";
import { hasAsyncContext } from "../../src/core/context";
import { agent, modaTelemetry, task, tool, withConversation, withUser, workflow } from "../../src/index";
import type { DecodedSpan } from "../support/receiver-client";
import { json, traceRequest } from "../support/trace-request";
import { WEATHER_TOOL } from "../support/weather-tool";

const openai = createOpenAI({ apiKey: "test-key", baseURL: `${inject("openaiUrl")}/v1` });
const anthropic = createAnthropic({ apiKey: "test-key", baseURL: `${inject("anthropicUrl")}/v1` });

/** The mocks answer this to a plain prompt (test/fixtures/*\/text). */
const MOCK_TEXT = "Hello! How can I help you today?";

const MODELS: [name: string, modelId: string, model: (id: string) => LanguageModel][] = [
  ["OpenAI (chat completions)", "gpt-4o", (id) => openai.chat(id)],
  ["OpenAI (responses)", "gpt-4o", (id) => openai.responses(id)],
  ["Anthropic", "claude-sonnet-4-5", (id) => anthropic(id)],
];

/** AI SDK 7's spans of one model call: the agent run, its step, and the model call. */
function aiSdkSpans(trace: { named(name: string): DecodedSpan }, modelId: string) {
  return {
    run: trace.named(`invoke_agent ${modelId}`),
    step: trace.named("step 1"),
    call: trace.named(`chat ${modelId}`),
  };
}

function outputText(span: DecodedSpan): string {
  const [message] = json(span.attributes["gen_ai.output.messages"]) as { parts: { content?: string }[] }[];
  return (message?.parts ?? []).map((part) => part.content ?? "").join("");
}

export function aiSdk7Suite(): void {
  describe.each(MODELS)("AI SDK 7 with %s", (_name, modelId, modelFor) => {
    const model = () => modelFor(modelId);

    it("puts generateText's spans under the task that called it", async () => {
      const ask = task("ask", () =>
        generateText({
          model: model(),
          prompt: "Hi",
          telemetry: modaTelemetry({ functionId: "greet", integration: OpenTelemetry }),
        }),
      );
      const trace = await traceRequest(5, () => ask());
      const { run, step, call } = aiSdkSpans(trace, modelId);
      expect(trace.result.text).toBe(MOCK_TEXT);
      expect(run.parentSpanId).toBe(trace.named("ask.task").spanId);
      expect(step.parentSpanId).toBe(run.spanId);
      expect(call.parentSpanId).toBe(step.spanId);
      expect(run.attributes["gen_ai.agent.name"]).toBe("greet");
      expect(call.attributes["gen_ai.request.model"]).toBe(modelId);
      expect(call.attributes["gen_ai.usage.input_tokens"]).toBe(trace.result.usage.inputTokens);
      expect(call.attributes["gen_ai.usage.output_tokens"]).toBe(trace.result.usage.outputTokens);
      expect(outputText(call)).toBe(MOCK_TEXT);
    });

    it("keeps streamText's spans open until the stream is read, under the task that called it", async () => {
      const stream = task("stream", async () => {
        const result = streamText({
          model: model(),
          prompt: "Hi",
          telemetry: modaTelemetry({ integration: OpenTelemetry }),
        });
        let text = "";
        for await (const chunk of result.textStream) text += chunk;
        return text;
      });
      const trace = await traceRequest(5, () => stream());
      const { run, call } = aiSdkSpans(trace, modelId);
      expect(trace.result).toBe(MOCK_TEXT);
      expect(run.parentSpanId).toBe(trace.named("stream.task").spanId);
      expect(outputText(call)).toBe(MOCK_TEXT);
      expect(BigInt(call.endTimeUnixNano)).toBeGreaterThan(BigInt(call.startTimeUnixNano));
    });
  });

  describe("AI SDK 7 in a multi-step agent run", () => {
    it("nests the steps, the tool call and the app's own tool span, ids and workflow name on each", async () => {
      const weather = tool("weather", async ({ city }: { city: string }) => ({ city, celsius: 21 }));
      const assistant = agent("assistant", (question: string) =>
        generateText({
          model: openai.chat("mock-agent"),
          prompt: question,
          tools: {
            get_weather: aiTool({
              description: WEATHER_TOOL.function.description,
              inputSchema: jsonSchema<{ city: string }>(WEATHER_TOOL.function.parameters),
              execute: weather,
            }),
          },
          stopWhen: stepCountIs(3),
          telemetry: modaTelemetry({ functionId: "trip-planner", integration: OpenTelemetry }),
        }),
      );
      const trip = workflow("trip", () => assistant("What is the weather in Paris?"));
      const trace = await traceRequest(10, () => withUser("u-1", () => withConversation("c-1", trip)));
      const agentSpan = trace.named("invoke_agent assistant");
      const run = trace.named("invoke_agent mock-agent");
      const steps = [trace.named("step 1"), trace.named("step 2")];
      const calls = trace.spans.filter((s) => s.name === "chat mock-agent");
      const toolCall = trace.named("execute_tool get_weather");
      const appTool = trace.named("execute_tool weather");

      expect(trace.result.text).toBe("It is 21 °C and sunny in Paris.");
      expect(agentSpan.parentSpanId).toBe(trace.named("invoke_workflow trip").spanId);
      expect(run.parentSpanId).toBe(agentSpan.spanId);
      for (const step of steps) expect(step.parentSpanId).toBe(run.spanId);
      expect(calls.map((call) => call.parentSpanId).sort()).toEqual(steps.map((step) => step.spanId).sort());
      expect(toolCall.parentSpanId).toBe(steps[0]?.spanId);
      // AI SDK 7 runs a tool outside its own spans' context: the app's span nests under what was current where
      // the AI SDK was called (with an AsyncLocalStorage), or under the request.
      expect(appTool.parentSpanId).toBe(hasAsyncContext() ? agentSpan.spanId : trace.root.spanId);
      for (const span of [run, ...steps, ...calls, toolCall]) {
        expect(span.attributes).toMatchObject({
          "moda.conversation_id": "c-1",
          "moda.user_id": "u-1",
          "traceloop.workflow.name": "trip",
        });
      }
      expect(run.attributes["gen_ai.agent.name"]).toBe("trip-planner");
      expect(json(appTool.attributes["gen_ai.tool.call.arguments"])).toEqual({ city: "Paris" });
      expect(json(appTool.attributes["gen_ai.tool.call.result"])).toEqual({ city: "Paris", celsius: 21 });
    });
  });

  describe("AI SDK 7's telemetry settings", () => {
    it("turns prompt and completion recording off when content capture is off", async () => {
      const ask = task("quiet", () =>
        generateText({
          model: openai.chat("gpt-4o"),
          prompt: "secret prompt",
          telemetry: modaTelemetry({ integration: OpenTelemetry }),
        }),
      );
      const trace = await traceRequest(5, () => ask(), { env: { MODA_TRACE_CONTENT: "false" } });
      expect(trace.result.text).toBe(MOCK_TEXT);
      const text = JSON.stringify(trace.spans);
      expect(text).not.toContain("secret prompt");
      expect(text).not.toContain(MOCK_TEXT);
    });

    it("carries one integration, made with the settings' tracer", () => {
      const made: unknown[] = [];
      class Recording {
        constructor(options: { tracer: unknown }) {
          made.push(options.tracer);
        }
      }
      const settings = modaTelemetry({ integration: Recording });
      expect(settings.integrations).toHaveLength(1);
      expect(settings.integrations?.[0]).toBeInstanceOf(Recording);
      expect(made).toEqual([settings.tracer]);
      expect(modaTelemetry().integrations).toBeUndefined();
    });

    it("names the mistake when given an instance instead of the class", () => {
      const instance = new OpenTelemetry() as unknown as typeof OpenTelemetry;
      expect(() => modaTelemetry({ integration: instance })).toThrow(
        new TypeError(
          "moda-edge: modaTelemetry() expects `integration` to be a class (OpenTelemetry from @ai-sdk/otel, not an instance of it), got object",
        ),
      );
    });
  });
}
