import { type ModaOptions, type ResolvedConfig, resolveConfig } from "./options";

/** `init()`'s options: the defaults under every `withModa`, and the config of spans made outside any request. */
let defaults: ModaOptions = {};
let generation = 0;
let resolved: ResolvedConfig | undefined;

/** Replaces the defaults (`init()`); configs resolved from the old ones are resolved again at their next use. */
export function setDefaults(options: ModaOptions): void {
  defaults = options;
  resolved = undefined;
  generation++;
}

export function getDefaults(): ModaOptions {
  return defaults;
}

/** Changes whenever `init()` sets new defaults, so that cached configs know they are stale. */
export function defaultsGeneration(): number {
  return generation;
}

/** The defaults resolved (over `process.env`): the config of work done outside any request. */
export function defaultConfig(): ResolvedConfig {
  resolved ??= resolveConfig(defaults);
  return resolved;
}
