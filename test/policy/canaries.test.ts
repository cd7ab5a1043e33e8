/**
 * Canaries for what may leave (issue 23): a unique token planted in every place content can enter, and fake
 * credentials where a provider echoes them (its error bodies) or an application's error carries them; every
 * field of every export body (as the receiver's independent decoder reads it) is searched for each. Real SDKs
 * (openai, @anthropic-ai/sdk, the Vercel AI SDK 6 and 7) against the mock providers, in every runtime.
 */

import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAI as createOpenAI4 } from "@ai-sdk/openai-v4";
import { OpenTelemetry } from "@ai-sdk/otel";
import Anthropic from "@anthropic-ai/sdk";
import type { Attributes, AttributeValue } from "@opentelemetry/api";
import { tool as aiTool, generateText, jsonSchema, stepCountIs } from "ai";
import { generateText as generateText7 } from "ai-v7";
import OpenAI from "openai";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import type { ModaOptions } from "../../src/config/options";
import { modaTelemetry, modaTracer, setAttributes, task, tool, wrap } from "../../src/index";
import { spansOfExports, tracedExports } from "../support/full-exports";

/** Letters and digits only, so that a token survives any encoding (JSON, URL, base64 alphabet) unchanged. */
function randomWord(length: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(crypto.getRandomValues(new Uint8Array(length)), (byte) => alphabet[byte % 36]).join("");
}

/** The key every SDK client sends, which the mocks' `error-echo` scenario quotes back. */
const API_KEY = `sk-proj-${randomWord(40)}`;
/** Credentials an application's own error or attribute carries. */
const BEARER = `tok${randomWord(32)}`;
const AWS_KEY = `AKIA${randomWord(16).toUpperCase()}`;
/** A presigned URL's session token and signature, and the key a tool's result quotes in its request headers. */
const STS_TOKEN = `IQoJb3JpZ2luX2Vj${randomWord(40)}`;
const SIGNATURE = randomWord(64);
const TOOL_KEY = `tk_live_${randomWord(24)}`;
const SECRETS = { API_KEY, BEARER, AWS_KEY, STS_TOKEN, SIGNATURE, TOOL_KEY };
const PRESIGNED_QUERY = `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Security-Token=${STS_TOKEN}&X-Amz-Signature=${SIGNATURE}`;

const SITES = [
  "message",
  "system",
  "toolDescription",
  "toolParameter",
  "toolArguments",
  "toolResult",
  "imageUrl",
  "embeddingInput",
  "anthropicSystem",
  "anthropicMessage",
  "openaiErrorBody",
  "anthropicErrorBody",
  "entityInput",
  "entityOutput",
  "thrownError",
  "aiTracerPrompt",
  "aiTracerSystem",
  "aiTracerToolResult",
  "aiTelemetryPrompt",
  "aiErrorBody",
  "ai7TracerPrompt",
  "ai7TelemetryPrompt",
  "setAttributes",
] as const;
type Site = (typeof SITES)[number];
type Canaries = Record<Site, string>;

/** Inline image bytes: never exported without `captureBinary`, whatever else is set. */
const INLINE_IMAGE_BASE64 = btoa(`canaryinlineimage${randomWord(24)}`);

function plant(): Canaries {
  const run = randomWord(10);
  return Object.fromEntries(SITES.map((site) => [site, `canary${site}${run}`])) as Canaries;
}

const openaiUrl = `${inject("openaiUrl")}/v1`;

