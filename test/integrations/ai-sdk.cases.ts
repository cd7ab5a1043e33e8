/**
 * The Vercel AI SDK (`ai` and its OpenAI and Anthropic providers) against the mock providers, its spans read
 * back from the receiver. Run by test/integrations/ai-sdk.test.ts in every runtime and by the Node suite with an
 * AsyncLocalStorage; where nesting depends on one, the expectation says both outcomes.
 */
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { tool as aiTool, generateText, jsonSchema, type LanguageModel, stepCountIs, streamText } from "ai";
import { describe, expect, inject, it } from "vitest";
import { hasAsyncContext } from "../../src/core/context";
import { agent, modaTelemetry, modaTracer, task, tool, withConversation, withUser, workflow } from "../../src/index";
import type { DecodedSpan } from "../support/receiver-client";
import { json, traceRequest } from "../support/trace-request";
import { WEATHER_TOOL } from "../support/weather-tool";

const openai = createOpenAI({ apiKey: "test-key", baseURL: `${inject("openaiUrl")}/v1` });
const anthropic = createAnthropic({ apiKey: "test-key", baseURL: `${inject("anthropicUrl")}/v1` });

/** The mocks answer this to a plain prompt (test/fixtures/*\/text). */
const MOCK_TEXT = "Hello! How can I help you today?";

/** With an AsyncLocalStorage, the AI SDK's own nesting; without one, the span current where it was called. */
function aiSdkChildParent(aiSdkParent: DecodedSpan, callSite: DecodedSpan): string {
  return (hasAsyncContext() ? aiSdkParent : callSite).spanId;
}

const MODELS: [name: string, modelId: string, model: (id: string) => LanguageModel][] = [
  ["OpenAI (chat completions)", "gpt-4o", (id) => openai.chat(id)],
  ["OpenAI (responses)", "gpt-4o", (id) => openai.responses(id)],
  ["Anthropic", "claude-sonnet-4-5", (id) => anthropic(id)],
];

async function streamedText(model: LanguageModel): Promise<string> {
  const result = streamText({ model, prompt: "Hi", experimental_telemetry: modaTelemetry() });
  let text = "";
  for await (const chunk of result.textStream) text += chunk;
  return text;
}

