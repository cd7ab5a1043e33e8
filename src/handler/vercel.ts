import type { HandlerConfig } from "../config/handler-config";
import { describeRequest } from "./http-attributes";
import { type Invocation, traceFetch } from "./invocation";

/** A fetch-style handler: Vercel Edge `(request, context)`, a Next.js route handler `(request, { params })`. */
export type FetchHandler = (request: Request, ...rest: never[]) => Response | Promise<Response>;

type WaitUntil = (promise: Promise<unknown>) => void;
type RequestContextGlobal = { get?: () => { waitUntil?: WaitUntil } | undefined };

const VERCEL_REQUEST_CONTEXT = Symbol.for("@vercel/request-context");

/** Vercel's `context.waitUntil`, else the request context Vercel publishes on `globalThis`. */
function findWaitUntil(context: unknown): WaitUntil | undefined {
  const fromContext = (context as { waitUntil?: unknown } | undefined)?.waitUntil;
  if (typeof fromContext === "function") return (promise) => (fromContext as WaitUntil).call(context, promise);
  const requestContext = (globalThis as Record<symbol, RequestContextGlobal | undefined>)[VERCEL_REQUEST_CONTEXT];
  const fromGlobal = requestContext?.get?.()?.waitUntil;
  return typeof fromGlobal === "function" ? fromGlobal : undefined;
}

/** Wraps a fetch-style handler function; its result and errors reach the caller unchanged. */
export function instrumentFetchHandler<F extends FetchHandler>(handler: F, config: HandlerConfig): F {
  const traced = function tracedHandler(this: unknown, request: Request, ...rest: never[]) {
    const invocation: Invocation = {
      config,
      env: undefined,
      waitUntil: findWaitUntil(rest[0]),
      ...describeRequest(request),
    };
    return traceFetch(invocation, () => handler.call(this, request, ...rest));
  };
  return traced as F;
}
