/**
 * Durable Objects, WorkerEntrypoint RPC, Workflows, and the queue and email handlers, traced by `withModa` in workerd
 * on both sides of 2026-08-04, through the runtime's own local bindings (a Durable Object namespace, a service
 * binding, a Workflow, a queue producer and consumer, the email trigger). Real HTTP in; decoded spans out.
 */
import { describe, expect, inject, it } from "vitest";
import type { DecodedSpan } from "../../test/support/otlp-types";
import type { Sink } from "../../test/support/receiver-client";
import { BOTH_SIDES, workerFor } from "./support/worker";

function llmChildOf(spans: DecodedSpan[], parent: DecodedSpan | undefined): DecodedSpan | undefined {
  return spans.find((span) => span.parentSpanId === parent?.spanId && span.attributes["gen_ai.operation.name"]);
}

function named(spans: DecodedSpan[], name: string): DecodedSpan | undefined {
  return spans.find((span) => span.name === name);
}

/** Polls until a span called `name` has arrived (with its trace's other spans so far). */
async function waitForSpanNamed(sink: Sink, name: string): Promise<DecodedSpan[]> {
  for (let tries = 0; tries < 200; tries++) {
    const spans = await sink.spans();
    if (named(spans, name)) return spans;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no span named ${name} arrived`);
}

describe.each(BOTH_SIDES)("Cloudflare classes in workerd, compatibility date %s, no flags", (date) => {
  const running = workerFor("classes.ts", date, (tracesUrl) => ({
    bindings: { MODA_API_KEY: "k", MODA_BASE_URL: tracesUrl, OPENAI_BASE_URL: `${inject("openaiUrl")}/v1` },
    durableObjects: { NOTES: "Notes" },
    serviceBindings: { GREETER: { name: "main", entrypoint: "Greeter" } },
    workflows: { FLOW: { name: "flow", className: "Flow" } },
    queueProducers: { JOBS: { queueName: "jobs" } },
    queueConsumers: { jobs: { maxBatchSize: 3, maxBatchTimeout: 1, maxRetries: 1 } },
    unsafeTriggerHandlers: true,
  }));

  async function get(path: string): Promise<string> {
    const response = await running.worker.dispatchFetch(`http://app.example${path}`);
    const text = await response.text();
    expect(response.status, text).toBeLessThan(400);
    return text;
  }

  /**
   * Requests `path` of the Worker, which calls a class; returns the span `calleeName` the call made, checked to be
   * a SERVER child of the Worker's request span `GET <path>`, with an LLM span under it.
   */
  async function calleeOf(path: string, calleeName: string): Promise<DecodedSpan | undefined> {
    const before = (await running.sink.spans()).length;
    await get(path);
    const spans = await running.sink.waitForSpans(before + 3);
    const caller = named(spans, `GET ${path}`);
    const callee = named(spans, calleeName);
    expect(callee).toMatchObject({ traceId: caller?.traceId, parentSpanId: caller?.spanId, kind: "SERVER" });
    expect(llmChildOf(spans, callee)?.name).toBe("chat gpt-4o-mini");
    return callee;
  }

  it("a Durable Object's fetch: a root span of its own in the caller's trace, its LLM call under it", async () => {
    const object = await calleeOf("/do/fetch", "GET /ask");
    expect(object?.attributes).toMatchObject({
      "code.namespace": "Notes",
      "cloud.provider": "cloudflare",
      "http.response.status_code": 200,
    });
  });

  it("an RPC method: one span per call, in the trace of the caller that passed traceHeaders()", async () => {
    const rpc = await calleeOf("/do/rpc", "Notes/summarise");
    expect(rpc?.attributes).toMatchObject({
      "rpc.system": "cloudflare_workers",
      "rpc.service": "Notes",
      "rpc.method": "summarise",
    });
    // wordCount, called by summarise on the same object, is part of that call.
    expect(named(await running.sink.spans(), "Notes/wordCount")).toBeUndefined();
  });

  it("a WorkerEntrypoint's RPC method over a service binding", async () => {
    await calleeOf("/entrypoint", "Greeter/greet");
  });

  it("an alarm: a root span of its own, with the work it did", async () => {
    await get("/do/alarm");
    const spans = await waitForSpanNamed(running.sink, "Notes.alarm");
    const alarm = named(spans, "Notes.alarm");
    expect(alarm).toMatchObject({ parentSpanId: "", attributes: { "faas.trigger": "timer" } });
    expect(llmChildOf(spans, alarm)).toBeDefined();
  });

  it("a hibernatable WebSocket message: a span per message, with the work it did", async () => {
    const response = await running.worker.dispatchFetch("http://app.example/do/ws", {
      headers: { upgrade: "websocket" },
    });
    const socket = response.webSocket;
    if (!socket) throw new Error("no WebSocket in the answer");
    socket.accept();
    const answered = new Promise<unknown>((resolve) =>
      socket.addEventListener("message", (event) => resolve(event.data)),
    );
    socket.send("hello");
    expect(await answered).toEqual(expect.any(String));
    socket.close();
    const spans = await waitForSpanNamed(running.sink, "Notes.webSocketMessage");
    const message = named(spans, "Notes.webSocketMessage");
    expect(message?.parentSpanId).toBe("");
    expect(llmChildOf(spans, message)).toBeDefined();
  });

  it("a Workflow: the instance is one trace, each step.do a span under the run", async () => {
    const instanceId = crypto.randomUUID();
    await get(`/workflow?id=${instanceId}`);
    const spans = await waitForSpanNamed(running.sink, "step count");
    const run = named(spans, "Flow.run");
    expect(run).toMatchObject({
      traceId: instanceId.replace(/-/g, ""),
      attributes: { "cloudflare.workflow.instance_id": instanceId, "code.namespace": "Flow" },
    });
    const ask = named(spans, "step ask");
    expect(ask).toMatchObject({ parentSpanId: run?.spanId, traceId: run?.traceId });
    expect(llmChildOf(spans, ask)).toBeDefined();
    expect(named(spans, "step count")?.parentSpanId).toBe(run?.spanId);
  });

  it("a queue batch from the local queue: one span, each message listed, its acks and retries recorded", async () => {
    await get("/queue");
    const spans = await waitForSpanNamed(running.sink, "process jobs");
    const batch = named(spans, "process jobs");
    expect(batch).toMatchObject({
      kind: "CONSUMER",
      parentSpanId: "",
      attributes: {
        "messaging.system": "cloudflare_queues",
        "messaging.destination.name": "jobs",
        "messaging.batch.message_count": 3,
        "cloudflare.queue.acked_count": 2,
        "cloudflare.queue.retried_count": 1,
      },
    });
    const events = batch?.events ?? [];
    const listed = events.filter((event) => event.name === "message");
    expect(listed).toHaveLength(3);
    for (const event of listed) expect(event.attributes["cloudflare.queue.message.attempts"]).toBe(1);
    const retry = events.find((event) => event.name === "retry");
    expect(retry?.attributes).toMatchObject({ "cloudflare.queue.retry.delay_seconds": 60 });
    expect(events.filter((event) => event.name === "ack")).toHaveLength(2);
    expect(llmChildOf(spans, batch)).toBeDefined();
  });

  it("an email from the local email trigger: one span, no address in it", async () => {
    const raw = [
      "From: sender@example.com",
      "To: inbox@example.com",
      "Message-ID: <trace-test@example.com>",
      "Subject: hello",
      "",
      "Hello there.",
      "",
    ].join("\r\n");
    const response = await running.worker.dispatchFetch(
      "http://app.example/cdn-cgi/local/email?from=sender@example.com&to=inbox@example.com",
      { method: "POST", body: raw },
    );
    expect(response.status, await response.text()).toBe(200);
    const spans = await waitForSpanNamed(running.sink, "email");
    const email = named(spans, "email");
    expect(email).toMatchObject({ kind: "CONSUMER", attributes: { "email.message.size": expect.any(Number) } });
    expect(JSON.stringify(email)).not.toContain("example.com");
    expect(llmChildOf(spans, email)).toBeDefined();
  });
});
