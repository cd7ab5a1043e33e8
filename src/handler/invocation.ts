import type { Attributes, SpanContext, SpanKind } from "@opentelemetry/api";
import type { HandlerConfig } from "../config/handler-config";
import { runInContext } from "../core/context";
import { SpanStatusCode } from "../core/otel";
import type { RequestScope } from "../core/request-scope";
import { safely } from "../core/safe";
import { beginRequestScope } from "../core/scopes-in-flight";
import type { ModaSpan } from "../core/span";
import { startSpan } from "../core/tracer";
import { scheduleFlush } from "../export/flush";
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_MODA_RESPONSE_CANCELLED,
} from "../semconv/core-attributes";
import { observeBody } from "./response";
import { untracedScope } from "./untraced-scope";

/** One call of a handler member (fetch, scheduled, queue, …) as the adapters describe it. */
export interface Invocation {
  /**
   * The handler's config, resolved by `withModa` (or `moda()`, `withModaAction()`); this invocation's comes from
   * it with `env`. Lambda's is the handler's with the export fitted to the invocation's remaining time.
   */
  readonly config: Pick<HandlerConfig, "forInvocation">;
  /** The Worker `env`, or `undefined` for fetch-style handlers. */
  readonly env: unknown;
  readonly waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  readonly name: string;
  readonly kind: SpanKind;
  readonly attributes: Attributes;
  readonly remoteParent?: SpanContext;
  /** The trace of a root that starts none of its own (a Workflow instance's). */
  readonly traceId?: string;
}

/** A traced invocation under way: its request scope and its root span. */
export interface Started {
  readonly scope: RequestScope;
  readonly root: ModaSpan;
}

/** The invocation's scope and root; an untraced one (invalid config) gets a root in the untraced scope only. */
function begin(invocation: Invocation): Started | Untraced {
  const config = invocation.config.forInvocation(invocation.env);
  if (!config) return { untraced: startRoot(invocation, untracedScope()) };
  const scope = beginRequestScope(config, invocation.waitUntil);
  const root = startRoot(invocation, scope);
  scope.root = root;
  return { scope, root };
}

/** An invocation that runs untraced; its root, which records nothing, is current so that nothing falls elsewhere. */
interface Untraced {
  readonly untraced: ModaSpan;
}

function startRoot(invocation: Invocation, scope: RequestScope): ModaSpan {
  return startSpan({
    name: invocation.name,
    kind: invocation.kind,
    attributes: invocation.attributes,
    parent: invocation.remoteParent ?? null,
    traceId: invocation.traceId,
    scope,
    adapterSpan: true,
  });
}

function failRoot(started: Started, error: unknown): void {
  const { root, scope } = started;
  root.setStatus({ code: SpanStatusCode.ERROR });
  try {
    root.recordException(error instanceof Error ? error : String(error));
    root.setAttribute(ATTR_ERROR_TYPE, error instanceof Error ? error.name : "Error");
    root.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  } catch {
    // Reading the application's error threw (a revoked Proxy, a getter): the root keeps what it had read.
  }
  root.end();
  scheduleFlush(scope);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

/**
 * Runs one handler call inside a new request scope and root span. `settle` ends the root when the result
 * is known (for fetch: when the response body is done). The handler's result and errors reach the caller
 * unchanged; the tracer's own failures never do.
 */
export function traceInvocation<R>(
  invocation: Invocation,
  run: (started?: Started) => R,
  settle: (started: Started, result: Awaited<R>) => Awaited<R>,
): R {
  const started = safely("withModa", () => begin(invocation), undefined);
  if (!started) return run();
  if ("untraced" in started) return runInContext({ span: started.untraced, values: {} }, () => run());
  let result: R;
  try {
    result = runInContext({ span: started.root, values: {} }, () => run(started));
  } catch (error) {
    return failed(started, error);
  }
  // Inline and anonymous: no named function per call (runtime-tests/node/keep-names.test.ts).
  if (isThenable(result)) {
    return Promise.resolve(result).then(
      (value) => settled(settle, started, value as Awaited<R>),
      (error: unknown) => failed(started, error),
    ) as R;
  }
  return settled(settle, started, result as Awaited<R>) as R;
}

/** The handler's result, once `settle` has ended the root with it; a tracer failure there is reported, not thrown. */
function settled<T>(settle: (started: Started, result: T) => T, started: Started, result: T): T {
  return safely("withModa", () => settle(started, result), result);
}

/** The handler threw or rejected: the root span records it, and the error goes on to the caller unchanged. */
function failed(started: Started, error: unknown): never {
  safely("withModa", () => failRoot(started, error), undefined);
  throw error;
}

/** Ends the root span when the response's body has been sent or cancelled; returns the response to send. */
export function endWithBody(started: Started, response: Response): Response {
  const { root, scope } = started;
  if (!(response instanceof Response)) {
    endInvocation(started);
    return response;
  }
  root.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.status);
  if (response.status >= 500) root.setStatus({ code: SpanStatusCode.ERROR });
  // The flush is handed to waitUntil now, while the request is live; it waits for the body to finish.
  const observed = observeBody(response, (outcome, error) => {
    if (outcome === "cancelled") root.setAttribute(ATTR_MODA_RESPONSE_CANCELLED, true);
    if (outcome === "error") {
      root.recordException(error instanceof Error ? error : String(error));
      root.setStatus({ code: SpanStatusCode.ERROR, message: "response body failed" });
    }
    root.end();
  });
  scheduleFlush(scope);
  return observed;
}

/** A fetch-style call: the root span ends when the response body has been sent or cancelled. */
export function traceFetch<R extends Response | Promise<Response>>(
  invocation: Invocation,
  run: (started?: Started) => R,
): R {
  return traceInvocation(
    invocation,
    run,
    (started, response) => endWithBody(started, response as Response) as Awaited<R>,
  );
}

/** Ends the root span and hands the scope's flush to the platform. */
export function endInvocation(started: Started): void {
  started.root.end();
  scheduleFlush(started.scope);
}

/** An event call (scheduled, queue, email): the root span ends when the handler settles. */
export function traceEvent<R>(invocation: Invocation, run: (started?: Started) => R): R {
  return traceInvocation(invocation, run, (started, value) => {
    endInvocation(started);
    return value;
  });
}
