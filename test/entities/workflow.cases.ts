/**
 * The workflow/task/agent/tool suite, run by test/entities/workflow.test.ts in every runtime (with whatever
 * AsyncLocalStorage the runtime has) and by runtime-tests/node/workflow-als.test.ts with one handed to init().
 * Where nesting depends on an AsyncLocalStorage, the expectation says both outcomes.
 */
import OpenAI from "openai";
import { describe, expect, expectTypeOf, inject, it } from "vitest";
import { hasAsyncContext } from "../../src/core/context";
import {
  agent,
  flush,
  setAttributes,
  task,
  tool,
  withAssociationProperties,
  withConversation,
  withPrompt,
  withUser,
  workflow,
  wrap,
} from "../../src/index";
import type { DecodedSpan } from "../support/receiver-client";
import { json, tick, traceRequest } from "../support/trace-request";

const openai = wrap(new OpenAI({ apiKey: "test-key", baseURL: `${inject("openaiUrl")}/v1`, maxRetries: 0 }));

/** One chat completion whose prompt identifies its span (`llm.prompts.0.content`). */
async function ask(prompt: string): Promise<string> {
  const completion = await openai.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: prompt }],
  });
  return completion.choices[0]?.message.content ?? "";
}

const PROMPT = "llm.prompts.0.content";

/**
 * The parent a span started after an `await` gets: the call tree with an AsyncLocalStorage; without one, the
 * request span, the innermost span known for sure.
 */
function parentAfterAwait(callTreeParent: DecodedSpan, root: DecodedSpan): string {
  return (hasAsyncContext() ? callTreeParent : root).spanId;
}

