import type { Attributes } from "@opentelemetry/api";
import {
  apiKeyProblem,
  headerListValues,
  headerProblem,
  parseHeaderList,
  shownHeaderName,
  shownOrigin,
  trimApiKey,
} from "./http-checks";
import { platformServiceName, platformServiceVersion } from "./platform-service";
import { type ShowValue, valueShower } from "./shown-values";

/** The ingest endpoint of Moda; any OTLP/HTTP traces endpoint works too. */
export const DEFAULT_BASE_URL = "https://moda-ingest.modas.workers.dev/v1/traces";

export type Protocol = "http/protobuf" | "http/json";
export type Compression = "gzip" | "none";
export type SemconvFamily = "gen_ai" | "moda";

/**
 * Size caps, applied to every span when it is exported (docs/limits.md). Every cut is visible in the value
 * (`…[truncated N chars]`; cut JSON stays valid JSON) and counted in the span's dropped counts.
 */
export interface ModaLimits {
  /** Longest string kept in one attribute value (span, event or link) or status message, in characters, the mark included. Default 131072. */
  maxAttributeLength?: number;
  /** Most items kept in one array attribute value. Default 1000. */
  maxArrayLength?: number;
  /** Longest span name, event name and attribute key, in characters; a longer key drops its attribute. Default 1024. */
  maxNameLength?: number;
  /** Most indexed `llm.prompts.{n}` / `llm.completions.{n}` messages per span. Default 256. */
  maxLegacyMessages?: number;
  /** Most attributes on one span. Default 2048. */
  maxAttributesPerSpan?: number;
  /** Most events on one span (exceptions included); later ones are dropped and counted. Default 128. */
  maxEventsPerSpan?: number;
  /** Most attributes on one event. Default 128. */
  maxAttributesPerEvent?: number;
  /** Most links on one span. Default 128. */
  maxLinksPerSpan?: number;
  /** Most attributes on one link. Default 128. */
  maxAttributesPerLink?: number;
  /** Largest encoded size of one span, in bytes: its longest values are cut first to fit. Default 1048576 (1 MiB). */
  maxSpanBytes?: number;
  /** Most spans buffered for one request; later spans are dropped and counted on the request span. Default 1000. */
  maxSpansPerRequest?: number;
}

