/**
 * Issue 26, Workers AI: workerd's own AI binding (`env.AI`, the `Ai` class of `cloudflare-internal:ai-api`), its
 * service mocked (test/support/mock-workers-ai.ts; vitest.config.ts points miniflare's AI binding at it), wrapped
 * with `wrap()`; each decoded span checked against what the mock answered, and what the caller gets against what
 * the bare binding gives.
 */
import { env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { wrap, wrapWorkersAI } from "../../src/index";
import {
  AI_GATEWAY_LOG_ID,
  WORKERS_AI_REQUEST_ID,
  WORKERS_AI_TEXT,
  WORKERS_AI_USAGE,
} from "../../test/support/mock-workers-ai";
import { jsonAttribute, tracedSession } from "../../test/support/openai-harness";
import { SYNTHESIZED_CONVERSATION, usageAttributes } from "../../test/support/provider-spans";

interface AiBinding {
  run(model: string, inputs: Record<string, unknown>, options?: Record<string, unknown>): Promise<unknown>;
  gateway(id: string): { run(data: unknown): Promise<Response>; getUrl(provider?: string): Promise<string> };
  lastRequestId: string | null;
  aiGatewayLogId: string | null;
}

const binding = () => (env as unknown as { AI: AiBinding }).AI;
const LLAMA = "@cf/meta/llama-3.1-8b-instruct";
const hi = { messages: [{ role: "user", content: "Hi" }] };

function common(operation: string, model: string): Record<string, unknown> {
  return {
    "gen_ai.operation.name": operation,
    "gen_ai.provider.name": "cloudflare.workers_ai",
    "gen_ai.request.model": model,
    "llm.system": "cloudflare.workers_ai",
    "llm.vendor": "cloudflare.workers_ai",
    "llm.request.model": model,
  };
}

async function textOf(stream: unknown): Promise<string> {
  return new Response(stream as ReadableStream).text();
}

describe("run: text generation", () => {
  it("records messages, sampling, the answer, usage and the request id; the caller gets the binding's answer", async () => {
    const session = tracedSession();
    const params = { ...hi, max_tokens: 64, temperature: 0.3, top_p: 0.9, top_k: 40, seed: 7 };
    const bare = await binding().run(LLAMA, params);
    const answer = await wrap(binding()).run(LLAMA, params);
    expect(answer).toEqual(bare);
    const [span] = await session.spans(1);
    expect(span).toMatchObject({ name: `chat ${LLAMA}`, kind: "CLIENT", status: { code: "UNSET" } });
    expect(span?.attributes).toEqual({
      ...common("chat", LLAMA),
      ...SYNTHESIZED_CONVERSATION,
      "gen_ai.request.max_tokens": 64,
      "gen_ai.request.temperature": 0.3,
      "gen_ai.request.top_p": 0.9,
      "gen_ai.request.top_k": 40,
      "gen_ai.request.seed": 7,
      "gen_ai.request.stream": false,
      "llm.request.max_tokens": 64,
      "llm.request.temperature": 0.3,
      "llm.request.streaming": false,
      "llm.request.type": "chat",
      "gen_ai.response.id": WORKERS_AI_REQUEST_ID,
      "gen_ai.response.finish_reasons": ["stop"],
      ...usageAttributes(WORKERS_AI_USAGE.prompt_tokens, WORKERS_AI_USAGE.completion_tokens),
      "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: "Hi" }] }]),
      "gen_ai.output.messages": JSON.stringify([
        { role: "assistant", parts: [{ type: "text", content: WORKERS_AI_TEXT }], finish_reason: "stop" },
      ]),
      "llm.response.finish_reason": "stop",
      "llm.completions.0.finish_reason": "stop",
      "llm.prompts.0.role": "user",
      "llm.prompts.0.content": "Hi",
      "llm.completions.0.role": "assistant",
      "llm.completions.0.content": WORKERS_AI_TEXT,
    });
  });

  it("records a prompt as a text completion, and an image beside it as a descriptor, never its bytes", async () => {
    const session = tracedSession();
    await wrap(binding()).run("@cf/llava-hf/llava-1.5-7b-hf", { prompt: "What is this?", image: [137, 80, 78, 71] });
    const [span] = await session.spans(1);
    expect(span?.name).toBe("text_completion @cf/llava-hf/llava-1.5-7b-hf");
    expect(span?.attributes["llm.request.type"]).toBe("completion");
    expect(jsonAttribute(span, "gen_ai.input.messages")).toEqual([
      {
        role: "user",
        parts: [
          { type: "text", content: "What is this?" },
          { type: "blob_omitted", modality: "image", byte_size: 4 },
        ],
      },
    ]);
  });

  it("records the tools asked for and the tool calls answered", async () => {
    const session = tracedSession();
    const tools = [
      {
        name: "get_weather",
        description: "The weather in a city",
        parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      },
    ];
    const answer = (await wrap(binding()).run(LLAMA, { ...hi, tools })) as { tool_calls: unknown[] };
    expect(answer.tool_calls).toHaveLength(1);
    const [span] = await session.spans(1);
    expect(jsonAttribute(span, "gen_ai.tool.definitions")).toEqual([{ type: "function", ...tools[0] }]);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: [{ type: "tool_call", name: "get_weather", arguments: { city: "Paris" } }],
        finish_reason: "tool_call",
      },
    ]);
  });

  it("gives a failed call's error to the caller as the binding throws it, and records it", async () => {
    const session = tracedSession();
    const bare = await binding()
      .run("mock-error", hi)
      .catch((error: unknown) => error);
    const thrown = await wrap(binding())
      .run("mock-error", hi)
      .catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).toMatchObject({ name: (bare as Error).name, message: (bare as Error).message });
    const [span] = await session.spans(1);
    expect(span?.status).toEqual({ code: "ERROR", message: (bare as Error).message });
    expect(span?.attributes["error.type"]).toBe("InferenceUpstreamError");
  });
});

