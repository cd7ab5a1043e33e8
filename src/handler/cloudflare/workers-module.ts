/** The parts of the `cloudflare:workers` module the tracer uses. */
export interface WorkersModule {
  readonly WorkerEntrypoint?: abstract new (ctx: unknown, env: unknown) => object;
}

type GetBuiltinModule = (id: string) => unknown;

/**
 * The `cloudflare:workers` module where workerd lends it without a static import: through
 * `process.getBuiltinModule`, present when Node APIs are on (the default from compatibility date 2026-08-04, or
 * `nodejs_compat`). A static import would tie the package to workerd.
 */
export function cloudflareWorkers(): WorkersModule | undefined {
  const getBuiltinModule = (globalThis as { process?: { getBuiltinModule?: GetBuiltinModule } }).process
    ?.getBuiltinModule;
  if (typeof getBuiltinModule !== "function") return undefined;
  try {
    return (getBuiltinModule("cloudflare:workers") as WorkersModule | undefined) ?? undefined;
  } catch {
    return undefined;
  }
}
