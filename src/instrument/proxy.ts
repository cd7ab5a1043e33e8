/**
 * The Proxy mechanics shared by every provider: a Proxy over the client itself (so `instanceof` holds), and
 * over the nested resources on the way to a traced method, created lazily and cached (so
 * `client.chat === client.chat`). A provider supplies only a `ProviderModule` (provider.ts).
 *
 * - Every property is read from the raw object with the raw object as receiver, so getters and `#private`
 *   fields work.
 * - Methods not on a traced path pass through, called with the raw object as `this`: the SDK's own inner
 *   calls (`parse` calling `create`, a runner calling `this._client…`) never see a proxy and are not traced.
 * - A method of the client that returns another client of the same SDK (`withOptions()`) returns it wrapped.
 * - A property holding a client of the same SDK (a resource's `_client`) reads as the wrapped client, so an
 *   SDK helper run on a proxy (`observeHelper`) makes its requests through traced methods.
 */
import type { RequestScope } from "../core/request-scope";
import type { MethodHandler, ProviderModule } from "./provider";

/** One `wrap()` of one client in one request scope: its proxies share the scope hint. */
interface WrapContext {
  readonly provider: ProviderModule;
  readonly client: object;
  readonly scopeHint: RequestScope | undefined;
  /** Dotted paths that lead to a traced method (`chat`, `chat.completions`). */
  readonly prefixes: ReadonlySet<string>;
  readonly proxies: WeakMap<object, object>;
}

interface ProxyState {
  readonly target: object;
  readonly path: string;
  readonly context: WrapContext;
}

type AnyFunction = (...args: unknown[]) => unknown;

/** Every proxy made here, to its raw object and place. */
const states = new WeakMap<object, ProxyState>();
/** Per raw client: the context of each scope it was wrapped in (and of no scope). */
const contexts = new WeakMap<object, { unscoped?: WrapContext; scoped: WeakMap<RequestScope, WrapContext> }>();
const passThroughs = new WeakMap<AnyFunction, AnyFunction>();
const tracedMethods = new WeakMap<AnyFunction, Map<MethodHandler, AnyFunction>>();

export function isWrapped(value: unknown): boolean {
  return typeof value === "object" && value !== null && states.has(value);
}

/** The wrapped client: the same proxy for the same client, provider and scope. */
export function wrapClient<T extends object>(
  client: T,
  provider: ProviderModule,
  scopeHint: RequestScope | undefined,
): T {
  if (states.has(client)) return client;
  return proxyFor(client, "", contextFor(client, provider, scopeHint)) as T;
}

function contextFor(client: object, provider: ProviderModule, scopeHint: RequestScope | undefined): WrapContext {
  let entry = contexts.get(client);
  if (!entry) {
    entry = { scoped: new WeakMap() };
    contexts.set(client, entry);
  }
  const existing = scopeHint ? entry.scoped.get(scopeHint) : entry.unscoped;
  if (existing?.provider === provider) return existing;
  const context: WrapContext = { provider, client, scopeHint, prefixes: prefixesOf(provider), proxies: new WeakMap() };
  if (scopeHint) entry.scoped.set(scopeHint, context);
  else entry.unscoped = context;
  return context;
}

function prefixesOf(provider: ProviderModule): Set<string> {
  const prefixes = new Set<string>();
  for (const path of Object.keys(provider.methods)) {
    const parts = path.split(".");
    for (let end = 1; end < parts.length; end++) prefixes.add(parts.slice(0, end).join("."));
  }
  return prefixes;
}

function proxyFor(target: object, path: string, context: WrapContext): object {
  const cached = context.proxies.get(target);
  if (cached) return cached;
  const reads = new Map<string, Substitution>();
  const proxy = new Proxy(target, {
    get(raw, key) {
      return readThrough(raw, key, path, context, reads);
    },
    // A setter may touch `#private` fields: it must run on the raw object.
    set(raw, key, value) {
      return Reflect.set(raw, key, value);
    },
  });
  states.set(proxy, { target, path, context });
  context.proxies.set(target, proxy);
  return proxy;
}

