type EnvSource = Readonly<Record<string, unknown>> | undefined;

/** `process.env` where it exists, without naming `process` in a way bundlers shim. */
function processEnv(): EnvSource {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
}

/** The first of `names` set to a non-empty string in the Worker `env` or `process.env`. */
function firstSet(env: EnvSource, names: readonly string[]): string | undefined {
  for (const source of [env, processEnv()]) {
    for (const name of names) {
      const value = source?.[name];
      if (typeof value === "string" && value.trim() !== "") return value.trim();
    }
  }
  return undefined;
}

/**
 * Where platforms say which app this is, most specific first: OpenTelemetry's own variable, the Lambda function,
 * the Vercel project (its Git repository, else its id), the package `npm start` runs.
 */
const SERVICE_NAME_VARIABLES = [
  "OTEL_SERVICE_NAME",
  "AWS_LAMBDA_FUNCTION_NAME",
  "VERCEL_GIT_REPO_SLUG",
  "VERCEL_PROJECT_ID",
  "npm_package_name",
] as const;

/** Where platforms say which version of it runs: Vercel's deployment, Lambda's function version. */
const SERVICE_VERSION_VARIABLES = ["VERCEL_DEPLOYMENT_ID", "AWS_LAMBDA_FUNCTION_VERSION"] as const;

/** The `service.name` the platform gives this app, for when none is configured. */
export function platformServiceName(env: EnvSource): string | undefined {
  return firstSet(env, SERVICE_NAME_VARIABLES);
}

interface VersionMetadata {
  readonly id: string;
  readonly tag: string;
  readonly timestamp: string;
}

function isVersionMetadata(value: unknown): value is VersionMetadata {
  const v = value as Partial<VersionMetadata> | null;
  return typeof v === "object" && v !== null && typeof v.id === "string" && typeof v.timestamp === "string";
}

/**
 * The `service.version` the platform gives: a Cloudflare version metadata binding (whatever its name: its tag,
 * else its id), Vercel's deployment, Lambda's function version.
 */
export function platformServiceVersion(env: EnvSource): string | undefined {
  const metadata = env ? Object.values(env).find(isVersionMetadata) : undefined;
  if (metadata) return metadata.tag || metadata.id;
  return firstSet(env, SERVICE_VERSION_VARIABLES);
}
