import type { HandlerConfig } from "../config/handler-config";
import { describeRequest } from "./http-attributes";
import { type Invocation, traceFetch } from "./invocation";
import { platformWaitUntil } from "./platform-wait-until";
import { waitUntilOf } from "./wait-until";

/** A fetch-style handler: Vercel Edge `(request, context)`, a Next.js route handler `(request, { params })`. */
export type FetchHandler = (request: Request, ...rest: never[]) => Response | Promise<Response>;

/** Whether a call's first argument is a `Request` (by shape: Next's edge sandbox has a `Request` of its own). */
export function isFetchCall(args: readonly unknown[]): boolean {
  const request = args[0] as { url?: unknown; method?: unknown; headers?: { get?: unknown } } | null | undefined;
  return (
    typeof request?.url === "string" && typeof request.method === "string" && typeof request.headers?.get === "function"
  );
}

/**
 * A fetch-style call: `(request, context)` (Vercel, Next, Netlify, Deno, Bun) or a Worker's `(request, env, ctx)`;
 * the root span ends with the response body.
 */
export function traceFetchCall<R extends Response | Promise<Response>>(
  args: readonly unknown[],
  config: HandlerConfig,
  run: () => R,
): R {
  const [request, context, ctx] = args as [Request, unknown, unknown];
  const workersStyle = waitUntilOf(ctx);
  const invocation: Invocation = {
    config,
    env: workersStyle ? context : undefined,
    waitUntil: workersStyle ?? platformWaitUntil(context),
    ...describeRequest(request),
  };
  return traceFetch(invocation, run);
}
