import { type ModaOptions, resolveConfig } from "../config/options";
import { getDefaults } from "../core/scope";
import { instrumentExportedHandler } from "./cloudflare";
import { type FetchHandler, instrumentFetchHandler } from "./vercel";

/**
 * Traces every invocation of a handler: a Workers `ExportedHandler` object (`fetch`, `scheduled`, `queue`,
 * `email`) or a fetch-style function (Vercel Edge, Next.js route handlers). Returns the same shape.
 * Explicit options are checked now, so a mistake shows at startup as a `ModaConfigError`.
 */
export function withModa<H extends FetchHandler | object>(handler: H, options: ModaOptions = {}): H {
  resolveConfig({ ...getDefaults(), ...options }, {});
  if (isClass(handler)) {
    throw new TypeError(
      "moda-edge: withModa() got a class; a WorkerEntrypoint class is not supported yet: export an object " +
        "({ fetch, scheduled, … }) or wrap a fetch-style function",
    );
  }
  if (typeof handler === "function") return instrumentFetchHandler(handler as FetchHandler, options) as H;
  if (typeof handler === "object" && handler !== null) return instrumentExportedHandler(handler, options);
  throw new TypeError("moda-edge: withModa() expects a handler function or a Workers ExportedHandler object");
}

/** A class cannot be called as a handler function: its call would throw at the first request. */
function isClass(value: unknown): boolean {
  return typeof value === "function" && /^class[\s{]/.test(Function.prototype.toString.call(value));
}
