/**
 * `npx moda-edge dev` as a new user runs it beside examples/cf-worker: the built command on a port it picks, the
 * Worker under `wrangler dev` pointed at it (with the mock providers), and the page in headless Chromium. Each
 * view is written as a screenshot to runtime-tests/examples/screenshots/ (git-ignored). `--forward` is on, to a
 * local receiver standing in for Moda, with a planted key that must reach it and appear nowhere else.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../scripts/app-process";
import { type RunningDevTool, startDevTool } from "../../scripts/dev-tool-process";
import { CF_WORKER_DIR, startCfWorker } from "../../scripts/examples";
import { type LocalSink, type LocalStack, localStackEnv, startLocalStack } from "../../scripts/local-stack";
import { ensureInstalled } from "../../scripts/package-folders";
import { agent, init, modaTelemetry, tool, withModa, wrap } from "../../src/index";
import { type RecordingContext, recordingContext } from "../../test/support/execution-context";
import type { Page } from "../../test/support/playwright";
import { createOpenAI, streamText } from "../../test/support/sdks";
import { WEATHER_TOOL } from "../../test/support/weather-tool";
import { type Browser, launchChromium } from "../support/chromium";
import { postJson, postSse } from "../support/post";
import type { ChatAnswer } from "../support/traces";

const SCREENSHOTS = fileURLToPath(new URL("./screenshots/", import.meta.url));
const PLANTED_KEY = `moda-key-${crypto.randomUUID()}`;

let stack: LocalStack;
let moda: LocalSink;
let devTool: RunningDevTool;
let worker: RunningApp;
let browser: Browser;
let page: Page;
/** Every URL the page asked for: all must be the tool's own (no CDN, works offline). */
const pageRequests: string[] = [];

beforeAll(async () => {
  ensureInstalled(CF_WORKER_DIR, console.log);
  mkdirSync(SCREENSHOTS, { recursive: true });
  stack = await startLocalStack();
  moda = stack.newSink();
  devTool = await startDevTool(CF_WORKER_DIR, ["--forward", "--forward-url", moda.tracesUrl], {
    MODA_API_KEY: PLANTED_KEY,
  });
  const vars = { ...localStackEnv(stack, moda), MODA_BASE_URL: devTool.tracesUrl, MODA_API_KEY: "moda-dev-local" };
  [worker, browser] = await Promise.all([startCfWorker({ vars }), launchChromium()]);
  page = await browser.context.newPage();
  page.on("request", (request) => pageRequests.push(request.url()));
  await page.goto(devTool.url);
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await devTool?.stop();
  await stack?.close();
});

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
}

function requestRow(title: string) {
  return page.locator(".request", { has: page.locator(".request-title", { hasText: title }) });
}

describe("npx moda-edge dev beside the cf-worker example", () => {
  it("prints the lines to paste, and the page shows them while it waits", async () => {
    expect(devTool.output()).toContain(`MODA_BASE_URL=${devTool.tracesUrl}`);
    await page.locator(".connection.live").waitFor();
    await expect(page.locator(".env-lines").textContent()).resolves.toContain(`MODA_BASE_URL=${devTool.tracesUrl}`);
    await screenshot("1-waiting");
  });

  it("POST /chat appears as it arrives and opens as a conversation: the planted prompt, the answer, the tokens", async () => {
    const prompt = `Planted question ${crypto.randomUUID()}: what is an edge function?`;
    const answer = await postJson<ChatAnswer>(`${worker.url}/chat`, { prompt });
    await requestRow("POST /chat").waitFor();
    const user = page.locator(".turn-user", { hasText: prompt });
    await user.waitFor();
    await expect(page.locator(".turn-system").textContent()).resolves.toContain("You are a concise assistant.");
    const reply = page.locator(".turn-output");
    await expect(reply.textContent()).resolves.toContain(answer.answer);
    await expect(page.locator(".detail .token-input b").textContent()).resolves.toBe(
      String(answer.usage.prompt_tokens),
    );
    await expect(page.locator(".detail .token-output b").textContent()).resolves.toBe(
      String(answer.usage.completion_tokens),
    );
    await screenshot("2-chat-conversation");
  });

  it("POST /stream: the streamed call shows its tokens and its time to the first chunk", async () => {
    const streamed = await postSse(`${worker.url}/stream`, { prompt: `Planted story ${crypto.randomUUID()}` });
    const usage = JSON.parse(streamed.events.find((event) => event.event === "usage")?.data ?? "{}") as {
      output_tokens: number;
    };
    const text = streamed.events
      .filter((event) => event.event === "delta")
      .map((event) => (JSON.parse(event.data) as { text: string }).text)
      .join("");
    await requestRow("POST /stream").click();
    await page.locator(".wf-row.role-llm.selected .wf-wait").waitFor();
    await expect(page.locator(".detail .token-output b").textContent()).resolves.toBe(String(usage.output_tokens));
    await expect(page.locator('.fact[data-fact="First chunk"] dd').textContent()).resolves.toMatch(/\d ms$/);
    await expect(page.locator(".turn-output").textContent()).resolves.toContain(text);
    await screenshot("3-stream-conversation");
  });

  it("the raw attributes are one click away", async () => {
    await page.locator(".tab[data-tab=raw]").click();
    const row = page.locator(".raw-table tr", { has: page.locator("th", { hasText: /^gen_ai\.request\.stream$/ }) });
    await expect(row.locator("td").textContent()).resolves.toBe("true");
    await screenshot("4-raw-attributes");
  });

  it("the request span opens as an overview of the request", async () => {
    await page.locator(".wf-row.role-request").click();
    await expect(page.locator('.detail .fact[data-fact="Status"] dd').textContent()).resolves.toBe("200");
    await screenshot("5-request-span");
  });

  it("--forward sends each export on to Moda with the key, which the tool never prints or shows", async () => {
    const forwarded = await moda.waitForTraces(2);
    expect(new Set(forwarded.map((span) => span.name))).toEqual(
      new Set(["POST /chat", "POST /stream", "chat gpt-4o-mini", "chat claude-sonnet-4-5"]),
    );
    expect(forwarded.map((span) => span.attributes["gen_ai.input.messages"]).join()).toContain("Planted question");
    const requests = await moda.requests();
    expect(requests.map((request) => request.headers.authorization)).toEqual(
      requests.map(() => `Bearer ${PLANTED_KEY}`),
    );
    expect(devTool.output()).toContain("forwarded 2 spans to Moda: 200");
    expect(devTool.output()).not.toContain(PLANTED_KEY);
    expect(await page.content()).not.toContain(PLANTED_KEY);
    expect(await (await fetch(`${devTool.url}/spans`)).text()).not.toContain(PLANTED_KEY);
  });
});