describe("run: streams", () => {
  it("hands the caller the stream's bytes unchanged, and records the text, usage and time to first chunk", async () => {
    const session = tracedSession();
    const params = { ...hi, stream: true };
    const bare = await textOf(await binding().run(LLAMA, params));
    const stream = await wrap(binding()).run(LLAMA, params);
    expect(stream).toBeInstanceOf(ReadableStream);
    expect(await textOf(stream)).toBe(bare);
    expect(bare).toContain("data: [DONE]");
    const [span] = await session.spans(1);
    expect(span?.attributes).toMatchObject({
      "gen_ai.request.stream": true,
      ...usageAttributes(WORKERS_AI_USAGE.prompt_tokens, WORKERS_AI_USAGE.completion_tokens),
      "llm.completions.0.content": WORKERS_AI_TEXT,
      "gen_ai.response.finish_reasons": ["stop"],
    });
    expect(span?.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
  });

  it("passes a stream's failure on to the caller, and records it with what arrived", async () => {
    const session = tracedSession();
    const stream = await wrap(binding()).run("mock-drop", { prompt: "Hi", stream: true });
    await expect(textOf(stream)).rejects.toThrow();
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("ERROR");
    expect(span?.attributes["llm.completions.0.content"]).toBe("Hello");
    expect(span?.attributes["gen_ai.response.finish_reasons"]).toEqual(["error"]);
  });

  it("passes a cancel back to the binding's stream, and ends the span as cancelled", async () => {
    const session = tracedSession();
    const id = crypto.randomUUID();
    const stream = (await wrap(binding()).run(
      "mock-slow",
      { prompt: "Hi", stream: true },
      { extraHeaders: { "x-mock-capture": id } },
    )) as ReadableStream<Uint8Array>;
    const reader = stream.getReader();
    expect((await reader.read()).done).toBe(false);
    await reader.cancel("enough");
    const [span] = await session.spans(1);
    expect(span?.attributes["moda.stream.cancelled"]).toBe(true);
    expect(span?.attributes["llm.completions.0.content"]).toBe(".");
    await expect
      .poll(async () => {
        const response = await fetch(`${inject("workersAiUrl")}/__mock/closed?capture=${id}`);
        return ((await response.json()) as { closed: boolean }).closed;
      })
      .toBe(true);
  });
});

describe("run: models answering in OpenAI's formats", () => {
  it("reads a Responses-format model's input, instructions and answer", async () => {
    const session = tracedSession();
    const model = "@cf/openai/gpt-oss-20b";
    const answer = await wrap(binding()).run(model, { input: "Hi", instructions: "Be terse." });
    expect(answer).toEqual(await binding().run(model, { input: "Hi", instructions: "Be terse." }));
    const [span] = await session.spans(1);
    expect(span?.attributes).toMatchObject({
      ...common("chat", model),
      "gen_ai.response.model": model,
      ...usageAttributes(21, 9),
      "llm.completions.1.content": WORKERS_AI_TEXT,
    });
    expect(jsonAttribute(span, "gen_ai.system_instructions")).toEqual([{ type: "text", content: "Be terse." }]);
    expect(jsonAttribute(span, "gen_ai.input.messages")).toEqual([
      { role: "user", parts: [{ type: "text", content: "Hi" }] },
    ]);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "reasoning", content: "A greeting." },
          { type: "text", content: WORKERS_AI_TEXT },
        ],
        finish_reason: "stop",
      },
    ]);
  });

  it("reads a chat completion, and a stream of chat chunks", async () => {
    const session = tracedSession();
    await wrap(binding()).run("mock-chat-format", hi);
    await textOf(await wrap(binding()).run("mock-chat-format", { ...hi, stream: true }));
    const spans = await session.spans(2);
    const [whole, streamed] = [false, true].map((stream) =>
      spans.find((span) => span.attributes["gen_ai.request.stream"] === stream),
    );
    for (const [span, reason] of [
      [whole, "length"],
      [streamed, "stop"],
    ] as const) {
      expect(span?.attributes).toMatchObject({
        "gen_ai.response.model": "mock-chat-format",
        "gen_ai.response.finish_reasons": [reason],
        ...usageAttributes(21, 9),
        "llm.completions.0.content": WORKERS_AI_TEXT,
      });
    }
  });
});

