export type WaitUntil = (promise: Promise<unknown>) => void;

/** `context.waitUntil` of a handler's context argument (Workers, Vercel Edge, Netlify, Next middleware's event). */
export function waitUntilOf(context: unknown): WaitUntil | undefined {
  const waitUntil = (context as { waitUntil?: unknown } | null | undefined)?.waitUntil;
  return typeof waitUntil === "function" ? (promise) => (waitUntil as WaitUntil).call(context, promise) : undefined;
}
