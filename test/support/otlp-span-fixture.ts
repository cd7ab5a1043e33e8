/** Finished spans in the shape the exporter takes, built by hand so exporter tests need no tracer. */
import {
  type Attributes,
  type HrTime,
  SpanKind,
  type SpanStatus,
  SpanStatusCode,
  type TraceState,
} from "@opentelemetry/api";
import type { ExportableEvent, ExportableSpan } from "../../src/export/otlp/exportable-span";

export interface FixtureSpanInit {
  name?: string;
  kind?: SpanKind;
  traceId?: string;
  parentSpanId?: string;
  traceState?: string;
  attributes?: Attributes;
  status?: SpanStatus;
  events?: ExportableEvent[];
  startTime?: HrTime;
  endTime?: HrTime;
  serviceName?: string;
}

/** A read-only W3C tracestate holding its serialized text. */
export class FixedTraceState implements TraceState {
  constructor(private readonly text: string) {}
  get(key: string): string | undefined {
    return new Map(this.text.split(",").map((entry) => entry.split("=") as [string, string])).get(key);
  }
  set(): TraceState {
    return this;
  }
  unset(): TraceState {
    return this;
  }
  serialize(): string {
    return this.text;
  }
}

export function randomHexId(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function hrTimeToNanoString([seconds, nanos]: HrTime): string {
  return (BigInt(seconds) * 1_000_000_000n + BigInt(nanos)).toString();
}

const SCOPE = { name: "moda-edge", version: "0.0.0-test" };

export function fixtureSpan(init: FixtureSpanInit = {}): ExportableSpan {
  const traceId = init.traceId ?? randomHexId(16);
  const spanId = randomHexId(8);
  const startTime = init.startTime ?? [1_700_000_000, 123_456_789];
  const endTime = init.endTime ?? [1_700_000_001, 987_654_321];
  const traceState = init.traceState === undefined ? undefined : new FixedTraceState(init.traceState);
  return {
    name: init.name ?? "fixture",
    kind: init.kind ?? SpanKind.INTERNAL,
    spanContext: () => ({
      traceId,
      spanId,
      traceFlags: 1,
      ...(traceState ? { traceState } : {}),
    }),
    parentSpanContext: init.parentSpanId ? { traceId, spanId: init.parentSpanId, traceFlags: 1 } : undefined,
    startTime,
    endTime,
    status: init.status ?? { code: SpanStatusCode.UNSET },
    attributes: init.attributes ?? {},
    links: [],
    events: init.events ?? [],
    resource: {
      attributes: { "service.name": init.serviceName ?? "fixture-service" },
    },
    instrumentationScope: SCOPE,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}
