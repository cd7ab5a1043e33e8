/**
 * The Lambda adapter under a runtime that freezes the process after each invocation (runtime.mjs): every span of an
 * invocation is delivered before it returns, the deadline is kept when the ingest does not answer, and the
 * HTTP events (API Gateway 1.0 and 2.0, function URLs, response streaming) are described as requests.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, inject, it } from "vitest";
import type { DecodedSpan } from "../../test/support/otlp-types";
import { newSink, type Sink } from "../../test/support/receiver-client";

interface Invocation {
  handler: "http" | "streaming" | "job";
  event: unknown;
  timeoutMs?: number;
}

interface Answer {
  ok: boolean;
  result?: unknown;
  error?: string;
}

class FreezingRuntime {
  private constructor(private readonly child: ChildProcess) {}

  static async start(sink: Sink, env: Record<string, string> = {}): Promise<FreezingRuntime> {
    const child = fork(fileURLToPath(new URL("./runtime.mjs", import.meta.url)), {
      env: {
        PATH: process.env.PATH,
        MODA_API_KEY: "k",
        MODA_BASE_URL: sink.url,
        OPENAI_BASE_URL: `${inject("openaiUrl")}/v1`,
        AWS_LAMBDA_FUNCTION_NAME: "ask-fn",
        ...env,
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    await new Promise<void>((resolve, reject) => {
      child.once("message", () => resolve());
      child.once("exit", (code) => reject(new Error(`the runtime exited with ${code}`)));
    });
    const runtime = new FreezingRuntime(child);
    runtime.freeze();
    return runtime;
  }

  /** Thaws the process, runs one invocation, and freezes the process again as soon as it has answered. */
  async invoke(invocation: Invocation): Promise<unknown> {
    const answered = new Promise<Answer>((resolve) =>
      this.child.once("message", (answer) => resolve(answer as Answer)),
    );
    this.child.kill("SIGCONT");
    this.child.send({ requestId: crypto.randomUUID(), timeoutMs: 30_000, ...invocation });
    const answer = await answered;
    this.freeze();
    if (!answer.ok) throw new Error(answer.error);
    return answer.result;
  }

  freeze(): void {
    this.child.kill("SIGSTOP");
  }

  stop(): void {
    this.child.kill("SIGKILL");
  }
}

const V2_EVENT = {
  version: "2.0",
  routeKey: "POST /chat/{id}",
  rawPath: "/chat/7",
  headers: { "user-agent": "curl/8", traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
  requestContext: { http: { method: "POST" }, domainName: "abc.execute-api.eu-west-1.amazonaws.com" },
};
const V1_EVENT = {
  httpMethod: "GET",
  path: "/items/3",
  resource: "/items/{id}",
  headers: { "User-Agent": "curl/8" },
  requestContext: { domainName: "abc.execute-api.eu-west-1.amazonaws.com" },
};
const FUNCTION_URL_EVENT = {
  version: "2.0",
  routeKey: "$default",
  rawPath: "/ask",
  headers: {},
  requestContext: { http: { method: "POST" }, domainName: "xyz.lambda-url.eu-west-1.on.aws" },
};

let runtime: FreezingRuntime | undefined;
afterEach(() => runtime?.stop());

function rootOf(spans: DecodedSpan[]): DecodedSpan | undefined {
  return spans.find((span) => span.kind === "SERVER");
}

describe("withModa on Lambda, in a runtime that freezes the process after each invocation", () => {
  it("delivers each invocation's spans before it returns: none waits for the next invocation", async () => {
    const sink = newSink();
    runtime = await FreezingRuntime.start(sink);
    for (const [n, event] of [V2_EVENT, V1_EVENT].entries()) {
      const result = (await runtime.invoke({ handler: "http", event })) as { statusCode: number };
      expect(result.statusCode).toBe(201);
      // The process is frozen now: what has not arrived will not until the next invocation.
      const spans = await sink.spans();
      expect(spans).toHaveLength(2 * (n + 1));
    }
    const spans = await sink.spans();
    const v2 = spans.find((span) => span.name === "POST /chat/{id}");
    expect(v2).toMatchObject({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      parentSpanId: "00f067aa0ba902b7",
      attributes: {
        "cloud.provider": "aws",
        "faas.trigger": "http",
        "faas.name": "ask-fn",
        "http.request.method": "POST",
        "http.route": "/chat/{id}",
        "url.path": "/chat/7",
        "server.address": "abc.execute-api.eu-west-1.amazonaws.com",
        "user_agent.original": "curl/8",
        "http.response.status_code": 201,
      },
      resource: { "service.name": "ask-fn" },
    });
    expect(v2?.attributes["faas.invocation_id"]).toMatch(/^[\da-f-]{36}$/);
    const v1 = spans.find((span) => span.name === "GET /items/{id}");
    expect(v1?.attributes).toMatchObject({ "http.route": "/items/{id}", "user_agent.original": "curl/8" });
    for (const root of [v1, v2]) {
      expect(spans.find((span) => span.parentSpanId === root?.spanId)?.name).toBe("chat gpt-4o-mini");
    }
  });

  it("a function URL, a streamed response, and an event of another kind", async () => {
    const sink = newSink();
    runtime = await FreezingRuntime.start(sink);
    await runtime.invoke({ handler: "http", event: FUNCTION_URL_EVENT });
    expect(rootOf(await sink.spans())).toMatchObject({ name: "POST /ask", attributes: { "url.path": "/ask" } });
    const streamed = (await runtime.invoke({ handler: "streaming", event: FUNCTION_URL_EVENT })) as { body: string };
    expect(streamed.body).toMatch(/^first .+/);
    expect(await sink.spans()).toHaveLength(4);
    await runtime.invoke({ handler: "job", event: { id: "j-1" } });
    const job = (await sink.spans()).find((span) => span.name === "ask-fn");
    expect(job).toMatchObject({ kind: "SERVER", attributes: { "faas.trigger": "other" } });
  });

  it.each([
    ["MODA_EXPORT_TIMEOUT_MS", { MODA_EXPORT_TIMEOUT_MS: "300" }, 30_000],
    ["the invocation's remaining time", {}, 900],
  ])("returns within %s when the ingest never answers", async (_, env, timeoutMs) => {
    const sink = newSink();
    await sink.script([{ hang: true }, { hang: true }, { hang: true }]);
    runtime = await FreezingRuntime.start(sink, env);
    const result = (await runtime.invoke({ handler: "http", event: V2_EVENT, timeoutMs })) as { statusCode: number };
    expect(result.statusCode).toBe(201);
    expect((await sink.requests()).length).toBeGreaterThan(0);
  });
});
