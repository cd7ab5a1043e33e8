import { defaultConfig, defaultsGeneration } from "../config/defaults";
import type { ResolvedConfig } from "../config/options";
import { describeAsyncContext } from "./context";
import { debugOnce } from "./debug";
import { RequestScope } from "./request-scope";

/** Every scope the isolate holds: the requests in flight, and the background scope of `init()`. */

const inFlight = new Set<RequestScope>();

export function beginRequestScope(config: ResolvedConfig, waitUntil: RequestScope["waitUntil"]): RequestScope {
  const sampled = config.sampleRate >= 1 || Math.random() < config.sampleRate;
  if (!config.enabled) {
    debugOnce(config, "no-key", "no API key (apiKey or MODA_API_KEY): tracing is a no-op and nothing is exported");
  }
  debugOnce(config, "async-context", describeAsyncContext());
  const scope = new RequestScope(config, { waitUntil, recording: config.enabled && sampled });
  inFlight.add(scope);
  return scope;
}

export function retireRequestScope(scope: RequestScope): void {
  scope.state = "done";
  inFlight.delete(scope);
}

/** The one request in flight, when there is exactly one. */
export function onlyRequestInFlight(): RequestScope | undefined {
  if (inFlight.size !== 1) return undefined;
  const [only] = inFlight;
  return only;
}

let background: RequestScope | undefined;
let backgroundGeneration = -1;

/**
 * The isolate's scope for spans made outside any request; made again (keeping its spans) after `init()`.
 * It records even without a key of its own: on Workers the key arrives with the first request's env, and
 * the next request's flush exports these spans with it. Its buffer is capped like a request's.
 */
export function backgroundScope(): RequestScope {
  if (!background || backgroundGeneration !== defaultsGeneration()) {
    const previous = background;
    background = new RequestScope(defaultConfig(), { recording: true });
    backgroundGeneration = defaultsGeneration();
    if (previous) background.adopt(previous.takeEnded());
  }
  return background;
}

export function peekBackgroundScope(): RequestScope | undefined {
  return background;
}
