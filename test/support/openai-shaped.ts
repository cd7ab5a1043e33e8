/**
 * The suite every OpenAI-shaped SDK of its own (`groq-sdk`, `together-ai`) runs: its real client against the mock
 * OpenAI API, traced by the OpenAI normaliser under the SDK's own provider name, whatever its base URL.
 */
import { describe, expect, it } from "vitest";
import { wrap } from "../../src/index";
import { jsonAttribute, tracedSession } from "./openai-harness";
import {
  greetingAnswered,
  mockCapture,
  readAll,
  SYNTHESIZED_CONVERSATION,
  timeToFirstChunk,
  usageAttributes,
} from "./provider-spans";

/** The surface of an OpenAI-shaped client the suite uses. */
interface Completion {
  id: string;
  model: string;
  choices: {
    message: {
      content: string | null;
      tool_calls?: { id: string; function: { name: string; arguments: string } }[] | null;
    };
  }[];
  usage?: {
    prompt_tokens: number;
    completion_tokens: number;
    prompt_tokens_details?: { cached_tokens?: number } | null;
  };
}
interface Chunk {
  id: string;
  model: string;
  choices: { delta: { content?: string | null } }[];
}
type Params = Record<string, unknown> & { model: string; messages: { role: string; content: string }[] };
type ApiPromise<T> = Promise<T> & { withResponse(): Promise<{ data: T; response: Response }> };
export interface OpenAIShapedClient {
  chat: {
    completions: {
      create(
        params: Params & { stream?: false },
        options?: { headers?: Record<string, string> },
      ): ApiPromise<Completion>;
      create(params: Params & { stream: true }): ApiPromise<AsyncIterable<Chunk>>;
    };
  };
}

interface Sdk {
  name: string;
  provider: string;
  /** A client of the SDK on the mock. */
  client(): OpenAIShapedClient;
  /** The SDK's error class for HTTP errors. */
  APIError: abstract new (
    ...args: never[]
  ) => Error;
  /** The mock's base URL the SDK sends to. */
  mockUrl(): string;
}

const ask = (model: string) => ({ model, messages: [{ role: "user", content: "Hi" }] });

export function describeOpenAIShapedSdk(sdk: Sdk): void {
  const server = () => {
    const url = new URL(sdk.mockUrl());
    return { "server.address": url.hostname, "server.port": Number(url.port) };
  };

  describe(`${sdk.name}, traced as ${sdk.provider}`, () => {
    it("chat.completions.create: the provider's name, the request and the answer", async () => {
      const session = tracedSession();
      const sent = mockCapture(new URL(sdk.mockUrl()).origin);
      const completion = await wrap(sdk.client()).chat.completions.create(
        { ...ask("llama-3.3-70b"), temperature: 0.2, max_tokens: 64 },
        { headers: sent.headers },
      );
      const [captured] = await sent.requests();
      expect(captured?.body).toEqual({ ...ask("llama-3.3-70b"), temperature: 0.2, max_tokens: 64 });
      const content = completion.choices[0]?.message.content ?? "";
      const usage = completion.usage;
      const [span] = await session.spans(1);
      expect(span?.name).toBe("chat llama-3.3-70b");
      expect(span?.attributes).toEqual({
        ...server(),
        ...SYNTHESIZED_CONVERSATION,
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": sdk.provider,
        "gen_ai.request.model": "llama-3.3-70b",
        "gen_ai.request.temperature": 0.2,
        "gen_ai.request.max_tokens": 64,
        "gen_ai.request.stream": false,
        "gen_ai.response.id": completion.id,
        "gen_ai.response.model": completion.model,
        "gen_ai.response.finish_reasons": ["stop"],
        ...usageAttributes(
          usage?.prompt_tokens ?? -1,
          usage?.completion_tokens,
          usage?.prompt_tokens_details?.cached_tokens,
        ),
        "gen_ai.usage.reasoning.output_tokens": 0,
        "llm.usage.reasoning_tokens": 0,
        ...greetingAnswered(content),
        "llm.system": sdk.provider,
        "llm.vendor": sdk.provider,
        "llm.request.type": "chat",
        "llm.request.model": "llama-3.3-70b",
        "llm.request.max_tokens": 64,
        "llm.request.temperature": 0.2,
        "llm.request.streaming": false,
        "llm.response.model": completion.model,
      });
    });

    it("streamed: the chunks the unwrapped SDK gives, and the usage the stream carried", async () => {
      const session = tracedSession();
      const stream = await wrap(sdk.client()).chat.completions.create({ ...ask("mock-text"), stream: true });
      const unwrapped = await sdk.client().chat.completions.create({ ...ask("mock-text"), stream: true });
      expect(Object.getPrototypeOf(stream)).toBe(Object.getPrototypeOf(unwrapped));
      const { events } = await readAll(stream);
      const { events: unwrappedEvents } = await readAll(unwrapped);
      // The usage chunk the tracer asked for stays hidden: the caller sees what the unwrapped SDK gives.
      expect(events.map((chunk) => chunk.choices)).toEqual(unwrappedEvents.map((chunk) => chunk.choices));
      const text = events.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
      const [span] = await session.spans(1);
      expect(span?.attributes).toMatchObject({
        "gen_ai.provider.name": sdk.provider,
        "gen_ai.request.stream": true,
        "gen_ai.response.id": events[0]?.id,
        "gen_ai.response.finish_reasons": ["stop"],
        ...usageAttributes(19, 10, 6),
      });
      expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
        { role: "assistant", parts: [{ type: "text", content: text }], finish_reason: "stop" },
      ]);
      expect(timeToFirstChunk(span)).toBeGreaterThan(0);
    });

    it("tool calls, and withResponse() kept", async () => {
      const session = tracedSession();
      const { data, response } = await wrap(sdk.client())
        .chat.completions.create({
          ...ask("mock-tools"),
          tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }],
        })
        .withResponse();
      expect(response.headers.get("x-request-id")).toMatch(/^req_mock_\d+$/);
      const calls = (data.choices[0]?.message.tool_calls ?? []).map((call) => ({
        type: "tool_call",
        id: call.id,
        name: call.function.name,
        arguments: JSON.parse(call.function.arguments),
      }));
      expect(calls.length).toBeGreaterThan(0);
      const [span] = await session.spans(1);
      expect(span?.attributes["gen_ai.provider.name"]).toBe(sdk.provider);
      expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
        { role: "assistant", parts: calls, finish_reason: "tool_call" },
      ]);
    });

    it("an HTTP error: the SDK's own error object, the span in error", async () => {
      const session = tracedSession();
      const promise = wrap(sdk.client()).chat.completions.create(ask("mock-error-429"));
      const error = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.APIError);
      expect(await promise.catch((e: unknown) => e)).toBe(error);
      const [span] = await session.spans(1);
      expect(span?.status.code).toBe("ERROR");
      expect(span?.attributes).toMatchObject({
        "gen_ai.provider.name": sdk.provider,
        "error.type": "RateLimitError",
        "http.response.status_code": 429,
      });
    });
  });
}