export function aiSdkSuite(): void {
  describe.each(MODELS)("the Vercel AI SDK with %s", (_name, modelId, modelFor) => {
    const model = () => modelFor(modelId);
    it("puts generateText's spans under the task that called it", async () => {
      const ask = task("ask", () =>
        generateText({ model: model(), prompt: "Hi", experimental_telemetry: modaTelemetry({ functionId: "greet" }) }),
      );
      const trace = await traceRequest(4, () => ask());
      const caller = trace.named("ask.task");
      const outer = trace.named("ai.generateText");
      const call = trace.named("ai.generateText.doGenerate");
      expect(trace.result.text).toBe(MOCK_TEXT);
      expect(outer.parentSpanId).toBe(caller.spanId);
      expect(call.parentSpanId).toBe(aiSdkChildParent(outer, caller));
      expect(outer.attributes).toMatchObject({ "ai.telemetry.functionId": "greet", "ai.response.text": MOCK_TEXT });
      expect(call.attributes["gen_ai.request.model"]).toBe(modelId);
      expect(call.attributes["gen_ai.usage.input_tokens"]).toBe(trace.result.usage.inputTokens);
      expect(call.attributes["gen_ai.usage.output_tokens"]).toBe(trace.result.usage.outputTokens);
    });

    it("keeps streamText's spans open until the stream is read, under the task that called it", async () => {
      const stream = task("stream", () => streamedText(model()));
      const trace = await traceRequest(4, () => stream());
      const caller = trace.named("stream.task");
      const outer = trace.named("ai.streamText");
      const call = trace.named("ai.streamText.doStream");
      expect(trace.result).toBe(MOCK_TEXT);
      expect(outer.parentSpanId).toBe(caller.spanId);
      expect(call.parentSpanId).toBe(aiSdkChildParent(outer, caller));
      expect(outer.attributes["ai.response.text"]).toBe(MOCK_TEXT);
      expect(call.attributes["ai.response.msToFirstChunk"]).toBeGreaterThan(0);
    });
  });

  describe("the Vercel AI SDK in a multi-step agent run", () => {
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
          experimental_telemetry: modaTelemetry({ functionId: "trip-planner", metadata: { release: "r7" } }),
        }),
      );
      const trip = workflow("trip", () => assistant("What is the weather in Paris?"));
      const trace = await traceRequest(8, () => withUser("u-1", () => withConversation("c-1", trip)));
      const root = trace.root;
      const flow = trace.named("invoke_workflow trip");
      const agentSpan = trace.named("invoke_agent assistant");
      const outer = trace.named("ai.generateText");
      const steps = trace.spans.filter((s) => s.name === "ai.generateText.doGenerate");
      const toolCall = trace.named("ai.toolCall");
      const appTool = trace.named("execute_tool weather");

      expect(trace.result.text).toBe("It is 21 °C and sunny in Paris.");
      expect(trace.result.steps).toHaveLength(2);
      expect(agentSpan.parentSpanId).toBe(flow.spanId);
      expect(outer.parentSpanId).toBe(agentSpan.spanId);
      expect(steps).toHaveLength(2);
      for (const step of steps) expect(step.parentSpanId).toBe(aiSdkChildParent(outer, agentSpan));
      expect(toolCall.parentSpanId).toBe(aiSdkChildParent(outer, agentSpan));
      expect(appTool.parentSpanId).toBe(hasAsyncContext() ? toolCall.spanId : root.spanId);
      const [first, second] = [...steps].sort((a, b) =>
        BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1,
      );
      expect(first?.attributes["ai.response.finishReason"]).toBe("tool-calls");
      expect(second?.attributes["ai.response.finishReason"]).toBe("stop");

      for (const span of [outer, ...steps, toolCall]) {
        expect(span.attributes).toMatchObject({
          "moda.conversation_id": "c-1",
          "moda.user_id": "u-1",
          "traceloop.workflow.name": "trip",
          "ai.telemetry.functionId": "trip-planner",
          "ai.telemetry.metadata.moda.conversation_id": "c-1",
          "ai.telemetry.metadata.moda.user_id": "u-1",
          "ai.telemetry.metadata.release": "r7",
        });
      }
      expect(appTool.attributes).toMatchObject({
        "gen_ai.tool.name": "weather",
        "gen_ai.tool.call.id": "call_agent_1",
      });
      expect(json(appTool.attributes["gen_ai.tool.call.arguments"])).toEqual({ city: "Paris" });
      expect(json(appTool.attributes["gen_ai.tool.call.result"])).toEqual({ city: "Paris", celsius: 21 });
    });
  });

  describe("the AI SDK's telemetry settings", () => {
    it("turns prompt and completion recording off when content capture is off", async () => {
      const ask = task("quiet", () =>
        generateText({
          model: openai.chat("gpt-4o"),
          prompt: "secret prompt",
          experimental_telemetry: modaTelemetry(),
        }),
      );
      const trace = await traceRequest(4, () => ask(), { env: { MODA_TRACE_CONTENT: "false" } });
      expect(trace.result.text).toBe(MOCK_TEXT);
      const text = JSON.stringify(trace.spans);
      expect(text).not.toContain("secret prompt");
      expect(text).not.toContain(MOCK_TEXT);
    });

    it("works as a bare tracer too: experimental_telemetry: { isEnabled: true, tracer: modaTracer() }", async () => {
      const trace = await traceRequest(3, () =>
        generateText({
          model: openai.chat("gpt-4o"),
          prompt: "Hi",
          experimental_telemetry: { isEnabled: true, tracer: modaTracer() },
        }),
      );
      const outer = trace.named("ai.generateText");
      expect(outer.parentSpanId).toBe(trace.root.spanId);
      expect(trace.named("ai.generateText.doGenerate").parentSpanId).toBe(aiSdkChildParent(outer, trace.root));
    });

    it("passes functionId, metadata and recording choices through, ids from the context added", () => {
      const settings = withUser("u-9", () =>
        modaTelemetry({ functionId: "f", metadata: { release: "r1" }, recordInputs: false }),
      );
      expect(settings).toMatchObject({
        isEnabled: true,
        functionId: "f",
        recordInputs: false,
        metadata: { release: "r1", "moda.user_id": "u-9" },
      });
      expect(settings.recordOutputs).toBeUndefined();
      expect(typeof settings.tracer.startActiveSpan).toBe("function");
    });
  });
}
