import type { WaitUntil } from "../wait-until";

type RequestContextGlobal = { get?: () => { waitUntil?: WaitUntil } | undefined };

const VERCEL_REQUEST_CONTEXT = Symbol.for("@vercel/request-context");

/** The `waitUntil` of Vercel's request context, published on `globalThis` on Vercel (Node and edge alike). */
export function vercelWaitUntil(): WaitUntil | undefined {
  const requestContext = (globalThis as Record<symbol, RequestContextGlobal | undefined>)[VERCEL_REQUEST_CONTEXT];
  const context = requestContext?.get?.();
  const waitUntil = context?.waitUntil;
  return typeof waitUntil === "function" ? (promise) => waitUntil.call(context, promise) : undefined;
}
