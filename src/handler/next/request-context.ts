import type { WaitUntil } from "../wait-until";

type RequestContextGlobal = { get?: () => { waitUntil?: WaitUntil } | undefined };
type WorkStoreGlobal = { getStore?: () => { afterContext?: { waitUntil?: WaitUntil } } | undefined };

const NEXT_REQUEST_CONTEXT = Symbol.for("@next/request-context");
/** Next keeps its work store (`after()`'s context among it) under `Symbol.for("@next/work-async-storage@<version>")`. */
const WORK_STORE_PREFIX = "@next/work-async-storage@";
let workStoreKey: symbol | undefined;

/**
 * The `waitUntil` `after()` uses: the request context a platform publishes for Next (Vercel, OpenNext, Next's
 * own edge sandbox), else the one `next start` gives `after()` in the request's work store, which it awaits
 * before it shuts down.
 */
export function nextWaitUntil(): WaitUntil | undefined {
  const globals = globalThis as Record<symbol, unknown>;
  const requestContext = (globals[NEXT_REQUEST_CONTEXT] as RequestContextGlobal | undefined)?.get?.();
  if (typeof requestContext?.waitUntil === "function") {
    const waitUntil = requestContext.waitUntil;
    return (promise) => waitUntil.call(requestContext, promise);
  }
  const key = findWorkStoreKey();
  const afterContext = key ? (globals[key] as WorkStoreGlobal | undefined)?.getStore?.()?.afterContext : undefined;
  const waitUntil = afterContext?.waitUntil;
  return typeof waitUntil === "function" ? (promise) => waitUntil.call(afterContext, promise) : undefined;
}

/** The work store's key, looked for until Next has made it (one Next per process: the first found is kept). */
function findWorkStoreKey(): symbol | undefined {
  workStoreKey ??= Object.getOwnPropertySymbols(globalThis).find((key) =>
    key.description?.startsWith(WORK_STORE_PREFIX),
  );
  return workStoreKey;
}
