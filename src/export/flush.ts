import type { ResolvedConfig } from "../config/options";
import { hasAsyncContext } from "../core/context";
import { debug, warnOnce } from "../core/debug";
import type { RequestScope } from "../core/request-scope";
import { safely } from "../core/safe";
import { currentScope, resolveScope, takeDroppedUnknownCount } from "../core/scope-lookup";
import {
  backgroundMayGoWith,
  backgroundScope,
  detachedScopes,
  peekBackgroundScope,
  retireRequestScope,
  takeDetached,
} from "../core/scopes-in-flight";
import type { ModaSpan } from "../core/span";
import { nowMs } from "../core/time";
import { exportedSpans } from "../policy/exported-span";
import { whyLeftOut } from "../policy/request-export";
import { describeOutcome, exportSpans } from "./exporter";

/** Resolves after `ms`, or at once when `cancel` is called first; the timer lives only inside this flush. */
function delay(ms: number): { done: Promise<void>; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let resolve!: () => void;
  const done = new Promise<void>((r) => {
    resolve = r;
    timer = setTimeout(r, ms);
  });
  return {
    done,
    cancel() {
      clearTimeout(timer);
      resolve();
    },
  };
}

/** Waits for the scope's open spans (capped), then ends those whose answer nobody read. */
async function waitForSpans(scope: RequestScope): Promise<void> {
  if (!scope.isIdle()) {
    const cap = delay(scope.config.spanWaitMs);
    await Promise.race([scope.whenIdle(), cap.done]);
    cap.cancel();
  }
  scope.endUnread();
}

/** Waits until every span of the scope has ended, or `spanWaitMs`; spans still open then are ended as incomplete. */
async function settle(scope: RequestScope): Promise<void> {
  await waitForSpans(scope);
  if (scope.openCount > 0) {
    debug(
      scope.config,
      `${scope.openCount} span(s) still open after ${scope.config.spanWaitMs} ms; exported as incomplete`,
    );
    scope.endOpenAsIncomplete();
  }
}

async function send(spans: ModaSpan[], config: ResolvedConfig, deadline: number): Promise<void> {
  if (spans.length === 0) return;
  if (!config.enabled) {
    debug(config, `no API key: ${spans.length} span(s) not exported`);
    return;
  }
  await Promise.all(spans.map((span) => span.complete()));
  const outcome = await exportSpans(exportedSpans(spans), config, deadline);
  debug(config, describeOutcome(spans.length, outcome));
}

/**
 * The background's ended spans: under its own config when `init()` gave it a key; else under the flushing
 * request's, when nothing says they could be another request's (`backgroundMayGoWith`); else they are dropped.
 */
async function sendBackground(flushing: ResolvedConfig | undefined, deadline: number): Promise<void> {
  const background = peekBackgroundScope();
  if (!background) return;
  if (background.config.enabled) return send(background.takeEnded(), background.config, deadline);
  if (!flushing) return; // flush(): they wait for a request that may take them.
  const spans = background.takeEnded();
  if (spans.length === 0) return;
  if (backgroundMayGoWith(flushing)) return send(spans, flushing, deadline);
  warnOnce(
    "background-dropped",
    `dropped ${spans.length} span(s) made outside any request: init() has no apiKey, and no request's ` +
      "settings are known to be theirs",
  );
}

/**
 * A request's flush: waits for its spans (capped), then exports them (unless policy/request-export.ts leaves them
 * out), with the spans waiting under its export settings, inside one deadline. Never rejects.
 */
export async function flushScope(scope: RequestScope): Promise<void> {
  try {
    const startedAt = nowMs();
    scope.state = "flushing";
    await settle(scope);
    retireRequestScope(scope);
    const spans = [...ownSpans(scope), ...takeDetached(scope.config)];
    reportDroppedUnknown(scope.config);
    if (spans.length === 0 && !peekBackgroundScope()?.endedCount) return;
    // The root span ends as the last chunk is handed to the runtime: serializing now would delay that byte.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const deadline = Math.max(startedAt + scope.config.exportTimeoutMs, nowMs() + 1000);
    await sendWithRequest(spans, scope.config, deadline);
  } catch (error) {
    debug(scope.config, "flush failed", error);
  }
}

