/**
 * What a provider module supplies to `wrap()`, and what the proxy hands its handlers.
 *
 * A provider's folder (`src/providers/<provider>/index.ts`) exports one `ProviderModule`:
 * - `matches(client)`: duck-typed recognition of the SDK's client (never `instanceof`: the SDK is not ours to import);
 * - `methods`: dotted paths from the client (`"chat.completions.create"`) to handlers. Usually
 *   `traceApiCall(tracer)` (traced-call.ts) for a call that makes one HTTP request, and `observeHelper`
 *   for SDK helpers (`stream`, `parse`, `runTools`) that make their calls through traced methods.
 * It is then listed once in src/providers/registry.ts, and its `index.ts` gives it its own wrapper (wrap-as.ts).
 * Everything else — proxies, identity, promises, streams — is shared.
 */
import type { RequestScope } from "../core/request-scope";

/** One call of a traced method, as the proxy hands it to the provider's handler. */
export interface Invocation {
  /** The SDK's own method. */
  readonly original: (...args: unknown[]) => unknown;
  /** The raw resource (no proxy): calling `original` on it makes the SDK's inner calls untraced. */
  readonly target: object;
  /** The proxy it was called on: calling `original` on it sends the SDK's inner calls through traced methods. */
  readonly receiver: object;
  readonly args: readonly unknown[];
  /** The raw client that was wrapped. */
  readonly client: object;
  /** The request scope that was current when the client was wrapped. */
  readonly scopeHint: RequestScope | undefined;
}

export type MethodHandler = (invocation: Invocation) => unknown;

export interface ProviderModule {
  /** The SDK's npm package, for messages. */
  readonly sdk: string;
  /** Whether `client` is a client of this provider's SDK. Must not throw on arbitrary objects. */
  matches(client: object): boolean;
  /** Dotted method paths from the client to the handler tracing them; every other method passes through. */
  readonly methods: Readonly<Record<string, MethodHandler>>;
}

/**
 * For SDK helpers (`chat.completions.stream`, `parse`, `runTools`, `messages.stream`): runs the SDK's own helper
 * on the proxy, so the requests it makes (`this._client.chat.completions.create`, `this.create`) go through
 * traced methods — one span per model call — while the helper's object, events and `final…()` stay the SDK's.
 */
export const observeHelper: MethodHandler = (invocation) =>
  Reflect.apply(invocation.original, invocation.receiver, invocation.args);
