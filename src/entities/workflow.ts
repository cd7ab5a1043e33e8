import { currentScope } from "../core/scope-lookup";
import type { EntityKind } from "../semconv/entity-attributes";
import { type EntitySpec, runEntity } from "./entity";

/** How a workflow, task, agent or tool span is named and what it records. */
export interface EntityOptions {
  /** The name the span carries (`traceloop.entity.name`, `gen_ai.agent.name`, …). */
  name: string;
  /** Recorded as `traceloop.entity.version` (and `gen_ai.agent.version` on an agent). */
  version?: string | number;
  /**
   * `false` records neither the arguments nor the result of this span. Content capture turned off in the
   * configuration (`traceContent: false`, `MODA_TRACE_CONTENT=false`) cannot be turned back on here.
   */
  traceContent?: boolean;
  /** Record the arguments (`traceloop.entity.input`, `gen_ai.tool.call.arguments`). Default: `traceContent`. */
  recordInputs?: boolean;
  /** Record the result (`traceloop.entity.output`, `gen_ai.tool.call.result`). Default: `traceContent`. */
  recordOutputs?: boolean;
  /** Association properties for this span and everything below it, merged with those from outside. */
  associationProperties?: Readonly<Record<string, string>>;
}

type Method<This, Args extends unknown[], Return> = (this: This, ...args: Args) => Return;

/** A TypeScript 5 (standard) class method decorator. */
export type EntityMethodDecorator = <This, Args extends unknown[], Return>(
  method: Method<This, Args, Return>,
  context: ClassMethodDecoratorContext<This, Method<This, Args, Return>>,
) => Method<This, Args, Return>;

/** `workflow`, `task`, `agent` and `tool`: one shape, three ways to call it. */
export interface EntityWrapper {
  /** Returns `fn` with its exact type; each call runs inside a span. */
  <F extends (...args: never[]) => unknown>(nameOrOptions: string | EntityOptions, fn: F): F;
  /** A method decorator, `@workflow({ name: "chat" })`; the name defaults to the method's. */
  (nameOrOptions?: string | Partial<EntityOptions>): EntityMethodDecorator;
  /** The bare method decorator, `@workflow`, named after the method. */
  <This, Args extends unknown[], Return>(
    method: Method<This, Args, Return>,
    context: ClassMethodDecoratorContext<This, Method<This, Args, Return>>,
  ): Method<This, Args, Return>;
}

type AnyFunction = (...args: unknown[]) => unknown;

function isMethodContext(value: unknown): value is ClassMethodDecoratorContext {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "method";
}

function optionsOf(nameOrOptions: string | Partial<EntityOptions> | undefined): Partial<EntityOptions> {
  if (nameOrOptions === undefined) return {};
  return typeof nameOrOptions === "string" ? { name: nameOrOptions } : nameOrOptions;
}

function specOf(kind: EntityKind, options: Partial<EntityOptions>, fallbackName: string | undefined): EntitySpec {
  const name = options.name ?? fallbackName;
  if (typeof name !== "string" || name === "") {
    throw new TypeError(`moda-edge: ${kind}() needs a name: ${kind}("name", fn) or ${kind}({ name }, fn)`);
  }
  const content = options.traceContent ?? true;
  return {
    kind,
    name,
    version: options.version,
    recordInputs: options.recordInputs ?? content,
    recordOutputs: options.recordOutputs ?? content,
    associationProperties: options.associationProperties,
    // Like wrap(): a wrapper made inside a request remembers it, for calls that cannot find their own.
    scopeHint: currentScope(),
  };
}

function traced<F extends AnyFunction>(spec: EntitySpec, fn: F): F {
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    return runEntity(spec, this, args, fn);
  };
  Object.defineProperty(wrapper, "name", { value: fn.name, configurable: true });
  Object.defineProperty(wrapper, "length", { value: fn.length, configurable: true });
  return wrapper as F;
}

function decorator(kind: EntityKind, options: Partial<EntityOptions>) {
  return (method: AnyFunction, context: unknown): AnyFunction => {
    if (!isMethodContext(context)) {
      throw new TypeError(`moda-edge: @${kind} decorates class methods only`);
    }
    return traced(specOf(kind, options, String(context.name)), method);
  };
}

/* @__NO_SIDE_EFFECTS__ */
function entityWrapper(kind: EntityKind): EntityWrapper {
  function wrapper(first?: unknown, second?: unknown): unknown {
    if (typeof first === "function" && isMethodContext(second))
      return decorator(kind, {})(first as AnyFunction, second);
    const options = optionsOf(first as string | Partial<EntityOptions> | undefined);
    if (second === undefined) return decorator(kind, options);
    if (typeof second !== "function") throw new TypeError(`moda-edge: ${kind}(name, fn) needs a function`);
    return traced(specOf(kind, options, undefined), second as AnyFunction);
  }
  return wrapper as EntityWrapper;
}

/**
 * A workflow: the outermost unit of work (`invoke_workflow {name}`). Every span below it, LLM calls included,
 * carries its name as `traceloop.workflow.name`.
 */
export const workflow: EntityWrapper = entityWrapper("workflow");

/** A step of a workflow (`{name}.task`). */
export const task: EntityWrapper = entityWrapper("task");

/** An agent (`invoke_agent {name}`, `gen_ai.agent.name`). Outside any workflow, it names the workflow too. */
export const agent: EntityWrapper = entityWrapper("agent");

/** A tool the application runs (`execute_tool {name}`, with `gen_ai.tool.call.arguments` and `.result`). */
export const tool: EntityWrapper = entityWrapper("tool");
