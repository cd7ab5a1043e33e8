import type { HandlerConfig } from "../../config/handler-config";
import { SpanStatusCode } from "../../core/otel";
import { scheduleFlush } from "../../export/flush";
import { ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_MODA_RESPONSE_CANCELLED } from "../../semconv/core-attributes";
import { type Started, traceInvocation } from "../invocation";
import { platformWaitUntil } from "../platform-wait-until";
import { describeIncomingMessage, type IncomingMessageLike } from "./incoming-message";

/** The parts of Node's `ServerResponse` the tracer reads. */
interface ServerResponseLike {
  readonly statusCode?: number;
  readonly writableFinished?: boolean;
  once(event: "finish" | "close", listener: () => void): unknown;
  end(...args: never[]): unknown;
}

/** Whether a call's arguments are Node's `(req, res)`: Express, Next's Pages API routes, Vercel's Node signature. */
export function isNodeCall(args: readonly unknown[]): boolean {
  const [req, res] = args as [{ headers?: unknown; method?: unknown } | undefined, ServerResponseLike | undefined];
  return (
    typeof req?.headers === "object" &&
    req.headers !== null &&
    !(req.headers instanceof Headers) &&
    typeof res?.once === "function" &&
    typeof res.end === "function"
  );
}

/** Ends the root span with the response: sent, or cut off (the connection closed before it finished). */
function endRoot(started: Started, res: ServerResponseLike): void {
  if (started.root.ended) return;
  const status = res.statusCode ?? 200;
  started.root.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
  if (status >= 500) started.root.setStatus({ code: SpanStatusCode.ERROR });
  if (!res.writableFinished) started.root.setAttribute(ATTR_MODA_RESPONSE_CANCELLED, true);
  started.root.end();
}

/** The root span ends when the response has been sent, whenever that is; the flush waits for it. */
function endWithResponse(started: Started, res: ServerResponseLike): void {
  if (res.writableFinished) endRoot(started, res);
  else {
    res.once("finish", () => endRoot(started, res));
    res.once("close", () => endRoot(started, res));
  }
  scheduleFlush(started.scope);
}

/**
 * A Node `(req, res, …)` call: the root span ends when the response has been sent, whenever the handler
 * returns; its result and errors reach the caller unchanged.
 */
export function traceNodeCall<R>(args: readonly unknown[], config: HandlerConfig, run: () => R): R {
  const [req, res] = args as [IncomingMessageLike, ServerResponseLike];
  const invocation = { config, env: undefined, waitUntil: platformWaitUntil(), ...describeIncomingMessage(req) };
  return traceInvocation(invocation, run, (started, value) => {
    endWithResponse(started, res);
    return value;
  });
}
