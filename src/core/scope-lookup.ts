import { currentContext } from "./context";
import { RequestScope } from "./request-scope";
import { backgroundScope, onlyRequestInFlight } from "./scopes-in-flight";
import type { SpanOwner } from "./span";

/** Which scope a new span goes to, in the order docs/architecture.md gives ("Finding a span's request"). */

/** The scope current right now (AsyncLocalStorage, or the synchronous part of a handler), while it takes spans. */
export function currentScope(): RequestScope | undefined {
  const owner = currentContext()?.span?.owner;
  return owner instanceof RequestScope && owner.accepting ? owner : undefined;
}

/** The scope for a new span whose parent belongs to `owner`: that request, while it takes spans. */
export function scopeOfKnownRequest(owner: SpanOwner): RequestScope | undefined {
  return owner instanceof RequestScope && owner.accepting ? owner : undefined;
}

/**
 * The scope a new span belongs to: the current scope; the scope that was current when the client was wrapped
 * (`hint`); the only scope in flight; the background scope.
 */
export function resolveScope(hint?: RequestScope): RequestScope {
  const current = currentScope();
  if (current) return current;
  if (hint?.accepting) return hint;
  return onlyRequestInFlight() ?? backgroundScope();
}
