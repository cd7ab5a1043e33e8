import { HandlerConfig } from "../config/handler-config";
import type { ModaOptions } from "../config/options";
import { instrumentExportedHandler, instrumentWorkersClass, isClass } from "./cloudflare";
import type { FetchHandler } from "./fetch-call";
import { instrumentFunction } from "./function-handler";

/**
 * Traces every invocation of a handler, and returns the same shape:
 * - a function: fetch-style (Vercel, Next.js route handlers, Netlify, Deno, Bun, Supabase), a Lambda handler
 *   (API Gateway, function URLs, `awslambda.streamifyResponse`), or Node's `(req, res)` (Express, Pages API routes);
 * - a Workers `ExportedHandler` object (`fetch`, `scheduled`, `queue`, `email`);
 * - a Workers class: a `DurableObject` (an Agents SDK `Agent` among them), a `WorkerEntrypoint`, a
 *   `WorkflowEntrypoint`.
 * The options are resolved now, so a mistake shows at startup as a `ModaConfigError`, and that result is what
 * the invocations use (a Worker's, with its `env` added).
 */
export function withModa<H extends FetchHandler | object>(handler: H, options: ModaOptions = {}): H {
  const config = new HandlerConfig(options);
  if (isClass(handler)) return instrumentWorkersClass(handler, config);
  if (typeof handler === "function") return instrumentFunction(handler as never, config) as H;
  if (typeof handler === "object" && handler !== null) return instrumentExportedHandler(handler, config);
  throw new TypeError(
    "moda-edge: withModa() expects a handler function, a Workers ExportedHandler object ({ fetch, … }) or a " +
      `Workers class (DurableObject, WorkerEntrypoint, WorkflowEntrypoint); got ${handler === null ? "null" : typeof handler}`,
  );
}