export function workflowSuite(): void {
  describe("nesting", () => {
    it("nests workflow → task → tool and LLM calls, with both attribute families", async () => {
      const calculator = tool("calculator", (input: { expression: string }) => ({ value: 4, of: input.expression }));
      const answer = task("answer", async (question: string) => {
        calculator({ expression: "2+2" });
        return ask(question);
      });
      const review = task("review", async (draft: string) => {
        await tick();
        return ask(`review: ${draft}`);
      });
      const chat = workflow({ name: "chat", version: 2 }, async (question: string) => {
        const draft = await answer(question);
        return review(draft);
      });
      const trace = await traceRequest(7, () => chat("what is 2+2"));
      const flow = trace.named("invoke_workflow chat");
      const answerSpan = trace.named("answer.task");
      const reviewSpan = trace.named("review.task");
      const calc = trace.named("execute_tool calculator");
      const firstCall = trace.having(PROMPT, "what is 2+2");
      const secondCall = trace.having(PROMPT, "review: Hello! How can I help you today?");

      expect(trace.result).toBe("Hello! How can I help you today?");
      expect(flow.parentSpanId).toBe(trace.root.spanId);
      expect(answerSpan.parentSpanId).toBe(flow.spanId);
      expect(calc.parentSpanId).toBe(answerSpan.spanId);
      expect(firstCall.parentSpanId).toBe(answerSpan.spanId);
      expect(reviewSpan.parentSpanId).toBe(parentAfterAwait(flow, trace.root));
      expect(secondCall.parentSpanId).toBe(parentAfterAwait(reviewSpan, trace.root));

      expect(flow).toMatchObject({ kind: "INTERNAL", status: { code: "UNSET" } });
      expect(flow.attributes).toMatchObject({
        "traceloop.span.kind": "workflow",
        "traceloop.entity.name": "chat",
        "traceloop.entity.version": 2,
        "traceloop.workflow.name": "chat",
        "gen_ai.operation.name": "invoke_workflow",
        "gen_ai.workflow.name": "chat",
      });
      expect(json(flow.attributes["traceloop.entity.input"])).toEqual({ args: ["what is 2+2"], kwargs: {} });
      expect(json(flow.attributes["traceloop.entity.output"])).toBe("Hello! How can I help you today?");
      expect(answerSpan.attributes).toMatchObject({
        "traceloop.span.kind": "task",
        "traceloop.entity.name": "answer",
        "traceloop.workflow.name": "chat",
      });
      expect(answerSpan.attributes["gen_ai.operation.name"]).toBeUndefined();
      expect(answerSpan.attributes["traceloop.entity.path"]).toBeUndefined();
      expect(calc.attributes).toMatchObject({
        "traceloop.span.kind": "tool",
        "traceloop.entity.path": "answer",
        "traceloop.workflow.name": "chat",
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": "calculator",
        "gen_ai.tool.type": "function",
      });
      expect(json(calc.attributes["gen_ai.tool.call.arguments"])).toEqual({ expression: "2+2" });
      expect(json(calc.attributes["gen_ai.tool.call.result"])).toEqual({ value: 4, of: "2+2" });
      expect(json(calc.attributes["traceloop.entity.input"])).toEqual({ args: [], kwargs: { expression: "2+2" } });
      expect(firstCall.attributes["traceloop.workflow.name"]).toBe("chat");
      expect(secondCall.attributes["traceloop.workflow.name"]).toBe(hasAsyncContext() ? "chat" : undefined);
    });

    it("parents parallel tasks under their workflow, each LLM call under its own task", async () => {
      const part = task("part", async (topic: string) => {
        await tick();
        return ask(`part ${topic}`);
      });
      const plan = workflow("plan", async () => {
        const early = await Promise.all([part("a"), part("b")]);
        await tick();
        const late = await Promise.all([part("c"), part("d")]);
        return [...early, ...late];
      });
      const trace = await traceRequest(10, () => plan());
      const flow = trace.named("invoke_workflow plan");
      expect(trace.result).toHaveLength(4);
      for (const topic of ["a", "b", "c", "d"]) {
        const partSpan = trace.having("traceloop.entity.input", JSON.stringify({ args: [topic], kwargs: {} }));
        const call = trace.having(PROMPT, `part ${topic}`);
        const startedInSyncPart = topic === "a" || topic === "b";
        expect(partSpan.parentSpanId).toBe(startedInSyncPart ? flow.spanId : parentAfterAwait(flow, trace.root));
        expect(call.parentSpanId).toBe(parentAfterAwait(partSpan, trace.root));
      }
    });

    it("runs an agent that names the workflow only where no workflow encloses it", async () => {
      const planner = agent({ name: "planner", version: "1.2.0" }, (goal: string) => ask(goal));
      const outer = workflow("trip", () => planner("plan a trip"));
      const trace = await traceRequest(6, async () => [await planner("alone"), await outer()]);
      const alone = trace.having(PROMPT, "alone");
      const inWorkflow = trace.having(PROMPT, "plan a trip");
      const agents = trace.spans.filter((s) => s.name === "invoke_agent planner");
      expect(agents).toHaveLength(2);
      for (const span of agents) {
        expect(span.attributes).toMatchObject({
          "traceloop.span.kind": "agent",
          "gen_ai.operation.name": "invoke_agent",
          "gen_ai.agent.name": "planner",
          "gen_ai.agent.version": "1.2.0",
          "traceloop.entity.version": "1.2.0",
        });
      }
      expect(alone.attributes["traceloop.workflow.name"]).toBe("planner");
      expect(inWorkflow.attributes["traceloop.workflow.name"]).toBe("trip");
    });
  });

  describe("errors", () => {
    it("ends the span with the error recorded and hands the caller the same error object", async () => {
      const boom = new RangeError("boom");
      const bad = new TypeError("bad input");
      const explode = task("explode", async () => {
        await tick();
        throw boom;
      });
      const broken = tool("broken", (_input: string) => {
        throw bad;
      });
      const pipeline = workflow("pipeline", () => explode());
      const trace = await traceRequest(4, async () => {
        let thrown: unknown;
        try {
          broken("x");
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBe(bad);
        const rejected = await pipeline().catch((error: unknown) => error);
        expect(rejected).toBe(boom);
        return "handled";
      });
      expect(trace.result).toBe("handled");
      for (const [name, error] of [
        ["explode.task", boom],
        ["invoke_workflow pipeline", boom],
        ["execute_tool broken", bad],
      ] as const) {
        const span = trace.named(name);
        expect(span.status).toEqual({ code: "ERROR", message: error.message });
        expect(span.attributes["error.type"]).toBe(error.name);
        expect(span.attributes["traceloop.entity.output"]).toBeUndefined();
        expect(span.events).toHaveLength(1);
        expect(span.events[0]).toMatchObject({
          name: "exception",
          attributes: { "exception.type": error.name, "exception.message": error.message },
        });
      }
      expect(trace.root.status.code).toBe("UNSET");
    });
  });

  describe("generators", () => {
    it("keeps a generator's span open until it finishes, with each step under the entity", async () => {
      const source = function* (count: number) {
        for (let i = 0; i < count; i++) yield `t${i}`;
        return "done";
      };
      const tokens = workflow("tokens", source);
      expectTypeOf(tokens).toEqualTypeOf(source);
      const trace = await traceRequest(2, () => {
        const generator = tokens(3);
        expect([...generator]).toEqual(["t0", "t1", "t2"]);
        expect(generator.next()).toEqual({ done: true, value: undefined });
        return "consumed";
      });
      expect(json(trace.named("invoke_workflow tokens").attributes["traceloop.entity.output"])).toEqual([
        "t0",
        "t1",
        "t2",
      ]);
    });

    it("ends the span when the consumer stops early", async () => {
      const counter = task("counter", function* () {
        for (let i = 0; ; i++) yield i;
      });
      const trace = await traceRequest(2, () => {
        for (const n of counter()) if (n === 2) break;
      });
      expect(json(trace.named("counter.task").attributes["traceloop.entity.output"])).toEqual([0, 1, 2]);
    });

    it("traces an async generator from first step to last, LLM calls of its steps included", async () => {
      const stepDelayMs = 30;
      const streamer = agent("streamer", async function* (topic: string) {
        yield await ask(topic);
        yield "end";
      });
      let lastStepAt = 0;
      const trace = await traceRequest(3, async () => {
        const seen: string[] = [];
        for await (const chunk of streamer("stream me")) {
          seen.push(chunk);
          lastStepAt = Date.now();
          // The caller takes its time between steps: a span that ended at the first step would end long before.
          await new Promise((resolve) => setTimeout(resolve, stepDelayMs));
        }
        return seen;
      });
      const span = trace.named("invoke_agent streamer");
      const call = trace.having(PROMPT, "stream me");
      expect(trace.result).toEqual(["Hello! How can I help you today?", "end"]);
      expect(call.parentSpanId).toBe(span.spanId);
      // It ends when the generator finishes: after the caller had the last step.
      expect(Number(BigInt(span.endTimeUnixNano) / 1_000_000n)).toBeGreaterThanOrEqual(lastStepAt - 1);
      expect(json(span.attributes["traceloop.entity.output"])).toEqual(trace.result);
    });

    it("records an error thrown inside an async generator and rethrows it unchanged", async () => {
      const failure = new Error("stream broke");
      const flaky = task("flaky", async function* () {
        yield 1;
        throw failure;
      });
      const trace = await traceRequest(2, async () => {
        const seen: number[] = [];
        const error = await (async () => {
          for await (const n of flaky()) seen.push(n);
        })().catch((e: unknown) => e);
        expect(error).toBe(failure);
        return seen;
      });
      expect(trace.result).toEqual([1]);
      expect(trace.named("flaky.task").status).toEqual({ code: "ERROR", message: "stream broke" });
    });
  });

  describe("association properties, conversation and user", () => {
    it("merges association properties with outer ones, innermost key winning, down to the LLM spans", async () => {
      const support = workflow({ name: "support", associationProperties: { plan: "pro", region: "eu" } }, () =>
        withAssociationProperties({ ticket: "T-1" }, () => ask("help")),
      );
      const trace = await traceRequest(4, async () => {
        await withAssociationProperties({ tenant: "acme", plan: "free" }, () => support());
        return ask("outside");
      });
      const prefix = "traceloop.association.properties.";
      const flow = trace.named("invoke_workflow support");
      expect(flow.attributes).toMatchObject({
        [`${prefix}tenant`]: "acme",
        [`${prefix}plan`]: "pro",
        [`${prefix}region`]: "eu",
      });
      expect(flow.attributes[`${prefix}ticket`]).toBeUndefined();
      expect(trace.having(PROMPT, "help").attributes).toMatchObject({
        [`${prefix}tenant`]: "acme",
        [`${prefix}plan`]: "pro",
        [`${prefix}region`]: "eu",
        [`${prefix}ticket`]: "T-1",
      });
      const outside = trace.having(PROMPT, "outside").attributes;
      expect(Object.keys(outside).filter((key) => key.startsWith(prefix))).toEqual([]);
    });

    it("puts the conversation and user ids on every span below, the innermost conversation winning", async () => {
      const both = workflow("converse", () =>
        Promise.all([ask("q1"), withConversation("conv-inner", () => ask("q2"))]),
      );
      const trace = await traceRequest(4, () => withUser("user-1", () => withConversation("conv-outer", both)));
      expect(trace.named("invoke_workflow converse").attributes).toMatchObject({
        "moda.conversation_id": "conv-outer",
        "gen_ai.conversation.id": "conv-outer",
        "moda.user_id": "user-1",
      });
      expect(trace.having(PROMPT, "q1").attributes).toMatchObject({
        "moda.conversation_id": "conv-outer",
        "gen_ai.conversation.id": "conv-outer",
        "moda.user_id": "user-1",
      });
      expect(trace.having(PROMPT, "q2").attributes).toMatchObject({
        "moda.conversation_id": "conv-inner",
        "moda.user_id": "user-1",
      });
      expect(trace.root.attributes["moda.user_id"]).toBeUndefined();
    });

    it("puts the prompt on the LLM spans inside withPrompt, the innermost winning whole", async () => {
      const prompt = { key: "weather-answer", id: "prm_1", version: 3, versionId: "ver_9" };
      const trace = await traceRequest(5, async () => {
        await withPrompt(prompt, () => Promise.all([ask("p1"), withPrompt({ key: "inner" }, () => ask("p2"))]));
        await withPrompt(prompt, async () => {
          await tick();
          return ask("p3");
        });
        await ask("p4");
      });
      expect(trace.having(PROMPT, "p1").attributes).toMatchObject({
        "moda.prompt_key": "weather-answer",
        "moda.prompt_id": "prm_1",
        "moda.prompt_version": "3",
        "moda.prompt_version_id": "ver_9",
      });
      const inner = trace.having(PROMPT, "p2").attributes;
      expect(inner["moda.prompt_key"]).toBe("inner");
      expect(inner["moda.prompt_id"]).toBeUndefined();
      // After an await, only an AsyncLocalStorage knows the call is inside withPrompt.
      expect(trace.having(PROMPT, "p3").attributes["moda.prompt_key"]).toBe(
        hasAsyncContext() ? "weather-answer" : undefined,
      );
      for (const span of [trace.having(PROMPT, "p4"), trace.root])
        expect(Object.keys(span.attributes).filter((key) => key.startsWith("moda.prompt"))).toEqual([]);
    });

    it("runs the function unchanged when the id is missing", async () => {
      const missing = undefined as unknown as string;
      const trace = await traceRequest(
        1,
        () =>
          withUser(missing, () => withConversation("", () => withPrompt({ key: "", version: Number.NaN }, () => 42))),
        { env: { MODA_EXPORT_ALL_REQUESTS: "true" } },
      );
      expect(trace.result).toBe(42);
    });
  });

  describe("setAttributes", () => {
    it("sets attributes on the current entity span, and on the request span outside any", async () => {
      const tagged = task("tagged", async () => {
        setAttributes({ "app.step": "one", "app.count": 2 });
        await tick();
        setAttributes({ "app.late": true });
      });
      const trace = await traceRequest(2, async () => {
        setAttributes({ "app.request": "r1" });
        await tagged();
      });
      const span = trace.named("tagged.task");
      expect(trace.root.attributes["app.request"]).toBe("r1");
      expect(span.attributes).toMatchObject({ "app.step": "one", "app.count": 2 });
      const lateOn = hasAsyncContext() ? span : trace.root;
      expect(lateOn.attributes["app.late"]).toBe(true);
    });
  });

  describe("content", () => {
    it("records no input or output when content capture is off", async () => {
      const lookup = tool("lookup", (query: { q: string }) => `found ${query.q}`);
      const flow = workflow("private", () => lookup({ q: "secret" }));
      const trace = await traceRequest(3, () => flow(), { env: { MODA_TRACE_CONTENT: "false" } });
      const text = JSON.stringify(trace.spans);
      expect(text).not.toContain("secret");
      for (const span of [trace.named("execute_tool lookup"), trace.named("invoke_workflow private")]) {
        for (const key of Object.keys(span.attributes)) {
          expect(key).not.toMatch(/entity\.(input|output)|tool\.call\.(arguments|result)/);
        }
      }
      expect(trace.named("execute_tool lookup").attributes["gen_ai.tool.name"]).toBe("lookup");
    });

    it("lets one entity keep its input or output out, and never turns capture back on", async () => {
      const hidden = tool({ name: "hidden", traceContent: false }, (q: string) => `hidden ${q}`);
      const half = tool({ name: "half", recordOutputs: false }, (q: string) => `half ${q}`);
      const trace = await traceRequest(3, () => [hidden("in-1"), half("in-2")]);
      expect(JSON.stringify(trace.named("execute_tool hidden").attributes)).not.toContain("in-1");
      const halfSpan = trace.named("execute_tool half");
      expect(json(halfSpan.attributes["gen_ai.tool.call.arguments"])).toEqual(["in-2"]);
      expect(halfSpan.attributes["gen_ai.tool.call.result"]).toBeUndefined();
      expect(halfSpan.attributes["traceloop.entity.output"]).toBeUndefined();

      const forced = tool({ name: "forced", traceContent: true }, (q: string) => q);
      const off = await traceRequest(2, () => forced("in-3"), { env: { MODA_TRACE_CONTENT: "false" } });
      expect(JSON.stringify(off.spans)).not.toContain("in-3");
    });

    it("replaces inline binary by a descriptor and caps long values visibly", async () => {
      const upload = tool("upload", (file: { image: Uint8Array; preview: string }) => file.image.byteLength);
      const echo = task("echo", (text: string) => text);
      const trace = await traceRequest(
        3,
        () => [
          upload({ image: new Uint8Array(1024), preview: "data:image/png;base64,iVBORw0KGgo=" }),
          echo("x".repeat(5000)),
        ],
        { options: { limits: { maxAttributeLength: 1000 } } },
      );
      expect(json(trace.named("execute_tool upload").attributes["gen_ai.tool.call.arguments"])).toEqual({
        image: { type: "blob_omitted", modality: "binary", byte_size: 1024 },
        preview: { type: "blob_omitted", modality: "image", mime_type: "image/png", byte_size: 8 },
      });
      const echoed = trace.named("echo.task");
      const output = echoed.attributes["traceloop.entity.output"] as string;
      expect(output.length).toBeLessThanOrEqual(1000);
      expect(output).toMatch(/…\[truncated \d+ chars\]"$/);
      expect(echoed.droppedAttributesCount).toBeGreaterThanOrEqual(2);
    });
  });

  describe("what the wrappers return", () => {
    it("returns the function's own result and type, keeping `this`", async () => {
      const counter = {
        base: 10,
        add: task("add", function addToBase(this: { base: number }, n: number) {
          return this.base + n;
        }),
      };
      expectTypeOf(counter.add).parameter(0).toEqualTypeOf<number>();
      expectTypeOf(counter.add).returns.toEqualTypeOf<number>();
      const trace = await traceRequest(2, () => counter.add(5));
      expect(trace.result).toBe(15);
      expect(counter.add.name).toBe("addToBase");
      expect(counter.add.length).toBe(1);
    });

    it("does not call then() on a thenable that is not a native promise", async () => {
      let thenCalls = 0;
      // biome-ignore lint/suspicious/noThenProperty: a lazy thenable (a query builder, say) is what is tested
      const lazy = { then: (resolve: (value: string) => void) => resolve(`ran ${++thenCalls}`) };
      const query = task("query", () => lazy);
      const trace = await traceRequest(2, async () => {
        const returned = query();
        expect(returned).toBe(lazy);
        expect(thenCalls).toBe(0);
        return await returned;
      });
      expect(trace.result).toBe("ran 1");
      expect(trace.named("query.task").attributes["traceloop.entity.output"]).toBeUndefined();
    });

    it("runs outside any request too", async () => {
      const standalone = workflow("standalone", async (n: number) => n * 2);
      expect(await standalone(21)).toBe(42);
      // Its span waits in the background scope for the next export: sent off now, so no later test receives it.
      await flush();
    });
  });
}