export interface ModaOptions {
  /** Moda API key, sent as `Authorization: Bearer <key>`. Env: `MODA_API_KEY`. Without one, tracing is a no-op. */
  apiKey?: string;
  /** OTLP/HTTP traces endpoint. Env: `MODA_BASE_URL`. */
  baseUrl?: string;
  /**
   * `service.name` of the exported resource. Env: `MODA_SERVICE_NAME`. Default: what the platform says
   * (`OTEL_SERVICE_NAME`, the Lambda function, the Vercel project, `npm_package_name`), else `moda-edge-app`.
   */
  serviceName?: string;
  /** Extra headers on every export. Env: `MODA_HEADERS` (`key=value,key2=value2`). */
  headers?: Record<string, string>;
  /** Wire format of the export. Env: `MODA_PROTOCOL`. Default `http/protobuf`. */
  protocol?: Protocol;
  /** Body compression of the export (gzip: bodies of 1 MiB or more, where it pays). Env: `MODA_COMPRESSION`. Default `gzip`. */
  compression?: Compression;
  /** Record prompts, completions and tool arguments. Env: `MODA_TRACE_CONTENT`. Default true. */
  traceContent?: boolean;
  /** Keep inline binary (base64 images, audio, files) instead of a descriptor. Env: `MODA_CAPTURE_BINARY`. Default false. */
  captureBinary?: boolean;
  /** Log what the tracer does (and why it drops anything) to `console.debug`. Env: `MODA_DEBUG`. */
  debug?: boolean;
  /**
   * Fraction of healthy requests exported, 0 to 1, decided when the request ends: a request with a span in error
   * (an LLM error, an HTTP 5xx, a thrown handler error) is always exported. Env: `MODA_SAMPLE_RATE`. Default 1.
   */
  sampleRate?: number;
  /**
   * Export every request, not only those with an LLM call, a workflow/task/agent/tool, or a span of other
   * OpenTelemetry code (`modaTracer()`, `modaTelemetry()`). Env: `MODA_EXPORT_ALL_REQUESTS`. Default false.
   */
  exportAllRequests?: boolean;
  /** Which attribute families to write. Env: `MODA_SEMCONV` (`gen_ai,moda`). Default both. */
  semconv?: readonly SemconvFamily[];
  /** Longest time, in ms, one request's export may take, retries included. Env: `MODA_EXPORT_TIMEOUT_MS`. Default 25000, inside Cloudflare's 30 s `waitUntil` window. */
  exportTimeoutMs?: number;
  /**
   * Largest export body, in bytes before compression: a request's spans go out in as many bodies as it takes.
   * Env: `MODA_MAX_EXPORT_BYTES`. Default 4 MiB (4194304), under what OTLP collectors (20 MiB, counted after
   * decompression) and hosted OTLP endpoints (10 MB) accept.
   */
  maxExportBytes?: number;
  /** Longest time, in ms, a request's flush waits for spans still open (a stream nobody finished). Env: `MODA_SPAN_WAIT_MS`. Default 20000. */
  spanWaitMs?: number;
  /** Ask OpenAI-shaped APIs for usage on streams (`stream_options.include_usage`). Env: `MODA_INJECT_STREAM_USAGE`. Default true. */
  injectStreamUsage?: boolean;
  /** Size caps. */
  limits?: ModaLimits;
  /** Rewrite or drop attributes before export; return the attributes to keep. */
  redact?: (attributes: Attributes) => Attributes;
  /**
   * An `AsyncLocalStorage` class (from `node:async_hooks`) for full nesting of spans in the call tree.
   * Only `init()` reads it. A global `AsyncLocalStorage` (Vercel Edge, Next.js) is used when this is absent.
   */
  asyncLocalStorage?: AsyncLocalStorageClass;
}

/** The part of `AsyncLocalStorage` the tracer uses. */
export interface AsyncLocalStorageLike<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
}
export type AsyncLocalStorageClass = new () => AsyncLocalStorageLike<unknown>;

export interface ResolvedConfig {
  readonly enabled: boolean;
  readonly apiKey: string | undefined;
  readonly baseUrl: string;
  readonly serviceName: string;
  /** The deployed version, where the platform says it (`service.version`). */
  readonly serviceVersion: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly protocol: Protocol;
  readonly compression: Compression;
  readonly traceContent: boolean;
  readonly captureBinary: boolean;
  readonly debug: boolean;
  readonly sampleRate: number;
  readonly exportAllRequests: boolean;
  readonly semconv: ReadonlySet<SemconvFamily>;
  readonly exportTimeoutMs: number;
  readonly maxExportBytes: number;
  readonly spanWaitMs: number;
  readonly injectStreamUsage: boolean;
  readonly limits: Required<ModaLimits>;
  readonly redact: ((attributes: Attributes) => Attributes) | undefined;
}

/** Thrown at `init()` or at the first request when an option is invalid. Names the option. */
export class ModaConfigError extends Error {
  readonly option: string;
  constructor(option: string, problem: string) {
    super(`moda-edge: invalid option \`${option}\`: ${problem}`);
    this.name = "ModaConfigError";
    this.option = option;
  }
}

/** See `ModaOptions.maxExportBytes`. */
export const DEFAULT_MAX_EXPORT_BYTES = 4 * 1024 * 1024;
/** Cloudflare's request body limit on its Free and Pro plans (100 MB), read as decimal megabytes. */
const MAX_EXPORT_BYTES_CEILING = 100_000_000;

export const DEFAULT_LIMITS: Required<ModaLimits> = {
  maxAttributeLength: 128 * 1024,
  maxArrayLength: 1000,
  maxNameLength: 1024,
  maxLegacyMessages: 256,
  maxAttributesPerSpan: 2048,
  maxEventsPerSpan: 128,
  maxAttributesPerEvent: 128,
  maxLinksPerSpan: 128,
  maxAttributesPerLink: 128,
  maxSpanBytes: 1024 * 1024,
  maxSpansPerRequest: 1000,
};

