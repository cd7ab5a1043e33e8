import type { HandlerConfig } from "../../config/handler-config";
import type { RequestScope } from "../../core/request-scope";
import { currentScope } from "../../core/scope-lookup";
import {
  type Bindings,
  DURABLE_OBJECT_MEMBERS,
  HANDLER_MEMBERS,
  rpcMember,
  type TracedMember,
  traceMemberCall,
  WORKFLOW_MEMBERS,
} from "./members";

type WorkersClass = new (...args: unknown[]) => object;
type Method = (this: object, ...args: unknown[]) => unknown;

interface RuntimeBase {
  /** The members the runtime calls on an instance. */
  readonly members: Readonly<Record<string, TracedMember>>;
  /** Whether the class's own methods are RPC methods a stub can call. */
  readonly rpc: boolean;
}

/** The classes of `cloudflare:workers`, known by name: importing them would tie the package to workerd. */
const RUNTIME_BASES: Readonly<Record<string, RuntimeBase>> = {
  DurableObject: { members: DURABLE_OBJECT_MEMBERS, rpc: true },
  WorkerEntrypoint: { members: HANDLER_MEMBERS, rpc: true },
  WorkflowEntrypoint: { members: WORKFLOW_MEMBERS, rpc: false },
};

/** Which runtime class `cls` extends; a class that extends none is a Durable Object of the older, plain kind. */
function runtimeBaseOf(cls: WorkersClass): RuntimeBase {
  for (let c: unknown = Object.getPrototypeOf(cls); typeof c === "function"; c = Object.getPrototypeOf(c)) {
    const base = Object.hasOwn(RUNTIME_BASES, c.name) ? RUNTIME_BASES[c.name] : undefined;
    if (base) return base;
  }
  return RUNTIME_BASES.DurableObject as RuntimeBase;
}

/** A class (not a plain function): workerd constructs classes; calling one throws. */
export function isClass(value: unknown): boolean {
  return typeof value === "function" && /^class[\s{]/.test(Function.prototype.toString.call(value));
}

/** The members of `cls` to trace: the runtime's, where the class has them, and its own RPC methods. */
function tracedMembers(cls: WorkersClass, base: RuntimeBase): Map<string, TracedMember> {
  const prototype = cls.prototype as Record<string, unknown>;
  const traced = new Map<string, TracedMember>();
  for (const [name, member] of Object.entries(base.members)) {
    if (typeof prototype[name] === "function") traced.set(name, member);
  }
  if (!base.rpc) return traced;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    if (name === "constructor" || traced.has(name) || typeof descriptor?.value !== "function") continue;
    traced.set(name, rpcMember(name));
  }
  return traced;
}

/** The instance each scope traces a call of, and each instance's calls in flight. */
const owners = new WeakMap<RequestScope, object>();
const callsInFlight = new WeakMap<object, Set<RequestScope>>();

function callStarted(instance: object, scope: RequestScope): void {
  owners.set(scope, instance);
  const calls = callsInFlight.get(instance) ?? new Set();
  calls.add(scope);
  callsInFlight.set(instance, calls);
}

/**
 * Whether a call on `instance` is one it makes on itself inside a traced call (part of that call, not a new one):
 * the current scope is one of its calls; or, where no scope is current (after an `await`, without
 * AsyncLocalStorage), it has exactly one call in flight.
 */
function isNestedCall(instance: object): boolean {
  const scope = currentScope();
  if (scope) return owners.get(scope) === instance;
  const calls = callsInFlight.get(instance);
  if (!calls) return false;
  for (const call of calls) if (call.root?.ended !== false) calls.delete(call);
  return calls.size === 1;
}

/**
 * Wraps a Workers class (`DurableObject`, an Agents SDK `Agent`, `WorkerEntrypoint`, `WorkflowEntrypoint`): returns
 * a subclass whose runtime members and RPC methods (those the class itself declares) trace each call as a root span,
 * exported through the instance's own `ctx.waitUntil`. A call the instance makes on itself inside a traced call is
 * part of that call, not a new one.
 */
export function instrumentWorkersClass<C>(target: C, config: HandlerConfig): C {
  const cls = target as unknown as WorkersClass;
  const className = cls.name || "AnonymousClass";
  const bindings = new WeakMap<object, Bindings>();
  const Traced = class extends cls {
    constructor(...args: unknown[]) {
      super(...args);
      bindings.set(this, { config, env: args[1], ctx: args[0] });
    }
  };
  Object.defineProperty(Traced, "name", { value: className });
  for (const [name, member] of tracedMembers(cls, runtimeBaseOf(cls))) {
    const original = (cls.prototype as Record<string, Method>)[name] as Method;
    const traced: Method = function (this: object, ...args: unknown[]) {
      const given = bindings.get(this);
      if (!given || isNestedCall(this)) return original.apply(this, args);
      return traceMemberCall(member, className, args, given, (observed, started) => {
        if (started) callStarted(this, started.scope);
        return original.apply(this, observed);
      });
    };
    Object.defineProperty(Traced.prototype, name, { value: traced, writable: true, configurable: true });
  }
  return Traced as unknown as C;
}
