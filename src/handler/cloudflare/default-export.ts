import { cloudflareWorkers } from "./workers-module";

type Callable = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Lets a traced function also be a Worker's default export: workerd takes a function there for an entrypoint
 * class, so the function is made a `WorkerEntrypoint` subclass whose `fetch` calls it as
 * `(request, env, ctx)`. Called as a function (a Next route handler on OpenNext), it is still the handler.
 * Only where workerd lends `cloudflare:workers` to code without a static import (Node APIs on); elsewhere
 * the function is left as it is.
 */
export function actAsWorkerEntrypoint(traced: Callable): ((ctx: unknown, env: unknown) => object) | undefined {
  const base = cloudflareWorkers()?.WorkerEntrypoint;
  if (typeof base !== "function") return undefined;
  Object.setPrototypeOf(traced, base);
  traced.prototype = Object.create(base.prototype, {
    constructor: { value: traced, writable: true, configurable: true },
    fetch: {
      value(this: { env: unknown; ctx: unknown }, request: Request) {
        return traced.call(undefined, request, this.env, this.ctx);
      },
      writable: true,
      configurable: true,
    },
  });
  return (ctx, env) => Reflect.construct(base, [ctx, env], traced);
}
