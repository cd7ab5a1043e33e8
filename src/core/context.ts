import type { AsyncLocalStorageClass, AsyncLocalStorageLike } from "../config/options";
import { findAsyncLocalStorage } from "./async-local-storage";
import type { ModaSpan } from "./span";

/** Values that flow down the call tree onto every span below them. */
export interface ContextValues {
  readonly conversationId?: string;
  readonly userId?: string;
  readonly workflowName?: string;
  readonly entityPath?: string;
  readonly associationProperties?: Readonly<Record<string, string>>;
  /** The Moda-managed prompt the LLM calls below were made from (`withPrompt`). */
  readonly prompt?: PromptReference;
}

/** A prompt managed in Moda, as `withPrompt` takes it: any of its identifiers, at least one. */
export interface PromptReference {
  /** The prompt's key (its stable name). */
  readonly key?: string;
  readonly id?: string;
  /** The version used, as Moda names it (`3`, `"v3"`). */
  readonly version?: string | number;
  readonly versionId?: string;
}

/**
 * What is current at a point of the call tree: the innermost span (its `owner` is the request), and the
 * propagated values. `span` is absent where values are set (withConversation, …) outside any span.
 */
export interface ActiveContext {
  readonly span?: ModaSpan;
  readonly values: ContextValues;
}

/** `undefined` until first use, when the runtime's own is looked for; `null` where there is none. */
let storage: AsyncLocalStorageLike<ActiveContext> | null | undefined;
let storageSource = "";
/** The context of the code running synchronously right now; the fallback where no AsyncLocalStorage exists. */
let synchronous: ActiveContext | undefined;

/**
 * Chooses the AsyncLocalStorage: a class (`init({ asyncLocalStorage })`), `null` for none (the fallback, for
 * tests), or `undefined` to look for the runtime's own again at the next use.
 */
export function useAsyncLocalStorage(als: AsyncLocalStorageClass | null | undefined): void {
  storage = als ? (new als() as AsyncLocalStorageLike<ActiveContext>) : als;
  storageSource = als ? "init({ asyncLocalStorage })" : "";
}

function asyncStorage(): AsyncLocalStorageLike<ActiveContext> | null {
  if (storage === undefined) {
    const found = findAsyncLocalStorage();
    storage = found ? (new found.als() as AsyncLocalStorageLike<ActiveContext>) : null;
    storageSource = found?.source ?? "";
  }
  return storage;
}

export function hasAsyncContext(): boolean {
  return asyncStorage() !== null;
}

/** Which AsyncLocalStorage spans follow, for `debug`. */
export function describeAsyncContext(): string {
  return asyncStorage() ? `AsyncLocalStorage from ${storageSource}` : "no AsyncLocalStorage found";
}

export function currentContext(): ActiveContext | undefined {
  return asyncStorage()?.getStore() ?? synchronous;
}

/** Runs `fn` with `context` current: through AsyncLocalStorage when there is one, for its synchronous part always. */
export function runInContext<R>(context: ActiveContext, fn: () => R): R {
  const previous = synchronous;
  synchronous = context;
  try {
    const als = asyncStorage();
    return als ? als.run(context, fn) : fn();
  } finally {
    synchronous = previous;
  }
}
