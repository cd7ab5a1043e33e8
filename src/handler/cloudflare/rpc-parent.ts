import type { SpanContext } from "@opentelemetry/api";
import { parseTraceparent } from "../../core/propagation";

const TRACE_KEYS = new Set(["traceparent", "tracestate"]);

/**
 * The caller's span when an RPC call's last argument is what `traceHeaders()` returns: RPC carries no headers,
 * so a caller that wants one trace passes them, and the method declares the parameter. Nothing else is read.
 */
export function rpcParent(args: readonly unknown[]): SpanContext | undefined {
  const last = args[args.length - 1];
  if (typeof last !== "object" || last === null || Object.getPrototypeOf(last) !== Object.prototype) return undefined;
  const keys = Object.keys(last);
  if (keys.length === 0 || !keys.every((key) => TRACE_KEYS.has(key))) return undefined;
  const { traceparent, tracestate } = last as { traceparent?: unknown; tracestate?: unknown };
  return typeof traceparent === "string"
    ? parseTraceparent(traceparent, typeof tracestate === "string" ? tracestate : undefined)
    : undefined;
}