/** The request's ended spans, or none when it is left out of the export (`debug` says why). */
function ownSpans(scope: RequestScope): ModaSpan[] {
  const why = whyLeftOut(scope);
  if (!why) return scope.takeEnded();
  scope.leftOut = true;
  const count = scope.takeEnded().length;
  debug(scope.config, `request "${scope.root?.name}" not exported (${count} span(s)): ${why}`);
  return [];
}

/** A request's spans and those waiting under its export settings, with the background's where they may go with it. */
async function sendWithRequest(spans: ModaSpan[], config: ResolvedConfig, deadline: number): Promise<void> {
  await Promise.all([send(spans, config, deadline), sendBackground(config, deadline)]);
}

/**
 * `flush()` inside a request: what its export would take now, without waiting for spans still open (the root
 * is one); those go out with the request's own flush. A request not yet known to be exported keeps its spans for
 * that flush to decide (what decides only ever turns towards exporting).
 */
async function flushEndedSoFar(scope: RequestScope): Promise<void> {
  try {
    const own = whyLeftOut(scope) ? [] : scope.takeEnded();
    reportDroppedUnknown(scope.config);
    await sendWithRequest(
      [...own, ...takeDetached(scope.config)],
      scope.config,
      nowMs() + scope.config.exportTimeoutMs,
    );
  } catch (error) {
    debug(scope.config, "flush failed", error);
  }
}

/** Hands the scope's flush to the platform's `waitUntil`, or runs it unawaited when there is none. */
export function scheduleFlush(scope: RequestScope): void {
  const flushing = flushScope(scope);
  if (scope.waitUntil) {
    try {
      scope.waitUntil(flushing);
      return;
    } catch (error) {
      debug(scope.config, "waitUntil refused the flush; it runs unawaited", error);
      return;
    }
  }
  debug(scope.config, "no waitUntil for this invocation: the export runs unawaited and its delivery is not guaranteed");
}

function reportDroppedUnknown(config: ResolvedConfig): void {
  const dropped = takeDroppedUnknownCount();
  if (dropped > 0) debug(config, `${dropped} span(s) dropped since the last flush: their request could not be known`);
}

/**
 * The request `flush()` is called in, while it takes spans: the one its context names; where no AsyncLocalStorage
 * carries the context past an `await`, the one the lookup rule finds. A scope that is no request has no root.
 */
function requestInFlight(): RequestScope | undefined {
  const scope = hasAsyncContext() ? currentScope() : resolveScope();
  return scope?.root && scope.accepting ? scope : undefined;
}

/** Waits for a scope that is no request (capped), then exports its ended spans under its own config. */
async function flushDetached(scope: RequestScope): Promise<void> {
  const deadline = nowMs() + scope.config.exportTimeoutMs;
  await waitForSpans(scope);
  await send(scope.takeEnded(), scope.config, deadline);
}

/**
 * Exports the spans made outside any traced request (a Node script, a test), and those of requests already
 * exported, and resolves when done. Waits for spans still open (capped); any still open then go out with the
 * next flush. Inside a traced request (the one the lookup rule of core/scope-lookup.ts finds), it exports what
 * the request's own export would take now: every span of the request that has ended so far, the spans of its
 * export settings waiting to go out, the background's where they may go with it; the rest go out with the
 * request's own flush. Resolves once they are delivered. Never rejects.
 */
export async function flush(): Promise<void> {
  const request = safely("flush", requestInFlight, undefined);
  if (request) return flushEndedSoFar(request);
  try {
    const background = backgroundScope();
    const deadline = nowMs() + background.config.exportTimeoutMs;
    await waitForSpans(background);
    await Promise.all([sendBackground(undefined, deadline), ...Array.from(detachedScopes(), flushDetached)]);
  } catch {
    // exportSpans never throws; a bad configuration was already reported by init().
  }
}