/** What a read of a property gave last: its value, and what the proxy returned for it. */
interface Substitution {
  readonly value: unknown;
  readonly substitute: unknown;
}

/** Each call reads its way down (`client.chat.completions.create`): a property read again gives what it gave. */
function readThrough(
  raw: object,
  key: string | symbol,
  path: string,
  context: WrapContext,
  reads: Map<string, Substitution>,
): unknown {
  const value: unknown = Reflect.get(raw, key, raw);
  // A class is not called on the client: `wrapped.constructor === OpenAI` must hold.
  if (typeof key !== "string" || key === "constructor") return value;
  const last = reads.get(key);
  let substitute: unknown;
  if (last !== undefined && last.value === value) {
    substitute = last.substitute;
  } else {
    substitute = substituteFor(value, raw, path === "" ? key : `${path}.${key}`, context);
    reads.set(key, { value, substitute });
  }
  return substitute === value || !canSubstitute(raw, key) ? value : substitute;
}

function substituteFor(value: unknown, raw: object, childPath: string, context: WrapContext): unknown {
  if (typeof value === "function") {
    const handler = context.provider.methods[childPath];
    return handler ? tracedMethod(value as AnyFunction, handler) : passThrough(value as AnyFunction);
  }
  if (typeof value !== "object" || value === null) return value;
  if (context.prefixes.has(childPath)) return proxyFor(value, childPath, context);
  if (value !== raw && isClientOf(context.provider, value))
    return wrapClient(value, context.provider, context.scopeHint);
  return value;
}

/** A Proxy must return the very value of a non-configurable, read-only own property. */
function canSubstitute(raw: object, key: string): boolean {
  const descriptor = Reflect.getOwnPropertyDescriptor(raw, key);
  return descriptor?.configurable !== false || descriptor.writable !== false;
}

/** Whether `value` is a client of `provider`'s SDK; never throws. */
export function isClientOf(provider: ProviderModule, value: object): boolean {
  try {
    return !isThenable(value) && provider.matches(value);
  } catch {
    return false;
  }
}

function isThenable(value: object): boolean {
  return typeof (value as { then?: unknown }).then === "function";
}

/** The method itself, called with the raw object as `this`; on the client, a returned client comes back wrapped. */
function passThrough(method: AnyFunction): AnyFunction {
  let proxied = passThroughs.get(method);
  if (!proxied) {
    proxied = new Proxy(method, {
      apply(fn, thisArg: unknown, args: unknown[]) {
        const state = stateOf(thisArg);
        if (!state) return Reflect.apply(fn, thisArg, args);
        const result: unknown = Reflect.apply(fn, state.target, args);
        return state.path === "" ? wrapIfClient(result, state.context) : result;
      },
    });
    passThroughs.set(method, proxied);
  }
  return proxied;
}

function wrapIfClient(result: unknown, context: WrapContext): unknown {
  if (typeof result !== "object" || result === null || !isClientOf(context.provider, result)) return result;
  return wrapClient(result, context.provider, context.scopeHint);
}

/** The method, handed to the provider's handler when called on one of our proxies. */
function tracedMethod(method: AnyFunction, handler: MethodHandler): AnyFunction {
  let byHandler = tracedMethods.get(method);
  if (!byHandler) {
    byHandler = new Map();
    tracedMethods.set(method, byHandler);
  }
  let proxied = byHandler.get(handler);
  if (!proxied) {
    proxied = new Proxy(method, {
      apply(fn, thisArg: unknown, args: unknown[]) {
        const state = stateOf(thisArg);
        if (!state) return Reflect.apply(fn, thisArg, args);
        const { target, context } = state;
        return handler({
          original: fn,
          target,
          receiver: thisArg as object,
          args,
          client: context.client,
          scopeHint: context.scopeHint,
        });
      },
    });
    byHandler.set(handler, proxied);
  }
  return proxied;
}

function stateOf(value: unknown): ProxyState | undefined {
  return typeof value === "object" && value !== null ? states.get(value) : undefined;
}
