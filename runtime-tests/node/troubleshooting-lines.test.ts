/**
 * The log lines docs/troubleshooting.md quotes are the lines moda-edge writes: each situation it describes (a
 * delivered export, no key, a rejected key, no waitUntil, a refused connection, a stream nobody finished) is
 * provoked here, and every `[moda-edge]` line of the page's text blocks must match one the tracer wrote. Numbers,
 * hosts and an elided `…` may differ.
 */
import { readFileSync } from "node:fs";
import { format } from "node:util";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { withModa, wrapOpenAI } from "../../src/index";
import { recordingContext, type TestWorker } from "../../test/support/execution-context";
import { closedUrl, newSink } from "../../test/support/receiver-client";

const DOC = new URL("../../docs/troubleshooting.md", import.meta.url);

/** The `[moda-edge]` lines of the page's ```text blocks. */
function quotedLines(): string[] {
  const text = readFileSync(DOC, "utf8");
  return [...text.matchAll(/^ *```text\n([\s\S]*?)^ *```$/gm)]
    .flatMap((block) => (block[1] ?? "").split("\n"))
    .map((line) => line.trim())
    .filter((line) => line.startsWith("[moda-edge]"));
}

const MODA_URL = "https://moda-ingest.modas.workers.dev/v1/traces";

/** A quoted line as a pattern: any number for a number, any URL for Moda's, anything for `…`. */
function pattern(line: string): RegExp {
  const escaped = line
    .split("…")
    .map((part) =>
      part
        .split(MODA_URL)
        .map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\d+/g, "\\d+"))
        .join("\\S+"),
    )
    .join(".*");
  return new RegExp(`^${escaped}$`);
}

const written: string[] = [];
beforeAll(() => {
  for (const method of ["debug", "warn", "error"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      written.push(format(...args));
    });
  }
});
afterAll(() => vi.restoreAllMocks());

type Env = Record<string, string>;

async function serve(env: Env, handler: TestWorker["fetch"] = () => new Response("ok")): Promise<void> {
  const ctx = recordingContext();
  const worker = withModa<TestWorker>({ fetch: handler });
  // Every request exported: the situations are the export's, not the requests'.
  const exported = { MODA_DEBUG: "true", MODA_EXPORT_ALL_REQUESTS: "true", ...env };
  await (await worker.fetch(new Request("https://app.example/"), exported, ctx)).text();
  await ctx.settled();
}

describe("the log lines of docs/troubleshooting.md", () => {
  it("are the lines moda-edge writes in the situations the page describes", async () => {
    const sink = newSink();
    await serve({ MODA_API_KEY: "test-key", MODA_BASE_URL: sink.url });
    await serve({});
    const rejecting = newSink();
    await rejecting.script([{ status: 401, body: "invalid API key" }]);
    await serve({ MODA_API_KEY: "test-key", MODA_BASE_URL: rejecting.url });
    const unawaited = withModa(async (_request: Request) => new Response("no waitUntil"), {
      apiKey: "test-key",
      baseUrl: newSink().url,
      debug: true,
    });
    await (await unawaited(new Request("https://app.example/"))).text();
    await serve({ MODA_API_KEY: "test-key", MODA_BASE_URL: await closedUrl(), MODA_EXPORT_TIMEOUT_MS: "1500" });
    await serve({ MODA_API_KEY: "test-key", MODA_BASE_URL: newSink().url, MODA_SPAN_WAIT_MS: "50" }, async () => {
      const openai = wrapOpenAI(
        new OpenAI({ apiKey: "test-key", baseURL: `${inject("openaiUrl")}/v1`, maxRetries: 0 }),
      );
      await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [], stream: true });
      return new Response("the stream is never read");
    });

    const quoted = quotedLines();
    expect(quoted.length).toBeGreaterThanOrEqual(7);
    const unmatched = quoted.filter((line) => !written.some((w) => pattern(line).test(w)));
    expect(unmatched, `written:\n${written.join("\n")}`).toEqual([]);
  });
});
