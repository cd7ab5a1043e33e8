import { defaultsGeneration, getDefaults } from "./defaults";
import { ModaConfigError, type ModaOptions, type ResolvedConfig, resolveConfig } from "./options";

type Env = Readonly<Record<string, unknown>>;

const NO_ENV: Env = Object.freeze({});

interface Resolved {
  readonly generation: number;
  readonly result: ResolvedConfig | ModaConfigError;
}

/**
 * The config of one `withModa` handler: its options over `init()`'s defaults over the Worker `env` over
 * `process.env`. Resolved once when the handler is wrapped, where an invalid option throws a `ModaConfigError`,
 * and that result serves every invocation without an `env` (fetch-style handlers); a Worker's invocations get
 * theirs once per `env` object. After `init()` changes the defaults, each is resolved again at its next use.
 */
export class HandlerConfig {
  private readonly byEnv = new WeakMap<Env, Resolved>();
  /** The env problems already reported: each once, however many requests it costs. */
  private readonly reported = new Set<string>();

  constructor(private readonly options: ModaOptions) {
    const { result } = this.resolved(NO_ENV);
    if (result instanceof ModaConfigError) throw result;
  }

  /**
   * The config of one invocation. An invalid value in the Worker `env` is reported (each distinct problem once)
   * and the invocation runs untraced (`undefined`): a deploy-time typo must not take the handler down.
   */
  forInvocation(env: unknown): ResolvedConfig | undefined {
    const { result } = this.resolved(typeof env === "object" && env !== null ? (env as Env) : NO_ENV);
    if (!(result instanceof ModaConfigError)) return result;
    if (!this.reported.has(result.message)) {
      this.reported.add(result.message);
      console.error(`${result.message} (requests with this env run untraced until it is fixed)`);
    }
    return undefined;
  }

  private resolved(env: Env): Resolved {
    const cached = this.byEnv.get(env);
    if (cached?.generation === defaultsGeneration()) return cached;
    const resolved = {
      generation: defaultsGeneration(),
      result: resolveOrError({ ...getDefaults(), ...this.options }, env),
    };
    this.byEnv.set(env, resolved);
    return resolved;
  }
}

function resolveOrError(options: ModaOptions, env: Env): ResolvedConfig | ModaConfigError {
  try {
    return resolveConfig(options, env);
  } catch (error) {
    if (error instanceof ModaConfigError) return error;
    throw error;
  }
}
