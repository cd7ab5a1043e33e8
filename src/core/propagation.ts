import type { SpanContext, TraceState } from "@opentelemetry/api";
import { TraceFlags } from "./otel";

/** W3C Trace Context: reading an incoming `traceparent`/`tracestate`, writing an outgoing one. */

const TRACEPARENT = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})(-.*)?$/;
const MAX_TRACESTATE_MEMBERS = 32;

class W3CTraceState implements TraceState {
  constructor(private readonly members: ReadonlyArray<readonly [string, string]>) {}
  static parse(header: string): W3CTraceState {
    const members: [string, string][] = [];
    for (const item of header.split(",")) {
      const eq = item.indexOf("=");
      if (eq <= 0) continue;
      const key = item.slice(0, eq).trim();
      if (!members.some(([k]) => k === key)) members.push([key, item.slice(eq + 1).trim()]);
    }
    return new W3CTraceState(members.slice(0, MAX_TRACESTATE_MEMBERS));
  }
  set(key: string, value: string): TraceState {
    return new W3CTraceState([[key, value], ...this.members.filter(([k]) => k !== key)]);
  }
  unset(key: string): TraceState {
    return new W3CTraceState(this.members.filter(([k]) => k !== key));
  }
  get(key: string): string | undefined {
    return this.members.find(([k]) => k === key)?.[1];
  }
  serialize(): string {
    return this.members.map(([k, v]) => `${k}=${v}`).join(",");
  }
}

/** The remote parent described by `traceparent`/`tracestate`, or undefined when absent or invalid. */
export function parseTraceparent(traceparent: string | null, tracestate?: string | null): SpanContext | undefined {
  const match = traceparent ? TRACEPARENT.exec(traceparent.trim().toLowerCase()) : null;
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (version === "ff" || (version === "00" && rest)) return undefined;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return {
    traceId,
    spanId,
    traceFlags: Number.parseInt(flags, 16) & TraceFlags.SAMPLED,
    isRemote: true,
    traceState: tracestate ? W3CTraceState.parse(tracestate) : undefined,
  };
}

export function formatTraceparent(context: SpanContext): string {
  const flags = (context.traceFlags & 0xff).toString(16).padStart(2, "0");
  return `00-${context.traceId}-${context.spanId}-${flags}`;
}
