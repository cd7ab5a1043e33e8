import type { HandlerConfig } from "../../config/handler-config";
import type { ResolvedConfig } from "../../config/options";
import { SpanStatusCode } from "../../core/otel";
import { ATTR_FAAS_TRIGGER, ATTR_HTTP_RESPONSE_STATUS_CODE } from "../../semconv/core-attributes";
import { endInvocation, type Invocation, type Started, traceInvocation } from "../invocation";
import { describeLambdaEvent, type LambdaContextLike } from "./events";

/** Kept free of the invocation's remaining time: the runtime needs a moment to send the answer back. */
const RESPONSE_MARGIN_MS = 500;

function lambdaContextOf(args: readonly unknown[]): LambdaContextLike | undefined {
  // `(event, context)`, or `(event, responseStream, context)` under `awslambda.streamifyResponse`.
  const context = [args[1], args[2]].find(
    (arg) => typeof (arg as Partial<LambdaContextLike> | null)?.getRemainingTimeInMillis === "function",
  );
  return context as LambdaContextLike | undefined;
}

/** Whether a call is a Lambda invocation of an async (or streaming) handler; callback-style handlers are not. */
export function isLambdaCall(args: readonly unknown[]): boolean {
  return lambdaContextOf(args) !== undefined && typeof args[2] !== "function";
}

/** The HTTP status of an API Gateway or function URL answer; a 2.0 answer without one is 200. */
function recordAnswer(started: Started, answer: unknown): void {
  const statusCode = (answer as { statusCode?: unknown } | null | undefined)?.statusCode;
  const status = typeof statusCode === "number" ? statusCode : 200;
  started.root.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
  if (status >= 500) started.root.setStatus({ code: SpanStatusCode.ERROR });
}

/** Resolves when every flush has, or after `ms`, whichever is first; the timer goes with it. */
async function settleWithin(flushes: Promise<unknown>[], ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.all(flushes),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/**
 * The handler's config with the flush's own waits fitted to `budgetMs`, so that the flush ends on its own rather
 * than cut by the deadline. Only how long the export may take changes: its settings stay the handler's.
 */
function withinBudget(config: ResolvedConfig, budgetMs: number): ResolvedConfig {
  return { ...config, exportTimeoutMs: budgetMs, spanWaitMs: Math.min(config.spanWaitMs, budgetMs / 2) };
}

/**
 * A Lambda invocation: Lambda freezes the process once the handler's promise settles, so the export is
 * awaited before it does, within `exportTimeoutMs` and the invocation's remaining time (less a margin). The
 * handler's answer and errors reach the runtime unchanged.
 */
export async function traceLambdaCall<R>(
  args: readonly unknown[],
  config: HandlerConfig,
  run: () => R,
): Promise<Awaited<R>> {
  const context = lambdaContextOf(args) as LambdaContextLike;
  const resolved = config.forInvocation(undefined);
  if (!resolved) return await run();
  const budgetMs = Math.max(
    1,
    Math.min(resolved.exportTimeoutMs, Math.floor(context.getRemainingTimeInMillis()) - RESPONSE_MARGIN_MS),
  );
  const budgeted = withinBudget(resolved, budgetMs);
  const flushes: Promise<unknown>[] = [];
  const invocation: Invocation = {
    config: { forInvocation: () => budgeted },
    env: undefined,
    waitUntil: (promise) => flushes.push(promise),
    ...describeLambdaEvent(args[0], context),
  };
  const http = invocation.attributes[ATTR_FAAS_TRIGGER] === "http";
  try {
    return await traceInvocation(invocation, run, (started, answer) => {
      if (http) recordAnswer(started, answer);
      endInvocation(started);
      return answer;
    });
  } finally {
    await settleWithin(flushes, budgetMs);
  }
}
