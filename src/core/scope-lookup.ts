import { defaultConfig } from "../config/defaults";
import type { ResolvedConfig } from "../config/options";
import { currentContext, hasAsyncContext } from "./context";
import { warnOnce } from "./debug";
import { RequestScope } from "./request-scope";
import {
  backgroundScope,
  detachedScope,
  hasRequestsInFlight,
  onlyRequestInFlight,
  sameExportSettings,
  settingsOfEveryRequestBegun,
  sharedSettingsInFlight,
} from "./scopes-in-flight";
import type { SpanOwner } from "./span";

/**
 * Which scope a new span goes to. The rule and why: docs/architecture.md, "Finding a span's request". In short:
 * a span goes where its request is known; where it is not, a guess may choose the trace it joins but never the
 * settings it leaves under: those must be the settings of every request it could belong to, else it is dropped.
 */

/** The scope current right now (AsyncLocalStorage, or the synchronous part of a handler), while it takes spans. */
export function currentScope(): RequestScope | undefined {
  const owner = currentContext()?.span?.owner;
  return owner instanceof RequestScope && owner.accepting ? owner : undefined;
}

/**
 * The scope for a new span of a known request (`owner` is its parent's): the request while it takes spans;
 * once exported, the detached scope of its settings, where late spans go out as traces of their own; once left
 * out of the export, the request itself, which records them no more (their parent was never sent).
 */
export function scopeOfKnownRequest(owner: SpanOwner): RequestScope | undefined {
  if (!(owner instanceof RequestScope)) return undefined;
  return owner.accepting || owner.leftOut ? owner : detachedScope(owner.config);
}

/**
 * The scope a new span belongs to: its current context's request; else a guess that may not change the span's
 * export settings (`settingsAGuessMayUse`): the request the client or entity was made in (`hint`), the only
 * request in flight, or a trace of its own under those settings; the background scope where no request can own
 * the span; otherwise nowhere (the span is dropped, counted and warned about).
 */
export function resolveScope(hint?: RequestScope): RequestScope {
  const owner = currentContext()?.span?.owner;
  return (owner && scopeOfKnownRequest(owner)) ?? guessedScope(hint);
}

function guessedScope(hint: RequestScope | undefined): RequestScope {
  const settings = settingsAGuessMayUse();
  if (settings === undefined) return backgroundScope();
  if (settings === null) return unknownRequestScope();
  if (!hasRequestsInFlight()) return detachedScope(settings);
  // A client wrapped inside a dropped span (its scope, the unknown request's) carries no hint.
  if (hint?.accepting && hint !== unknownRequest && sameExportSettings(hint.config, settings)) return hint;
  return onlyRequestInFlight() ?? detachedScope(settings);
}

/**
 * The export settings of every request a span of no known request could belong to: `undefined` for none (the
 * background's span), `null` when they differ. With AsyncLocalStorage, a span outside every request's context
 * belongs to none that has ended (their leftover work keeps their context), so the requests in flight. Without,
 * a finished request's leftover work (a promise still running in its waitUntil) is as likely as any request in
 * flight: every request the isolate has begun.
 */
function settingsAGuessMayUse(): ResolvedConfig | null | undefined {
  if (!hasAsyncContext()) return settingsOfEveryRequestBegun();
  if (!hasRequestsInFlight()) return undefined;
  return sharedSettingsInFlight() ?? null;
}

let dropped = 0;

const DROPPED =
  "dropped a span whose request could not be known: it started after an `await`, with no AsyncLocalStorage, " +
  "in an isolate serving requests with different settings (more are counted under `debug`). Fix: " +
  "AsyncLocalStorage (Workers: compatibility date 2026-08-04+ or nodejs_compat; else init({ asyncLocalStorage }))";

/** Where a span whose request cannot be known goes: nowhere. Each one is counted; the first is warned about. */
class UnknownRequestScope extends RequestScope {
  constructor(config: ResolvedConfig) {
    super(config, { recording: true });
  }

  override admit(): boolean {
    dropped++;
    warnOnce("unknown-request", DROPPED);
    return false;
  }
}

let unknownRequest: UnknownRequestScope | undefined;

function unknownRequestScope(): RequestScope {
  const config = defaultConfig();
  if (unknownRequest?.config !== config) unknownRequest = new UnknownRequestScope(config);
  return unknownRequest;
}

/** How many spans were dropped because their request could not be known, since the last call. */
export function takeDroppedUnknownCount(): number {
  const count = dropped;
  dropped = 0;
  return count;
}