/** A 1×1 PNG: the image a user message carries. */
const PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

/**
 * What the example Worker does not do, sent by the library from this process to the same tool: an agent whose
 * model calls a tool (the tool's span, its call and its result in the next call's conversation), and a Claude call
 * that thinks about an image.
 */
async function sendAgentTrace(): Promise<void> {
  init({ asyncLocalStorage: AsyncLocalStorage });
  const openai = wrap(new OpenAI({ apiKey: "sk-local-mock", baseURL: `${stack.openaiUrl}/v1`, maxRetries: 0 }));
  const anthropic = wrap(new Anthropic({ apiKey: "sk-ant-local-mock", baseURL: stack.anthropicUrl, maxRetries: 0 }));
  const getWeather = tool("get_weather", async ({ city }: { city: string }) => ({ city, celsius: 21, sky: "sunny" }));
  const planner = agent("trip planner", async (question: string) => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: "system", content: "You plan day trips. Check the weather first." },
      { role: "user", content: question },
    ];
    const first = await openai.chat.completions.create({ model: "mock-agent", messages, tools: [WEATHER_TOOL] });
    const asked = first.choices[0]?.message;
    const call = asked?.tool_calls?.[0];
    if (!asked || call?.type !== "function") throw new Error("the mock asked for no tool");
    const weather = await getWeather(JSON.parse(call.function.arguments) as { city: string });
    const next = [
      ...messages,
      asked,
      { role: "tool" as const, tool_call_id: call.id, content: JSON.stringify(weather) },
    ];
    const second = await openai.chat.completions.create({ model: "mock-agent", messages: next, tools: [WEATHER_TOOL] });
    return second.choices[0]?.message.content ?? "";
  });
  await sendRequest("/plan", async () => {
    await planner("Plan a day in Paris.");
    await anthropic.messages.create({
      model: "mock-thinking",
      max_tokens: 256,
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data: PIXEL_PNG } },
            { type: "text", text: "Is this picture sunny?" },
          ],
        },
      ],
    });
    return new Response("ok");
  });
}

/** One request to a Worker-style handler traced by the library in this process, its spans sent to the tool. */
async function sendRequest(path: string, handle: () => Promise<Response>): Promise<void> {
  const worker = withModa({
    fetch: (_request: Request, _env: Record<string, string>, _ctx: RecordingContext) => handle(),
  });
  const ctx = recordingContext();
  const env = { MODA_API_KEY: "moda-dev-local", MODA_BASE_URL: devTool.tracesUrl, MODA_SERVICE_NAME: "trip-agent" };
  await (await worker.fetch(new Request(`https://app.example${path}`, { method: "POST" }), env, ctx)).text();
  await ctx.settled();
}

/** A request whose model call fails (the mock answers 500), answered 502. */
async function sendFailingRequest(): Promise<void> {
  const openai = wrap(new OpenAI({ apiKey: "sk-local-mock", baseURL: `${stack.openaiUrl}/v1`, maxRetries: 0 }));
  await sendRequest("/broken", async () => {
    const failed = await openai.chat.completions
      .create({ model: "mock-error-500", messages: [{ role: "user", content: "Will this work?" }] })
      .then(
        () => false,
        () => true,
      );
    return new Response(failed ? "the model failed" : "ok", { status: failed ? 502 : 200 });
  });
}

