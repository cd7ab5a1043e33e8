/**
 * A request whose Worker `env` is invalid runs untraced, and its spans (LLM calls, entities, setAttributes) go
 * nowhere: not to `init()`'s background scope either, whose key and content policy are not that env's. Without an
 * AsyncLocalStorage only what starts in the handler's synchronous part is known to be the request's; with one,
 * what starts after an `await` too. Each case runs in a fresh copy of the library, since `init()` is isolate-wide.
 */
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { recordingContext, type TestWorker } from "../support/execution-context";
import { freshIsolate, type Isolate } from "../support/fresh-isolate";
import { newSink } from "../support/receiver-client";

let isolate: Isolate;
beforeEach(async () => {
  isolate = await freshIsolate();
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

const PROMPT = "TOKPRIVATE_PROMPT";

describe("a request whose Worker env is invalid", () => {
  it.each([
    ["a value no option takes", { MODA_SAMPLE_RATE: "10%" }],
    ["a malformed header list", { MODA_HEADERS: "x-team: abc" }],
  ])("(%s): none of its spans is exported under init()'s settings", async (_, invalid) => {
    const { moda, context } = isolate;
    const sink = newSink();
    moda.init({ apiKey: "init-key", baseUrl: sink.url });
    const openai = moda.wrap(new OpenAI({ apiKey: "sk-test", baseURL: `${inject("openaiUrl")}/v1`, maxRetries: 0 }));
    const step = moda.task("step", (text: string) => text.length);
    const worker = moda.withModa<TestWorker>({
      async fetch() {
        const answer = openai.chat.completions.create({
          model: "gpt-4o",
          messages: [{ role: "user", content: PROMPT }],
        });
        step(PROMPT);
        moda.setAttributes({ "app.note": PROMPT });
        await answer;
        if (context.hasAsyncContext()) step(PROMPT);
        return new Response("served");
      },
    });
    const ctx = recordingContext();
    const env = { MODA_TRACE_CONTENT: "false", ...invalid };
    const response = await worker.fetch(new Request("https://app.example/"), env, ctx);
    expect(await response.text()).toBe("served");
    await ctx.settled();
    // A span of no request, which goes out under init()'s settings: the export is there to see.
    moda.task("background", () => undefined)();
    await moda.flush();
    const spans = await sink.spans();
    expect(spans.map((span) => span.name)).toEqual(["background.task"]);
    expect(JSON.stringify(spans)).not.toContain(PROMPT);
  });
});
