import { defaultConfig } from "../config/defaults";
import { RequestScope } from "../core/request-scope";

/**
 * The scope of invocations that run untraced because their config is invalid (a bad value in the Worker `env`).
 * It records nothing and never retires: current for the whole invocation, it keeps the invocation's spans from
 * falling to `init()`'s background scope, whose settings (key, content policy) are not that `env`'s.
 */
let untraced: RequestScope | undefined;

export function untracedScope(): RequestScope {
  untraced ??= new RequestScope(
    { ...defaultConfig(), enabled: false, apiKey: undefined, traceContent: false },
    { recording: false },
  );
  return untraced;
}
