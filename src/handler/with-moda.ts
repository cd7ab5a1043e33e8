import { type ModaOptions, resolveConfig } from "../config/options";
import { getDefaults } from "../core/scope";
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
 * Explicit options are checked now, so a mistake shows at startup as a `ModaConfigError`.
 */
export function withModa<H extends FetchHandler | object>(handler: H, options: ModaOptions = {}): H {
  resolveConfig({ ...getDefaults(), ...options }, {});
  if (isClass(handler)) return instrumentWorkersClass(handler, options);
  if (typeof handler === "function") return instrumentFunction(handler as never, options) as H;
  if (typeof handler === "object" && handler !== null) return instrumentExportedHandler(handler, options);
  throw new TypeError(
    "moda-edge: withModa() expects a handler function, a Workers ExportedHandler object ({ fetch, … }) or a " +
      `Workers class (DurableObject, WorkerEntrypoint, WorkflowEntrypoint); got ${handler === null ? "null" : typeof handler}`,
  );
}
