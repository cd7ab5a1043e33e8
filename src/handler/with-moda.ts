import { HandlerConfig } from "../config/handler-config";
import type { ModaOptions } from "../config/options";
import { instrumentExportedHandler } from "./cloudflare";
import { type FetchHandler, instrumentFetchHandler } from "./vercel";

/**
 * Traces every invocation of a handler: a Workers `ExportedHandler` object (`fetch`, `scheduled`, `queue`,
 * `email`) or a fetch-style function (Vercel Edge, Next.js route handlers). Returns the same shape.
 * The options are resolved now, so a mistake shows at startup as a `ModaConfigError`, and that result is what
 * the invocations use (a Worker's, with its `env` added).
 */
export function withModa<H extends FetchHandler | object>(handler: H, options: ModaOptions = {}): H {
  const config = new HandlerConfig(options);
  if (isClass(handler)) {
    throw new TypeError(
      "moda-edge: withModa() got a class; a WorkerEntrypoint class is not supported yet: export an object " +
        "({ fetch, scheduled, … }) or wrap a fetch-style function",
    );
  }
  if (typeof handler === "function") return instrumentFetchHandler(handler as FetchHandler, config) as H;
  if (typeof handler === "object" && handler !== null) return instrumentExportedHandler(handler, config);
  throw new TypeError("moda-edge: withModa() expects a handler function or a Workers ExportedHandler object");
}

/** A class cannot be called as a handler function: its call would throw at the first request. */
function isClass(value: unknown): boolean {
  return typeof value === "function" && /^class[\s{]/.test(Function.prototype.toString.call(value));
}
