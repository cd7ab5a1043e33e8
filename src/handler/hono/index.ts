import { HandlerConfig } from "../../config/handler-config";
import type { ModaOptions } from "../../config/options";
import { SpanStatusCode } from "../../core/otel";
import { ATTR_HTTP_ROUTE } from "../../semconv/core-attributes";
import { describeRequest } from "../http-attributes";
import { endWithBody, type Invocation, type Started, traceInvocation } from "../invocation";
import { platformWaitUntil } from "../platform-wait-until";
import { waitUntilOf } from "../wait-until";

/** The parts of Hono's `Context` the middleware uses; Hono's own `Context` is one. */
export interface HonoContextLike {
  readonly req: { readonly raw: Request; readonly routeIndex?: number; readonly routePath?: string };
  readonly env?: unknown;
  /** Hono's getter throws where the runtime gave no `ExecutionContext` (Node, Bun, Deno). */
  readonly executionCtx?: { waitUntil(promise: Promise<unknown>): void };
  res: Response;
  readonly error?: Error;
}

/** A Hono middleware: `app.use(moda())`. */
export type ModaMiddleware = (c: HonoContextLike, next: () => Promise<void>) => Promise<void>;

function executionContextOf(c: HonoContextLike): unknown {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}

/** Names the root span by the route that answered (`GET /chat/:id`), when one did. */
function nameByRoute(started: Started, c: HonoContextLike, ownIndex: number | undefined): void {
  const route = c.req.routeIndex !== ownIndex ? c.req.routePath : undefined;
  if (!route) return;
  started.root.setAttribute(ATTR_HTTP_ROUTE, route);
  started.root.updateName(`${c.req.raw.method} ${route}`);
}

/** An error Hono caught and turned into its error response is still the request's error. */
function recordError(started: Started, error: Error | undefined): void {
  if (!error) return;
  started.root.recordException(error);
  started.root.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}

/**
 * Hono middleware that traces each request as `withModa` does: `app.use(moda())`, first, before the routes.
 * The root span is named by the matched route (`http.route`) and ends when the response body has been sent;
 * the export goes through the runtime's `waitUntil` (Workers' `executionCtx`, Vercel's, Next's, Supabase's).
 */
export function moda(options: ModaOptions = {}): ModaMiddleware {
  const config = new HandlerConfig(options);
  return (c, next) => {
    const invocation: Invocation = {
      config,
      env: c.env,
      waitUntil: waitUntilOf(executionContextOf(c)) ?? platformWaitUntil(),
      ...describeRequest(c.req.raw),
    };
    const ownIndex = c.req.routeIndex;
    return traceInvocation(
      invocation,
      () => next(),
      (started) => {
        nameByRoute(started, c, ownIndex);
        c.res = endWithBody(started, c.res);
        recordError(started, c.error);
      },
    );
  };
}