/** Every place content can enter, in one request. Errors the providers answer are expected and swallowed. */
async function plantEverywhere(c: Canaries): Promise<void> {
  const openai = wrap(new OpenAI({ apiKey: API_KEY, baseURL: openaiUrl, maxRetries: 0 }));
  const anthropic = wrap(new Anthropic({ apiKey: API_KEY, baseURL: inject("anthropicUrl"), maxRetries: 0 }));
  await openai.chat.completions.create({
    model: "gpt-4o",
    messages: [
      { role: "system", content: c.system },
      {
        role: "user",
        content: [
          { type: "text", text: c.message },
          { type: "image_url", image_url: { url: `https://images.example/${c.imageUrl}.png?${PRESIGNED_QUERY}` } },
          { type: "image_url", image_url: { url: `data:image/png;base64,${INLINE_IMAGE_BASE64}` } },
        ],
      },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "lookup", arguments: `{"q":"${c.toolArguments}"}` } },
        ],
      },
      {
        role: "tool",
        tool_call_id: "call_1",
        // JSON text: exported inside the messages' JSON, its quotes escaped.
        content: JSON.stringify({
          note: c.toolResult,
          request: { headers: { "x-api-key": TOOL_KEY, authorization: `Token ${TOOL_KEY}` } },
        }),
      },
    ],
    tools: [
      {
        type: "function",
        function: {
          name: "lookup",
          description: c.toolDescription,
          parameters: { type: "object", properties: { q: { type: "string", description: c.toolParameter } } },
        },
      },
    ],
  });
  await openai.embeddings.create({ model: "text-embedding-3-small", input: [c.embeddingInput] });
  await anthropic.messages.create({
    model: "claude-sonnet-4-6",
    max_tokens: 64,
    system: c.anthropicSystem,
    messages: [{ role: "user", content: c.anthropicMessage }],
  });
  await expect(
    openai.chat.completions.create({
      model: "mock-error-echo",
      messages: [{ role: "user", content: c.openaiErrorBody }],
    }),
  ).rejects.toThrow(API_KEY);
  await expect(
    anthropic.messages.create({
      model: "mock-error-echo",
      max_tokens: 64,
      messages: [{ role: "user", content: c.anthropicErrorBody }],
    }),
  ).rejects.toThrow(API_KEY);

  const lookup = tool("lookup", async ({ q }: { q: string }) => ({ q, answer: c.entityOutput }));
  await lookup({ q: c.entityInput });
  const failing = task("failing", () => {
    throw new Error(`${c.thrownError}: upstream said Authorization: Bearer ${BEARER} (aws ${AWS_KEY})`);
  });
  expect(() => failing()).toThrow(c.thrownError);

  await aiSdkCalls(c);
  setAttributes({ "gen_ai.prompt": c.setAttributes, "app.callback": `https://hooks.example/cb?api_key=${BEARER}` });
}

/** The Vercel AI SDK 6 through `modaTracer()` and `modaTelemetry()`, and AI SDK 7 through `@ai-sdk/otel`. */
async function aiSdkCalls(c: Canaries): Promise<void> {
  const openai = createOpenAI({ apiKey: API_KEY, baseURL: openaiUrl });
  const byTracer = { isEnabled: true, tracer: modaTracer() };
  await generateText({
    model: openai.chat("mock-agent"),
    system: c.aiTracerSystem,
    prompt: c.aiTracerPrompt,
    tools: {
      get_weather: aiTool({
        description: "weather",
        inputSchema: jsonSchema<{ city: string }>({ type: "object", properties: { city: { type: "string" } } }),
        execute: async () => ({ note: c.aiTracerToolResult }),
      }),
    },
    stopWhen: stepCountIs(3),
    experimental_telemetry: byTracer,
  });
  await generateText({
    model: openai.chat("gpt-4o"),
    prompt: c.aiTelemetryPrompt,
    experimental_telemetry: modaTelemetry(),
  });
  await expect(
    generateText({
      model: openai.chat("mock-error-echo"),
      prompt: c.aiErrorBody,
      maxRetries: 0,
      experimental_telemetry: byTracer,
    }),
  ).rejects.toThrow();
  const openai7 = createOpenAI4({ apiKey: API_KEY, baseURL: openaiUrl });
  await generateText7({
    model: openai7.chat("gpt-4o"),
    prompt: c.ai7TracerPrompt,
    telemetry: { isEnabled: true, integrations: [new OpenTelemetry({ tracer: modaTracer() })] },
  });
  await generateText7({
    model: openai7.chat("gpt-4o"),
    prompt: c.ai7TelemetryPrompt,
    telemetry: modaTelemetry({ integration: OpenTelemetry }),
  });
}

/** One traced request that runs `body`; every field of what reached the receiver, as JSON text. */
async function exportedText(options: ModaOptions, body: () => Promise<void>): Promise<string> {
  const { exports } = await tracedExports(body, { options });
  expect(exports.length).toBeGreaterThan(0);
  return JSON.stringify(exports);
}

function expectNoSecrets(text: string): void {
  for (const [name, secret] of Object.entries(SECRETS)) expect(text, `${name} was exported`).not.toContain(secret);
  expect(text).not.toContain(INLINE_IMAGE_BASE64);
}

function expectNoCanaries(text: string, canaries: Canaries): void {
  const leaked = SITES.filter((site) => text.includes(canaries[site]));
  expect(leaked, "content exported from these places").toEqual([]);
}

const CANARY = /canary[a-zA-Z0-9]+/g;

/** A hook that rewrites every planted token it is shown, wherever in a value it sits. */
function rewriteCanaries(attributes: Attributes): Attributes {
  const rewrite = (value: AttributeValue | undefined): AttributeValue | undefined => {
    if (typeof value === "string") return value.replace(CANARY, "[rewritten]");
    if (Array.isArray(value))
      return value.map((item) =>
        typeof item === "string" ? item.replace(CANARY, "[rewritten]") : item,
      ) as AttributeValue;
    return value;
  };
  return Object.fromEntries(Object.entries(attributes).map(([key, value]) => [key, rewrite(value)]));
}

