import type { ResolvedConfig } from "./options";

/**
 * What two configs must share for a span recorded under one to be exported under the other without changing
 * where it goes or what it says: every resolved option except those below, which change only how and when the
 * export is made (`exportAllRequests` decides only whether a request's own spans go, never how any span is
 * recorded or where it goes). An option added to `ResolvedConfig` joins the identity unless it is listed here, so that a new
 * option can only make the tracer more careful (docs/architecture.md, "Finding a span's request").
 */
const NOT_EXPORT_SETTINGS = new Set([
  "debug",
  "protocol",
  "compression",
  "exportTimeoutMs",
  "maxExportBytes",
  "spanWaitMs",
  "injectStreamUsage",
  "exportAllRequests",
]);
/** Where a span goes: the part of the export settings a span's recording does not depend on. */
const DESTINATION = new Set(["enabled", "apiKey", "baseUrl", "headers"]);

const identities = new WeakMap<ResolvedConfig, readonly [settings: string, recording: string]>();
const functionIds = new WeakMap<object, number>();
let functions = 0;

/** The options of `config` but `skip`, as text: sets as lists, a function (the redact hook) by its identity. */
function text(config: ResolvedConfig, skip: ReadonlySet<string>): string {
  return JSON.stringify(config, function (this: unknown, key: string, value: unknown) {
    if (this === config && (NOT_EXPORT_SETTINGS.has(key) || skip.has(key))) return undefined;
    if (value instanceof Set) return [...value];
    if (typeof value !== "function") return value;
    if (!functionIds.has(value)) functionIds.set(value, functions++);
    return `function ${functionIds.get(value)}`;
  });
}

function identityOf(config: ResolvedConfig): readonly [string, string] {
  let identity = identities.get(config);
  if (!identity) {
    identity = [text(config, new Set()), text(config, DESTINATION)];
    identities.set(config, identity);
  }
  return identity;
}

/**
 * The export settings of a config as one comparable value: endpoint, key, headers, service name, content
 * policy, caps, redact hook, sampling. Holds the API key: compare it, never print it.
 */
export function exportSettingsOf(config: ResolvedConfig): string {
  return identityOf(config)[0];
}

/** Whether spans recorded under `a` and `b` are recorded alike: the same export settings but the destination. */
export function recordedAlike(a: ResolvedConfig, b: ResolvedConfig): boolean {
  return identityOf(a)[1] === identityOf(b)[1];
}
