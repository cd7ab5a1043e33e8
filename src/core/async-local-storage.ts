import type { AsyncLocalStorageClass } from "../config/options";

/** An AsyncLocalStorage class, and where it was found (for `debug`). */
export interface FoundAsyncLocalStorage {
  readonly als: AsyncLocalStorageClass;
  readonly source: string;
}

type GlobalWithAls = {
  AsyncLocalStorage?: unknown;
  process?: { getBuiltinModule?: (id: string) => { AsyncLocalStorage?: unknown } | undefined };
};

/**
 * The runtime's own AsyncLocalStorage, reached without a static `node:` import (which would keep the bundle out
 * of runtimes without one): the global one of Next.js and Vercel Edge, else `process.getBuiltinModule`, which
 * Node (from 20.16 and 22.3), Bun, Deno and workerd with `nodejs_compat` (the default from compatibility date
 * 2026-08-04; with the flag, from date 2024-09-23) provide. Called once, at first use, never at module load.
 */
export function findAsyncLocalStorage(): FoundAsyncLocalStorage | undefined {
  const global = globalThis as GlobalWithAls;
  if (typeof global.AsyncLocalStorage === "function") {
    return { als: global.AsyncLocalStorage as AsyncLocalStorageClass, source: "globalThis" };
  }
  const getBuiltinModule = global.process?.getBuiltinModule;
  if (typeof getBuiltinModule !== "function") return undefined;
  try {
    const als = getBuiltinModule.call(global.process, "node:async_hooks")?.AsyncLocalStorage;
    if (typeof als === "function") {
      return { als: als as AsyncLocalStorageClass, source: 'process.getBuiltinModule("node:async_hooks")' };
    }
  } catch {
    // A runtime that lists the function but refuses the module: there is none.
  }
  return undefined;
}
