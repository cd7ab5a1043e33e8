import { defaultConfig, defaultsGeneration } from "../config/defaults";
import { exportSettingsOf, recordedAlike } from "../config/export-settings";
import type { ResolvedConfig } from "../config/options";
import { describeAsyncContext } from "./context";
import { debugOnce } from "./debug";
import { RequestScope } from "./request-scope";
import type { ModaSpan } from "./span";

/**
 * Every scope the isolate holds: the requests in flight, the background scope of `init()`, and the detached
 * scopes that hold spans of no request in flight under one export settings until a request with those settings
 * flushes them.
 */

const inFlight = new Set<RequestScope>();
/**
 * A config of the requests this isolate has begun, while their export settings were all one; `null` once they
 * differ (for good: work a finished request left running can still make spans, and nothing says whose they are).
 */
let everyRequestBegun: ResolvedConfig | null | undefined;

export function beginRequestScope(config: ResolvedConfig, waitUntil: RequestScope["waitUntil"]): RequestScope {
  // Drawn now, applied at the end: a request that fails is exported whatever its draw (tail sampling).
  const drawnIn = config.sampleRate >= 1 || Math.random() < config.sampleRate;
  if (!config.enabled) {
    debugOnce(config, "no-key", "no API key (apiKey or MODA_API_KEY): tracing is a no-op and nothing is exported");
  }
  if (config.debug) debugOnce(config, "async-context", describeAsyncContext());
  const scope = new RequestScope(config, { waitUntil, recording: config.enabled, drawnIn });
  inFlight.add(scope);
  if (everyRequestBegun === undefined) everyRequestBegun = config;
  else if (everyRequestBegun && !sameExportSettings(everyRequestBegun, config)) everyRequestBegun = null;
  return scope;
}

export function retireRequestScope(scope: RequestScope): void {
  scope.state = "done";
  inFlight.delete(scope);
}

export function hasRequestsInFlight(): boolean {
  return inFlight.size > 0;
}

/** The one request in flight, when there is exactly one. */
export function onlyRequestInFlight(): RequestScope | undefined {
  if (inFlight.size !== 1) return undefined;
  const [only] = inFlight;
  return only;
}

/**
 * The export settings every request this isolate has begun had (as one of their configs): `undefined` before the
 * first request, `null` once two requests had different ones.
 */
export function settingsOfEveryRequestBegun(): ResolvedConfig | null | undefined {
  return everyRequestBegun;
}

/** The config whose export settings every request in flight has; `undefined` when they differ or none is in flight. */
export function sharedSettingsInFlight(): ResolvedConfig | undefined {
  let shared: ResolvedConfig | undefined;
  for (const { config } of inFlight) {
    if (!shared) shared = config;
    else if (!sameExportSettings(config, shared)) return undefined;
  }
  return shared;
}

/** Forgets the requests begun, as a new isolate would have none: for suites whose tests each model one. */
export function forgetRequestsBegun(): void {
  everyRequestBegun = undefined;
}

export function sameExportSettings(a: ResolvedConfig, b: ResolvedConfig): boolean {
  return a === b || exportSettingsOf(a) === exportSettingsOf(b);
}

let background: RequestScope | undefined;
let backgroundGeneration = -1;

/**
 * The isolate's scope for spans made while no request is in flight (a Node script, a test, a Worker's module
 * scope), under `init()`'s config; made again (keeping its spans) after `init()`. It records even without a
 * key of its own: see `backgroundMayGoWith` for when a request's flush takes its spans. Capped like a request.
 */
export function backgroundScope(): RequestScope {
  if (!background || backgroundGeneration !== defaultsGeneration()) {
    const previous = background;
    background = new RequestScope(defaultConfig(), { recording: true, samplesEachTrace: true });
    backgroundGeneration = defaultsGeneration();
    if (previous) background.adopt(previous.takeEnded());
  }
  return background;
}

export function peekBackgroundScope(): RequestScope | undefined {
  return background;
}

/**
 * Whether the background's spans, which `init()` gave no key, may go out under `config` (a Worker whose key
 * arrives with its `env`): only if every request this isolate has begun had `config`'s export settings, and
 * the background records spans as `config` does. Otherwise nothing says those spans are that request's.
 */
export function backgroundMayGoWith(config: ResolvedConfig): boolean {
  return (
    background !== undefined &&
    !!everyRequestBegun &&
    sameExportSettings(everyRequestBegun, config) &&
    recordedAlike(background.config, config)
  );
}

const detached = new Map<string, RequestScope>();

/**
 * The scope for spans that belong to no request in flight but whose export settings are certain (`config`'s):
 * spans of a request that has already been exported, and spans of an unknown request made while every
 * request in flight had these settings. Each goes out as its own trace with the next flush of a request with
 * the same settings, or with `flush()`. Kept for the isolate's life: one per export settings.
 */
export function detachedScope(config: ResolvedConfig): RequestScope {
  const settings = exportSettingsOf(config);
  let scope = detached.get(settings);
  if (!scope) {
    scope = new RequestScope(config, { recording: config.enabled, samplesEachTrace: true });
    detached.set(settings, scope);
  }
  return scope;
}

/** The ended spans waiting in the detached scope with `config`'s export settings, handed over. */
export function takeDetached(config: ResolvedConfig): ModaSpan[] {
  return detached.get(exportSettingsOf(config))?.takeEnded() ?? [];
}

export function detachedScopes(): Iterable<RequestScope> {
  return detached.values();
}
