import type { WaitUntil } from "../wait-until";

/** Supabase Edge Functions publish `EdgeRuntime.waitUntil`; elsewhere `EdgeRuntime` is absent or a string. */
export function supabaseWaitUntil(): WaitUntil | undefined {
  const runtime = (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime as { waitUntil?: unknown } | undefined;
  if (typeof runtime !== "object" || runtime === null || typeof runtime.waitUntil !== "function") return undefined;
  const waitUntil = runtime.waitUntil as WaitUntil;
  return (promise) => waitUntil.call(runtime, promise);
}