describe("an agent with a tool, thinking and an image", () => {
  beforeAll(async () => {
    await sendAgentTrace();
    await requestRow("POST /plan").click();
  });

  it("the model's tool call and the tool's result, in the conversation of the call that reads them", async () => {
    await page.locator(".wf-row.role-llm").nth(1).click();
    const call = page.locator(".turn-assistant .part-tool-call");
    await expect(call.locator(".tool-name").textContent()).resolves.toBe("get_weather");
    await expect(call.locator("pre").textContent()).resolves.toContain('"city": "Paris"');
    const result = page.locator(".turn-tool .part-tool-result");
    await expect(result.locator(".tool-name").textContent()).resolves.toBe("get_weather");
    await expect(result.locator("pre").textContent()).resolves.toContain('"sky": "sunny"');
    await expect(page.locator(".turn-output").textContent()).resolves.toContain("21 °C and sunny in Paris");
    await result.scrollIntoViewIfNeeded();
    await screenshot("6-agent-tool-conversation");
  });

  it("the tool's span shows its input and its output", async () => {
    await page.locator(".wf-row.role-tool").click();
    await expect(page.locator(".io-input pre").textContent()).resolves.toContain("Paris");
    await expect(page.locator(".io-output pre").textContent()).resolves.toContain("sunny");
    await screenshot("7-tool-input-output");
  });

  it("the Claude call shows its thinking and what was sent about the image", async () => {
    await page.locator(".wf-row.role-llm", { hasText: "mock-thinking" }).click();
    await expect(page.locator(".turn-output .part-thinking").textContent()).resolves.toContain("27 * 453");
    await expect(page.locator(".turn-user .media-caption").textContent()).resolves.toMatch(
      /^image\s*image\/png · \d+ B/,
    );
    await screenshot("8-thinking-and-image");
  });
});

describe("errors, the keyboard, dark mode", () => {
  it("a failed call is marked in red, with the provider's error", async () => {
    await sendFailingRequest();
    await requestRow("POST /broken").click();
    await expect(requestRow("POST /broken").locator(".badge.status").textContent()).resolves.toBe("502");
    await page.locator(".wf-row.role-llm.error").waitFor();
    const error = page.locator('.detail .fact[data-fact="Error"] dd');
    await expect(error.textContent()).resolves.toMatch(/server had an error|500/);
    await screenshot("9-failed-call");
  });

  it("↓ and ↑ move to the older and the newer request", async () => {
    const titles = await page.locator(".request-title").allTextContents();
    const selected = () => page.locator(".request.selected .request-title").textContent();
    await expect(selected()).resolves.toBe(titles[0]);
    await page.keyboard.press("ArrowDown");
    await expect(selected()).resolves.toBe(titles[1]);
    await page.keyboard.press("ArrowUp");
    await expect(selected()).resolves.toBe(titles[0]);
  });

  it("a Vercel AI SDK call (examples/vercel-edge's kind) opens as a conversation from the SDK's own spans", async () => {
    const model = createOpenAI({ apiKey: "sk-local-mock", baseURL: `${stack.openaiUrl}/v1` }).chat("gpt-4o-mini");
    const prompt = `Planted AI SDK prompt ${crypto.randomUUID()}`;
    let answer = "";
    await sendRequest("/api/stream", async () => {
      const result = streamText({ model, prompt, experimental_telemetry: modaTelemetry() });
      for await (const chunk of result.textStream) answer += chunk;
      return new Response(answer);
    });
    await requestRow("POST /api/stream").click();
    // One call to the model: the SDK's outer span, which spans it and counts its tokens again, is not counted.
    await expect(requestRow("POST /api/stream").locator(".request-calls").count()).resolves.toBe(0);
    await page.locator(".wf-row.role-llm", { hasText: "ai.streamText.doStream" }).click();
    await expect(page.locator(".turn-user").textContent()).resolves.toContain(prompt);
    await expect(page.locator(".turn-output").textContent()).resolves.toContain(answer);
    await expect(page.locator('.detail .fact[data-fact="First chunk"] dd').textContent()).resolves.toMatch(/\d ms$/);
    await screenshot("10-ai-sdk-stream");
  });

  it("asks for nothing but its own server's URLs (no CDN: it works with no network)", () => {
    expect(pageRequests.length).toBeGreaterThan(2);
    expect(pageRequests.filter((url) => !url.startsWith(devTool.url) && !url.startsWith("data:"))).toEqual([]);
  });

  it("follows the system's dark mode", async () => {
    await page.emulateMedia({ colorScheme: "dark" });
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe("rgb(17, 20, 24)");
    await requestRow("POST /plan").click();
    await page.locator(".wf-row.role-llm").first().click();
    await screenshot("11-dark-mode");
    await page.emulateMedia({ colorScheme: "light" });
  });
});
