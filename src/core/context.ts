import type { AsyncLocalStorageClass, AsyncLocalStorageLike } from "../config/options";
import type { ModaSpan } from "./span";

/** Values that flow down the call tree onto every span below them. */
export interface ContextValues {
  readonly conversationId?: string;
  readonly userId?: string;
  readonly workflowName?: string;
  readonly entityPath?: string;
  readonly associationProperties?: Readonly<Record<string, string>>;
}

/**
 * What is current at a point of the call tree: the innermost span (its `owner` is the request), and the
 * propagated values. `span` is absent where values are set (withConversation, …) outside any span.
 */
export interface ActiveContext {
  readonly span?: ModaSpan;
  readonly values: ContextValues;
}

type GlobalWithAls = { AsyncLocalStorage?: AsyncLocalStorageClass };

let storage: AsyncLocalStorageLike<ActiveContext> | null | undefined;
/** The context of the code running synchronously right now; the fallback where no AsyncLocalStorage exists. */
let synchronous: ActiveContext | undefined;

/** Hands over an AsyncLocalStorage class (from `node:async_hooks`) for full nesting. */
export function useAsyncLocalStorage(als: AsyncLocalStorageClass): void {
  storage = new als() as AsyncLocalStorageLike<ActiveContext>;
}

function asyncStorage(): AsyncLocalStorageLike<ActiveContext> | null {
  if (storage === undefined) {
    // Vercel Edge and Next.js expose AsyncLocalStorage as a global; created on first use, never at load.
    const als = (globalThis as GlobalWithAls).AsyncLocalStorage;
    storage = typeof als === "function" ? (new als() as AsyncLocalStorageLike<ActiveContext>) : null;
  }
  return storage;
}

export function hasAsyncContext(): boolean {
  return asyncStorage() !== null;
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