describe("canaries: content and credentials planted everywhere", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("with content traced, every token arrives (the planting works) and no credential does", async () => {
    const canaries = plant();
    const text = await exportedText({ protocol: "http/json" }, () => plantEverywhere(canaries));
    const missing = SITES.filter((site) => !text.includes(canaries[site]));
    expect(missing, "tokens that never reached the export").toEqual([]);
    expectNoSecrets(text);
    // The echoes did reach the export, their credentials replaced.
    expect(text).toContain("Incorrect API key provided: [REDACTED]");
    expect(text).toContain("Authorization: [REDACTED]");
    expect(text).toContain("api_key=[REDACTED]");
    expect(text).toContain("X-Amz-Security-Token=[REDACTED]&X-Amz-Signature=[REDACTED]");
    expect(text).toContain(String.raw`x-api-key\\\":\\\"[REDACTED]`);
  });

  it("traceContent: false exports none of them", async () => {
    const canaries = plant();
    const text = await exportedText({ traceContent: false }, () => plantEverywhere(canaries));
    expectNoCanaries(text, canaries);
    expectNoSecrets(text);
    // No conversation id hashed from the prompts: a guess of a prompt could be confirmed against it.
    expect(text).not.toContain("moda.conversation_id");
    // The failures are still there, by type and HTTP status.
    expect(text).toContain("BadRequestError");
    expect(text).toContain('"intValue":"400"');
  });

  it("a redact hook sees every place: span attributes, status messages, exception events, AI SDK spans", async () => {
    const canaries = plant();
    const text = await exportedText({ redact: rewriteCanaries }, () => plantEverywhere(canaries));
    expectNoCanaries(text, canaries);
    expectNoSecrets(text);
    const exports = JSON.parse(text) as unknown[];
    const spans = spansOfExports(exports);
    const rewrittenStatus = spans.filter((span) => span.status?.message?.includes("[rewritten]"));
    const rewrittenExceptions = spans.filter((span) =>
      (span.events ?? []).some((event) => JSON.stringify(event.attributes).includes("[rewritten]")),
    );
    expect(rewrittenStatus.length).toBeGreaterThanOrEqual(4);
    expect(rewrittenExceptions.length).toBeGreaterThanOrEqual(2);
  });

  it("a redact hook that throws costs each span its content, never the span, and says so once", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const canaries = plant();
    const traced = await exportedText({}, () => plantEverywhere(plant()));
    const text = await exportedText(
      {
        redact: () => {
          throw new Error(`cannot redact ${canaries.message}`);
        },
      },
      () => plantEverywhere(canaries),
    );
    expectNoCanaries(text, canaries);
    expectNoSecrets(text);
    expect(spansOfExports(JSON.parse(text) as unknown[]).length).toBe(
      spansOfExports(JSON.parse(traced) as unknown[]).length,
    );
    const warnings = warn.mock.calls.map((call) => call.join(" ")).filter((line) => line.includes("redact hook"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).not.toContain(canaries.message);
  });

  it("an async redact hook costs each span its content, never the span, is counted, and is named once", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const canaries = plant();
    const traced = await exportedText({}, () => plantEverywhere(plant()));
    // What a JavaScript user can pass; this one also rejects, which must not surface as an unhandled rejection.
    const asyncHook = (async () => {
      throw new Error("not yet");
    }) as unknown as (attributes: Attributes) => Attributes;
    const text = await exportedText({ redact: asyncHook }, () => plantEverywhere(canaries));
    expectNoCanaries(text, canaries);
    const spans = spansOfExports(JSON.parse(text) as unknown[]);
    expect(spans.length).toBe(spansOfExports(JSON.parse(traced) as unknown[]).length);
    // The model and the token counts stay; what went is counted.
    expect(text).toContain("gen_ai.request.model");
    expect(spans.filter((span) => (span.droppedAttributesCount ?? 0) > 0).length).toBeGreaterThan(0);
    const warnings = warn.mock.calls.map((call) => call.join(" ")).filter((line) => line.includes("redact"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("redact must be synchronous; it returned a Promise");
  });

  it("a redact hook that removes url.path removes the path from the request span's name", async () => {
    const user = `canarypath${randomWord(10)}`;
    const withoutPath = ({ "url.path": _, ...rest }: Attributes) => rest;
    const { exports } = await tracedExports(async () => undefined, {
      options: { redact: withoutPath },
      url: `https://app.example/api/users/${user}@example.com/chat`,
    });
    expect(JSON.stringify(exports)).not.toContain(user);
    expect(spansOfExports(exports).map((span) => span.name)).toContain("GET");
    const { exports: kept } = await tracedExports(async () => undefined, {
      options: { redact: (attributes) => attributes },
      url: `https://app.example/api/users/${user}/chat`,
    });
    expect(spansOfExports(kept).map((span) => span.name)).toContain(`GET /api/users/${user}/chat`);
  });

  it("a handler's own error: its message and stack stay out under traceContent: false, its credentials always", async () => {
    const canaries = plant();
    const failing = async () => {
      throw new TypeError(`${canaries.thrownError} while calling https://api.example/v1?key=${BEARER}`);
    };
    const quiet = await exportedText({ traceContent: false }, failing);
    const traced = await exportedText({}, failing);
    expect(quiet).not.toContain(canaries.thrownError);
    expect(quiet).toContain("TypeError");
    expect(traced).toContain(canaries.thrownError);
    for (const text of [quiet, traced]) expect(text).not.toContain(BEARER);
  });
});

