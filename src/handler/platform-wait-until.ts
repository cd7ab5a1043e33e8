import { nextWaitUntil } from "./next/request-context";
import { supabaseWaitUntil } from "./supabase/edge-runtime";
import { vercelWaitUntil } from "./vercel/request-context";
import { type WaitUntil, waitUntilOf } from "./wait-until";

/**
 * What keeps this call's export alive after the response: the context argument's `waitUntil`, else the one the
 * platform publishes (Vercel's request context, Next's `after()`, Supabase's `EdgeRuntime`). None on a plain Node
 * server, where the process outlives the response anyway.
 */
export function platformWaitUntil(context?: unknown): WaitUntil | undefined {
  return waitUntilOf(context) ?? vercelWaitUntil() ?? nextWaitUntil() ?? supabaseWaitUntil();
}
