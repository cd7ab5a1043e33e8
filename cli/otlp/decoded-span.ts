/** A span as the independent decoder reads it from an OTLP export request: both encodings land in this one shape. */

export type DecodedValue = string | number | boolean | DecodedValue[] | { [key: string]: DecodedValue } | null;
export type DecodedAttributes = Record<string, DecodedValue>;

export type DecodedKind = "UNSPECIFIED" | "INTERNAL" | "SERVER" | "CLIENT" | "PRODUCER" | "CONSUMER";
export type DecodedStatusCode = "UNSET" | "OK" | "ERROR";

export interface DecodedEvent {
  name: string;
  timeUnixNano: string;
  attributes: DecodedAttributes;
}

export interface DecodedSpan {
  traceId: string;
  spanId: string;
  /** "" for a root span. */
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: DecodedKind;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: DecodedAttributes;
  droppedAttributesCount: number;
  events: DecodedEvent[];
  status: { code: DecodedStatusCode; message: string };
  resource: DecodedAttributes;
  scope: { name: string; version: string };
}
