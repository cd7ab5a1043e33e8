/**
 * `npx moda-edge dev` as a new user runs it beside examples/cf-worker: the built command on a port it picks, the
 * Worker under `wrangler dev` pointed at it (with the mock providers), and the page in headless Chromium. Each
 * view is written as a screenshot to runtime-tests/examples/screenshots/ (git-ignored). `--forward` is on, to a
 * local receiver standing in for Moda, with a planted key that must reach it and appear nowhere else.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../scripts/app-process";
import { type RunningDevTool, startDevTool } from "../../scripts/dev-tool-process";
import { CF_WORKER_DIR, ensureExampleInstalled, startCfWorker } from "../../scripts/examples";
import { type LocalSink, type LocalStack, localStackEnv, startLocalStack } from "../../scripts/local-stack";
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

beforeAll(async () => {
  ensureExampleInstalled(CF_WORKER_DIR, console.log);
  mkdirSync(SCREENSHOTS, { recursive: true });
  stack = await startLocalStack();
  moda = stack.newSink();
  devTool = await startDevTool(["--forward", "--forward-url", moda.tracesUrl], { MODA_API_KEY: PLANTED_KEY });
  const vars = { ...localStackEnv(stack, moda), MODA_BASE_URL: devTool.tracesUrl, MODA_API_KEY: "moda-dev-local" };
  [worker, browser] = await Promise.all([startCfWorker({ vars }), launchChromium()]);
  page = await browser.context.newPage();
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
    await expect(page.locator(".fact", { hasText: "First chunk" }).locator("dd").textContent()).resolves.toMatch(
      /\d ms$/,
    );
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
    await expect(page.locator(".detail .fact", { hasText: "Status" }).locator("dd").textContent()).resolves.toBe("200");
    await screenshot("5-request-span");
  });

  it("--forward sends each export on to Moda with the key, which the tool never prints or shows", async () => {
    const forwarded = await moda.waitForTraces(2);
    expect(new Set(forwarded.map((span) => span.name))).toEqual(
      new Set(["POST /chat", "POST /stream", "chat gpt-4o-mini", "chat claude-sonnet-4-5"]),
    );
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