describe("run: embeddings and other tasks", () => {
  it("records an embeddings call without its vectors; the caller gets them", async () => {
    const session = tracedSession();
    const answer = (await wrap(binding()).run("@cf/baai/bge-base-en-v1.5", { text: ["a", "b"] })) as {
      shape: number[];
    };
    expect(answer.shape).toEqual([2, 3]);
    const [span] = await session.spans(1);
    expect(span?.name).toBe("embeddings @cf/baai/bge-base-en-v1.5");
    expect(span?.attributes).toEqual({
      ...common("embeddings", "@cf/baai/bge-base-en-v1.5"),
      ...SYNTHESIZED_CONVERSATION,
      "llm.request.type": "embedding",
      "gen_ai.response.id": WORKERS_AI_REQUEST_ID,
      "gen_ai.input.messages": JSON.stringify(
        ["a", "b"].map((text) => ({ role: "user", parts: [{ type: "text", content: text }] })),
      ),
      "llm.prompts.0.role": "user",
      "llm.prompts.0.content": "a",
      "llm.prompts.1.role": "user",
      "llm.prompts.1.content": "b",
    });
  });

  it("leaves a task that is neither text generation nor embeddings untraced", async () => {
    const session = tracedSession();
    await wrap(binding()).run("@cf/meta/m2m100-1.2b", { text: "Hi", source_lang: "en", target_lang: "fr" });
    await wrap(binding()).run(LLAMA, hi);
    const spans = await session.spans(1);
    expect(spans.map((span) => span.name)).toEqual([`chat ${LLAMA}`]);
  });
});

describe("AI Gateway through the binding", () => {
  it("records the gateway option's id and the gateway's log id", async () => {
    const session = tracedSession();
    await wrap(binding()).run(LLAMA, hi, { gateway: { id: "my-gateway", skipCache: true } });
    const [span] = await session.spans(1);
    expect(span?.attributes).toMatchObject({
      "moda.ai_gateway.id": "my-gateway",
      "moda.ai_gateway.log_id": AI_GATEWAY_LOG_ID,
    });
  });

  it("records the cache status too when the call returns the raw response", async () => {
    const session = tracedSession();
    const response = await wrap(binding()).run(LLAMA, hi, { gateway: { id: "my-gateway" }, returnRawResponse: true });
    expect(response).toBeInstanceOf(Response);
    expect(await (response as Response).json()).toMatchObject({ response: WORKERS_AI_TEXT });
    const [span] = await session.spans(1);
    expect(span?.attributes).toMatchObject({
      "moda.ai_gateway.id": "my-gateway",
      "moda.ai_gateway.cache_status": "HIT",
      "moda.ai_gateway.log_id": AI_GATEWAY_LOG_ID,
    });
  });

  it("records no ids for calls that overlapped on one binding: each could be the other's", async () => {
    const session = tracedSession();
    const ai = wrap(binding());
    await Promise.all([ai.run(LLAMA, hi, { gateway: { id: "gw" } }), ai.run(LLAMA, hi, { gateway: { id: "gw" } })]);
    const spans = await session.spans(2);
    for (const span of spans) {
      expect(span.attributes["moda.ai_gateway.id"]).toBe("gw");
      expect(span.attributes["moda.ai_gateway.log_id"]).toBeUndefined();
      expect(span.attributes["gen_ai.response.id"]).toBeUndefined();
    }
  });

  it("records a universal request of env.AI.gateway(id) with the provider and model that answered", async () => {
    const session = tracedSession();
    const request = {
      provider: "openai",
      endpoint: "chat/completions",
      headers: { authorization: "Bearer k" },
      query: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] },
    };
    const response = await wrap(binding()).gateway("my-gateway").run(request);
    expect(response.headers.get("cf-aig-cache-status")).toBe("MISS");
    expect(await response.json()).toMatchObject({ model: "gpt-4o-mini" });
    const [span] = await session.spans(1);
    expect(span?.name).toBe("chat gpt-4o-mini");
    expect(span?.attributes).toMatchObject({
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o-mini",
      "moda.ai_gateway.id": "my-gateway",
      "moda.ai_gateway.cache_status": "MISS",
      "moda.ai_gateway.log_id": AI_GATEWAY_LOG_ID,
    });
  });
});

describe("wrapping", () => {
  it("keeps the binding's class and fields, and wrapWorkersAI takes only the binding", () => {
    const ai = binding();
    const wrapped = wrapWorkersAI(ai);
    expect(wrap(ai)).toBe(wrapped);
    expect(Object.getPrototypeOf(wrapped)).toBe(Object.getPrototypeOf(ai));
    expect(wrapped.lastRequestId).toBe(ai.lastRequestId);
    expect(() => wrapWorkersAI({ run() {} })).toThrow(/wrapWorkersAI\(\) expects a client of the Workers AI binding/);
  });
});
