/**
 * The suite a server runtime runs (runtime-tests/bun, runtime-tests/deno): its binary from npm serves
 * server/chat-app.ts, pointed at the mock OpenAI and the local OTLP receiver; real HTTP requests in, decoded
 * spans out. The runtime has no `waitUntil`: the export runs after the response, unawaited.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type RunningApp, startApp } from "../../scripts/app-process";
import { type LocalSink, type LocalStack, localStackEnv, startLocalStack } from "../../scripts/local-stack";
import { postJson } from "../examples/post";
import { llmSpans, onlyTrace } from "../examples/traces";

export interface ServerRuntime {
  name: string;
  /** The runtime's binary, from node_modules/.bin. */
  bin: string;
  /** Arguments that run `entry` (a path from the repository root). */
  args: (entry: string) => string[];
  entry: string;
}

interface ChatAnswer {
  answer: string;
  usage: { prompt_tokens: number; completion_tokens: number };
}

const ROOT = new URL("../../", import.meta.url).pathname;
const SERVICE = "runtime-suite";

export function serverRuntimeSuite(runtime: ServerRuntime): void {
  describe(`${runtime.name}: withModa around a fetch handler, an AsyncLocalStorage, a wrapped OpenAI client`, () => {
    let stack: LocalStack;
    let sink: LocalSink;
    let app: RunningApp;

    beforeAll(async () => {
      stack = await startLocalStack();
      sink = stack.newSink();
      const port = await freePort();
      app = await startApp({
        cwd: ROOT,
        command: `${ROOT}node_modules/.bin/${runtime.bin}`,
        args: runtime.args(runtime.entry),
        env: { ...localStackEnv(stack, sink), PORT: String(port), SERVICE_NAME: SERVICE },
        url: `http://127.0.0.1:${port}`,
        readyLine: /^listening$/m,
        readyTimeoutMs: 30_000,
      });
    });

    afterAll(async () => {
      await app?.stop();
      await stack?.close();
    });

    it("POST /: one trace, the LLM span under the task across an await, tokens from the provider", async () => {
      const answer = await postJson<ChatAnswer>(`${app.url}/`, { prompt: " What is an edge function? " });
      const trace = onlyTrace(await sink.waitForTraces(1));
      expect(trace.root).toMatchObject({ name: "POST /", kind: "SERVER" });
      expect(trace.root.attributes["http.response.status_code"]).toBe(200);
      expect(trace.root.resource["service.name"]).toBe(SERVICE);
      const taskSpan = trace.named("answer.task");
      expect(taskSpan.parentSpanId).toBe(trace.root.spanId);
      const [llm] = llmSpans(trace);
      expect(llm?.parentSpanId).toBe(taskSpan.spanId);
      expect(llm?.attributes).toMatchObject({
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o-mini",
        "gen_ai.usage.input_tokens": answer.usage.prompt_tokens,
        "gen_ai.usage.output_tokens": answer.usage.completion_tokens,
        "llm.completions.0.content": answer.answer,
      });
      expect(llm?.attributes["gen_ai.input.messages"]).toContain("What is an edge function?");
    });
  });
}
