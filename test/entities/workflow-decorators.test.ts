/**
 * The four wrappers as TypeScript 5 standard method decorators, applied the way compiled decorator code applies
 * them (the method and a ClassMethodDecoratorContext in, the replacement method out): Vitest's transform leaves
 * `@decorator` syntax untouched, so the syntax itself is compiled and run in
 * runtime-tests/node/workflow-decorators.test.ts.
 */
import { describe, expect, it } from "vitest";
import { agent, task, tool, workflow } from "../../src/index";
import { json, traceRequest } from "../support/trace-request";

function methodContext(name: string, kind = "method"): ClassMethodDecoratorContext {
  return {
    kind,
    name,
    static: false,
    private: false,
    metadata: {},
    access: { has: () => true, get: () => undefined },
    addInitializer: () => undefined,
  } as unknown as ClassMethodDecoratorContext;
}

/** Replaces `Class.prototype[name]` by what `decorator` returns, as a class's decorator code does. */
function decorate<T extends object>(
  prototype: T,
  name: keyof T & string,
  decorator: (method: never, context: ClassMethodDecoratorContext) => unknown,
): void {
  const method = prototype[name] as never;
  Object.defineProperty(prototype, name, { value: decorator(method, methodContext(name)) });
}

class Assistant {
  constructor(readonly greeting: string) {}

  async run(question: string): Promise<string> {
    return this.answer(this.search(question));
  }

  search(question: string): string[] {
    return question.split(" ");
  }

  async answer(facts: string[]): Promise<string> {
    return `${this.greeting} ${this.render({ facts })}`;
  }

  render(input: { facts: string[] }): string {
    return input.facts.join("+");
  }

  *tokens(): Generator<string> {
    yield "a";
    yield "b";
  }
}

decorate(Assistant.prototype, "run", workflow({ name: "assist", version: 1 }));
decorate(Assistant.prototype, "search", task);
decorate(Assistant.prototype, "answer", agent("answerer"));
decorate(Assistant.prototype, "render", tool({ recordInputs: false }));
decorate(Assistant.prototype, "tokens", task());

describe("decorators", () => {
  it("traces each decorated method with its options, the method's name as default, and `this` intact", async () => {
    const assistant = new Assistant("hi");
    const trace = await traceRequest(6, async () => [await assistant.run("reset password"), [...assistant.tokens()]]);
    expect(trace.result).toEqual(["hi reset+password", ["a", "b"]]);
    const run = trace.named("invoke_workflow assist");
    expect(run.attributes["traceloop.entity.version"]).toBe(1);
    expect(trace.named("search.task").parentSpanId).toBe(run.spanId);
    const answer = trace.named("invoke_agent answerer");
    expect(answer.parentSpanId).toBe(run.spanId);
    const render = trace.named("execute_tool render");
    expect(render.parentSpanId).toBe(answer.spanId);
    expect(render.attributes["gen_ai.tool.call.arguments"]).toBeUndefined();
    expect(json(render.attributes["gen_ai.tool.call.result"])).toBe("reset+password");
    expect(json(trace.named("tokens.task").attributes["traceloop.entity.output"])).toEqual(["a", "b"]);
  });

  it("refuses to decorate anything but a method", () => {
    expect(() => workflow({ name: "w" })((() => 1) as never, methodContext("field", "field"))).toThrow(TypeError);
  });

  it("needs a name when used as a wrapper", () => {
    expect(() => task({} as { name: string }, () => 1)).toThrow(/needs a name/);
  });
});
