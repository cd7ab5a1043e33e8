/**
 * The suite a server runtime runs (runtime-tests/bun, runtime-tests/deno): its binary from npm serves
 * server/chat-app.ts, pointed at the mock OpenAI and the local OTLP receiver; real HTTP requests in, decoded
 * spans out (a streamed answer through a relay that paces the mock's events). The runtime has no `waitUntil`: the
 * export runs after the response, unawaited.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../scripts/app-process";
import { type LocalSink, type LocalStack, localStackEnv, startLocalStack } from "../../scripts/local-stack";
import { type PacedRelay, startPacedRelay } from "../support/paced-relay";
import { postJson, postSse } from "../support/post";
import { type ChatAnswer, expectChatTrace, expectEndedWithStream, llmSpans, onlyTrace } from "../support/traces";

export interface ServerRuntime {
  name: string;
  /** The runtime's binary, from test/node_modules/.bin (test/package.json installs Bun and Deno). */
  bin: string;
  /** Arguments that run `entry` (a path from the repository root). */
  args: (entry: string) => string[];
  entry: string;
}

const ROOT = new URL("../../", import.meta.url).pathname;
const SERVICE = "runtime-suite";
/** Deno compiles the app's TypeScript on its first start. */
const READY_TIMEOUT_MS = 30_000;

export function serverRuntimeSuite(runtime: ServerRuntime): void {
  describe(`${runtime.name}: withModa around a fetch handler, the runtime's AsyncLocalStorage, a wrapped OpenAI client`, () => {
    let stack: LocalStack;
    let sink: LocalSink;
    let app: RunningApp;
    let relay: PacedRelay;

    beforeAll(async () => {
      stack = await startLocalStack();
      relay = await startPacedRelay(stack.openaiUrl);
      sink = stack.newSink();
      app = await startApp({
        cwd: ROOT,
        command: `${ROOT}test/node_modules/.bin/${runtime.bin}`,
        args: runtime.args(runtime.entry),
        env: {
          ...localStackEnv(stack, sink),
          OPENAI_BASE_URL: `${relay.url}/v1`,
          SERVICE_NAME: SERVICE,
        },
        url: ([, port]) => `http://127.0.0.1:${port}`,
        readyLine: /^listening on (\d+)$/m,
        readyTimeoutMs: READY_TIMEOUT_MS,
      });
    }, READY_TIMEOUT_MS + 5_000);

    afterAll(async () => {
      await app?.stop();
      await relay?.close();
      await stack?.close();
    });

    it("POST /stream: the request span ends only after the last event, the LLM span holds the answer", async () => {
      await sink.reset();
      const streamed = await postSse(`${app.url}/stream`, { prompt: "Tell me a story." });
      expect(streamed.events.at(-1)?.event).toBe("done");
      const text = streamed.events
        .filter((event) => event.event === "delta")
        .map((event) => JSON.parse(event.data) as string)
        .join("");
      expect(text).not.toBe("");
      const trace = onlyTrace(await sink.waitForTraces(1));
      expect(trace.root.name).toBe("POST /stream");
      const [llm] = llmSpans(trace);
      expect(llm?.parentSpanId).toBe(trace.root.spanId);
      expect(llm?.attributes).toMatchObject({ "gen_ai.request.stream": true, "llm.completions.0.content": text });
      expectEndedWithStream(trace.root, relay.lastStream());
    });

    it("POST /: one trace, the LLM span under the task across an await, tokens from the provider", async () => {
      await sink.reset();
      const answer = await postJson<ChatAnswer>(`${app.url}/`, { prompt: " What is an edge function? " });
      const trace = onlyTrace(await sink.waitForTraces(1));
      const taskSpan = trace.named("answer.task");
      expect(taskSpan.parentSpanId).toBe(trace.root.spanId);
      const llm = expectChatTrace(trace, "POST /", SERVICE, answer, taskSpan);
      expect(llm.attributes["llm.completions.0.content"]).toBe(answer.answer);
      expect(llm.attributes["gen_ai.input.messages"]).toContain("What is an edge function?");
      // Under 1 MiB, so sent plain: gzip costs more CPU than the bytes it saves (src/export/gzip.ts).
      const [request, ...others] = await sink.requests();
      expect(others).toEqual([]);
      expect(request).toMatchObject({ contentEncoding: "", spanCount: trace.spans.length });
    });
  });
}