/** Content names other OpenTelemetry instrumentations write (OpenInference, GenAI conventions, Traceloop, AI SDK). */
const FOREIGN_CONTENT_NAMES = [
  "llm.prompt_template.template",
  "llm.prompt_template.variables",
  "retrieval.documents.0.document.content",
  "embedding.embeddings.0.embedding.text",
  "tool.parameters",
  "tool.description",
  "tool_call.function.arguments",
  "message.content",
  "llm.tools.0.tool.json_schema",
  "reranker.query",
  "reranker.input_documents.0.document.content",
  "input.value",
  "output.value",
  "gen_ai.tool.description",
  "gen_ai.tool.call.arguments",
  "gen_ai.tool.call.result",
  "gen_ai.retrieval.query.text",
  "gen_ai.retrieval.documents",
  "gen_ai.system_instructions",
  "gen_ai.embeddings.input",
  "traceloop.prompt.template",
  "traceloop.prompt.template_variables",
  "traceloop.entity.input",
  "llm.request.functions.0.description",
  "llm.request.functions.0.parameters",
  "llm.completions.0.tool_calls.0.arguments",
  "ai.schema",
  "ai.schema.name",
  "ai.schema.description",
  "ai.settings.context.note",
  "ai.prompt.toolChoice",
  "ai.response.text",
  "ai.response.object",
  "ai.response.toolCalls",
  "GEN_AI.PROMPT",
];

/** Metadata with the same words nearby, kept under `traceContent: false`. */
const FOREIGN_METADATA: Attributes = {
  "gen_ai.usage.input_tokens": 12,
  "llm.token_count.prompt": 12,
  "ai.usage.promptTokens": 12,
  "gen_ai.request.model": "gpt-4o",
  "llm.model_name": "gpt-4o",
  "gen_ai.response.finish_reasons": ["stop"],
  "gen_ai.tool.call.id": "call_1",
  "gen_ai.tool.name": "lookup",
  "retrieval.documents.0.document.id": "doc-1",
  "llm.prompt_template.version": "v3",
  "message.role": "user",
  "gen_ai.output.type": "json",
  "ai.settings.output": "object",
  "http.request.header.content-type": "application/json",
  "moda.prompt_key": "weather-answer",
  "llm.response.finish_reason": "tool_calls",
};

describe("canaries: other instrumentations' content names through modaTracer()", () => {
  it("traceContent: false removes each content name and keeps the metadata beside it", async () => {
    const run = randomWord(10);
    const token = (index: number) => `canaryforeign${index}x${run}`;
    const { exports } = await tracedExports(
      async () => {
        const span = modaTracer().startSpan("foreign");
        FOREIGN_CONTENT_NAMES.forEach((name, index) => {
          span.setAttribute(name, token(index));
        });
        span.addEvent("foreign.event", { "message.content": token(FOREIGN_CONTENT_NAMES.length) });
        span.setAttributes(FOREIGN_METADATA);
        span.end();
      },
      { options: { traceContent: false } },
    );
    const text = JSON.stringify(exports);
    const leaked = FOREIGN_CONTENT_NAMES.filter((_, index) => text.includes(token(index)));
    expect(leaked, "content exported under these names").toEqual([]);
    expect(text).not.toContain(token(FOREIGN_CONTENT_NAMES.length));
    const span = spansOfExports(exports).find((exported) => exported.name === "foreign");
    const kept = new Set((span?.attributes ?? []).map((attribute) => attribute.key));
    expect(Object.keys(FOREIGN_METADATA).filter((name) => !kept.has(name))).toEqual([]);
  });
});
