import { nextWaitUntil } from "./next/request-context";
import { supabaseWaitUntil } from "./supabase/edge-runtime";
import { vercelWaitUntil } from "./vercel/request-context";

export type WaitUntil = (promise: Promise<unknown>) => void;

/** `context.waitUntil` of a handler's context argument (Workers, Vercel Edge, Netlify, Next middleware's event). */
export function waitUntilOf(context: unknown): WaitUntil | undefined {
  const waitUntil = (context as { waitUntil?: unknown } | null | undefined)?.waitUntil;
  return typeof waitUntil === "function" ? (promise) => (waitUntil as WaitUntil).call(context, promise) : undefined;
}

/**
 * What keeps this call's export alive after the response: the context argument's `waitUntil`, else the one the
 * platform publishes (Vercel's request context, Next's `after()`, Supabase's `EdgeRuntime`). None on a plain Node
 * server, where the process outlives the response anyway.
 */
export function platformWaitUntil(context?: unknown): WaitUntil | undefined {
  return waitUntilOf(context) ?? vercelWaitUntil() ?? nextWaitUntil() ?? supabaseWaitUntil();
}