type EnvSource = Readonly<Record<string, unknown>> | undefined;

/** `process.env` where it exists, without naming `process` in a way bundlers shim. */
function processEnv(): EnvSource {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env;
}

function envString(env: EnvSource, name: string): string | undefined {
  const fromEnv = env?.[name];
  if (typeof fromEnv === "string" && fromEnv !== "") return fromEnv;
  const fromProcess = processEnv()?.[name];
  return typeof fromProcess === "string" && fromProcess !== "" ? fromProcess : undefined;
}

function parseBoolean(option: string, value: unknown, show: ShowValue): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const v = value.trim().toLowerCase();
    if (["true", "1", "yes", "on"].includes(v)) return true;
    if (["false", "0", "no", "off"].includes(v)) return false;
  }
  throw new ModaConfigError(option, `expected true or false, got ${show(value)}`);
}

function parseNumber(option: string, value: unknown, min: number, max: number, show: ShowValue): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === "string" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n) || n < min || n > max) {
    throw new ModaConfigError(option, `expected a number from ${min} to ${max}, got ${show(value)}`);
  }
  return n;
}

function parseOptionalString(option: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new ModaConfigError(option, `expected a string, got ${typeof value}`);
  return value === "" ? undefined : value;
}

function parseUrl(value: string, show: ShowValue): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ModaConfigError("baseUrl", `not a URL: ${show(value)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ModaConfigError("baseUrl", `expected an http or https URL, got ${show(url.protocol)}`);
  }
  if (url.username || url.password) {
    throw new ModaConfigError(
      "baseUrl",
      `${shownOrigin(url, show)} has credentials in it (user:password@), which fetch refuses; send them as a header ` +
        "instead (headers: { Authorization: ... }), or use apiKey",
    );
  }
  return url.href;
}

/** The key without the whitespace HTTP drops around a header value; a key that cannot be sent is an error. */
function parseApiKey(value: unknown): string | undefined {
  const given = parseOptionalString("apiKey", value);
  const key = given === undefined ? undefined : trimApiKey(given);
  if (!key) return undefined;
  const problem = apiKeyProblem(key);
  if (problem) throw new ModaConfigError("apiKey", problem);
  return key;
}

function parseEnum<T extends string>(
  option: string,
  value: unknown,
  allowed: readonly T[],
  show: ShowValue,
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ModaConfigError(option, `expected one of ${allowed.join(", ")}, got ${show(value)}`);
}

function parseHeaders(value: unknown, show: ShowValue): Record<string, string> {
  if (value === undefined) return {};
  let headers: Record<string, string>;
  if (typeof value === "string") {
    const parsed = parseHeaderList(value, show);
    if ("problem" in parsed) throw new ModaConfigError("headers", parsed.problem);
    headers = parsed.headers;
  } else if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ModaConfigError("headers", "expected an object of header names to string values");
  } else {
    headers = { ...(value as Record<string, unknown>) } as Record<string, string>;
  }
  for (const [name, headerValue] of Object.entries(headers)) {
    if (typeof headerValue !== "string") {
      throw new ModaConfigError("headers", `the header ${shownHeaderName(name, show)} is not a string`);
    }
    const problem = headerProblem(name, headerValue, show);
    if (problem) throw new ModaConfigError("headers", problem);
  }
  return headers;
}

function parseSemconv(value: unknown, show: ShowValue): ReadonlySet<SemconvFamily> {
  const list = typeof value === "string" ? value.split(",").map((s) => s.trim()) : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw new ModaConfigError("semconv", `expected a non-empty list of "gen_ai" and "moda", got ${show(value)}`);
  }
  return new Set(
    list.map((family) => parseEnum("semconv", family, ["gen_ai", "moda"] as const, show) as SemconvFamily),
  );
}

function parseLimits(limits: ModaLimits | undefined, show: ShowValue): Required<ModaLimits> {
  if (limits === undefined) return DEFAULT_LIMITS;
  if (typeof limits !== "object" || limits === null) throw new ModaConfigError("limits", "expected an object");
  const unknown = Object.keys(limits).find((key) => !(key in DEFAULT_LIMITS));
  if (unknown !== undefined) {
    throw new ModaConfigError(
      `limits.${unknown}`,
      `no such limit; the limits are ${Object.keys(DEFAULT_LIMITS).join(", ")}`,
    );
  }
  const out = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof ModaLimits)[]) {
    const n = parseNumber(`limits.${key}`, limits[key], 1, Number.MAX_SAFE_INTEGER, show);
    if (n !== undefined) out[key] = Math.floor(n);
  }
  return out;
}

/** The keys and header values configured, in code and in the env: text no config message may quote. */
function configuredSecrets(options: ModaOptions, env: EnvSource): string[] {
  const secrets: string[] = [];
  for (const key of [options.apiKey, envString(env, "MODA_API_KEY")]) {
    if (typeof key === "string") secrets.push(key, trimApiKey(key));
  }
  for (const headers of [options.headers as unknown, envString(env, "MODA_HEADERS")]) {
    if (typeof headers === "string") secrets.push(...headerListValues(headers));
    else if (typeof headers === "object" && headers !== null) {
      for (const value of Object.values(headers)) if (typeof value === "string") secrets.push(value);
    }
  }
  return secrets;
}

/** An option's env name: `MODA_` and the option in upper snake case (`exportTimeoutMs` → `MODA_EXPORT_TIMEOUT_MS`). */
function envNameOf(option: string): string {
  return `MODA_${option.replace(/[A-Z]/g, "_$&").toUpperCase()}`;
}

/**
 * Resolves options for one request: explicit options first, then the Worker `env`, then `process.env`.
 * Throws `ModaConfigError` naming the first invalid option.
 */
export function resolveConfig(options: ModaOptions = {}, env?: EnvSource): ResolvedConfig {
  const pick = (option: keyof ModaOptions): unknown => options[option] ?? envString(env, envNameOf(option));
  const show = valueShower(configuredSecrets(options, env));
  const string = (option: keyof ModaOptions) => parseOptionalString(option, pick(option));
  const boolean = (option: keyof ModaOptions, fallback: boolean) =>
    parseBoolean(option, pick(option), show) ?? fallback;
  const number = (option: keyof ModaOptions, min: number, max: number, fallback: number) =>
    parseNumber(option, pick(option), min, max, show) ?? fallback;
  /** One of `allowed`; the first is the default. */
  const oneOf = <T extends string>(option: keyof ModaOptions, allowed: readonly [T, ...T[]]) =>
    parseEnum(option, pick(option), allowed, show) ?? allowed[0];
  const apiKey = parseApiKey(pick("apiKey"));
  const baseUrl = string("baseUrl");
  if (options.redact !== undefined && typeof options.redact !== "function") {
    throw new ModaConfigError("redact", "expected a function (attributes) => attributes");
  }
  return {
    enabled: apiKey !== undefined,
    apiKey,
    baseUrl: parseUrl(baseUrl ?? DEFAULT_BASE_URL, show),
    serviceName: string("serviceName") ?? platformServiceName(env) ?? "moda-edge-app",
    serviceVersion: platformServiceVersion(env),
    headers: parseHeaders(pick("headers"), show),
    protocol: oneOf("protocol", ["http/protobuf", "http/json"]),
    compression: oneOf("compression", ["gzip", "none"]),
    traceContent: boolean("traceContent", true),
    captureBinary: boolean("captureBinary", false),
    debug: boolean("debug", false),
    sampleRate: number("sampleRate", 0, 1, 1),
    exportAllRequests: boolean("exportAllRequests", false),
    semconv: parseSemconv(pick("semconv") ?? ["gen_ai", "moda"], show),
    exportTimeoutMs: number("exportTimeoutMs", 1, 600_000, 25_000),
    maxExportBytes: Math.floor(number("maxExportBytes", 1024, MAX_EXPORT_BYTES_CEILING, DEFAULT_MAX_EXPORT_BYTES)),
    spanWaitMs: number("spanWaitMs", 0, 600_000, 20_000),
    injectStreamUsage: boolean("injectStreamUsage", true),
    limits: parseLimits(options.limits, show),
    redact: options.redact,
  };
}
