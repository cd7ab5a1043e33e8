import { ModaConfigError, type ModaOptions, type ResolvedConfig, resolveConfig } from "../config/options";
import { defaultsGeneration, getDefaults } from "../core/scope";

type Env = Readonly<Record<string, unknown>>;

const NO_ENV: Env = Object.freeze({});
type Resolved = { generation: number; result: ResolvedConfig | ModaConfigError };
const cache = new WeakMap<ModaOptions, WeakMap<Env, Resolved>>();
let reported = false;

/**
 * The config of one invocation: `withModa` options over `init()` defaults over the Worker `env` over
 * `process.env`; resolved per request (never the first request's), cached per env object.
 * An invalid value in the env is reported once and the request runs untraced: a deploy-time typo must
 * not take the handler down.
 */
export function requestConfig(options: ModaOptions, env: unknown): ResolvedConfig | undefined {
  const envObject = typeof env === "object" && env !== null ? (env as Env) : NO_ENV;
  let byEnv = cache.get(options);
  if (!byEnv) {
    byEnv = new WeakMap();
    cache.set(options, byEnv);
  }
  let cached = byEnv.get(envObject);
  if (!cached || cached.generation !== defaultsGeneration()) {
    cached = { generation: defaultsGeneration(), result: resolveOrError(options, envObject) };
    byEnv.set(envObject, cached);
  }
  const resolved = cached.result;
  if (resolved instanceof ModaConfigError) {
    if (!reported) console.error(`${resolved.message} (this request and the next run untraced until it is fixed)`);
    reported = true;
    return undefined;
  }
  return resolved;
}

function resolveOrError(options: ModaOptions, env: Env): ResolvedConfig | ModaConfigError {
  try {
    return resolveConfig({ ...getDefaults(), ...options }, env);
  } catch (error) {
    if (error instanceof ModaConfigError) return error;
    throw error;
  }
}
