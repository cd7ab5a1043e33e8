import { currentContext } from "../core/context";
import { formatTraceparent } from "../core/propagation";

/**
 * W3C Trace Context headers for the current span, to continue this trace in an outgoing `fetch`:
 * `fetch(url, { headers: { ...traceHeaders(), ...yours } })`. Empty outside a traced request. The request is then
 * exported, so that the spans of the service called have their parent.
 */
export function traceHeaders(): Record<string, string> {
  const span = currentContext()?.span;
  if (!span) return {};
  if (span.isRecording()) span.owner.traceHandedOn();
  const context = span.spanContext();
  const headers: Record<string, string> = { traceparent: formatTraceparent(context) };
  const state = context.traceState?.serialize();
  if (state) headers.tracestate = state;
  return headers;
}
