import type { SpanContext, TraceState } from "@opentelemetry/api";
import { TraceFlags } from "./otel";

/**
 * W3C Trace Context: reading an incoming `traceparent`/`tracestate`, writing an outgoing one. Both headers come from
 * whoever calls the handler, so they are read strictly and in time linear in their length: a `traceparent` that is
 * not exactly well-formed is ignored (the request starts a trace of its own), and of a `tracestate` only the first 32
 * list members are read, of which the valid ones are kept, 512 characters at most, as OpenTelemetry JS keeps them.
 */

/** Version 00 is exactly this; a later version starts with it and may go on after a "-". */
const TRACEPARENT = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})/;
const TRACEPARENT_00_LENGTH = 55;
const ZEROS = /^0+$/;
/** Optional whitespace around a header value (RFC 9110's OWS). */
const OWS = /^[ \t]+|[ \t]+$/g;

const MAX_MEMBERS = 32;
/** The W3C's guidance: propagate at least 512 characters; to cut, drop members over 128 first, then from the end. */
const MAX_TRACESTATE_LENGTH = 512;
const LONG_MEMBER = 128;
/** A key is at most 256 characters, a value at most 256: anything longer is invalid before a regex reads it. */
const MAX_MEMBER_LENGTH = 256 + 1 + 256;
const KEY = /^(?:[a-z][a-z\d_\-*/]{0,255}|[a-z\d][a-z\d_\-*/]{0,240}@[a-z][a-z\d_\-*/]{0,13})$/;
/** Printable ASCII but "," and "=", the last one not a space. */
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

type Member = readonly [key: string, value: string];

function isValidMember(key: string, value: string): boolean {
  return key.length + 1 + value.length <= MAX_MEMBER_LENGTH && KEY.test(key) && VALUE.test(value);
}

function lengthOf(members: readonly Member[]): number {
  let length = Math.max(0, members.length - 1);
  for (const [key, value] of members) length += key.length + 1 + value.length;
  return length;
}

/** At most 32 members and 512 characters: members over 128 characters go first, then members from the end. */
function bounded(members: Member[]): Member[] {
  const kept = members.slice(0, MAX_MEMBERS);
  let length = lengthOf(kept);
  for (let i = kept.length - 1; i >= 0 && length > MAX_TRACESTATE_LENGTH; i--) {
    const [key, value] = kept[i] as Member;
    if (key.length + 1 + value.length <= LONG_MEMBER) continue;
    kept.splice(i, 1);
    length = lengthOf(kept);
  }
  while (length > MAX_TRACESTATE_LENGTH) {
    kept.pop();
    length = lengthOf(kept);
  }
  return kept;
}

function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** The list member in `header[start, end)`: "empty" for whitespace alone, undefined when invalid. */
function memberOf(header: string, start: number, end: number): Member | "empty" | undefined {
  let from = start;
  let to = end;
  while (from < to && isOws(header.charCodeAt(from))) from++;
  while (to > from && isOws(header.charCodeAt(to - 1))) to--;
  if (from === to) return "empty";
  if (to - from > MAX_MEMBER_LENGTH) return undefined;
  const eq = header.indexOf("=", from);
  if (eq <= from || eq >= to) return undefined;
  const key = header.slice(from, eq);
  const value = header.slice(eq + 1, to);
  return isValidMember(key, value) ? [key, value] : undefined;
}

class W3CTraceState implements TraceState {
  private constructor(private readonly members: readonly Member[]) {}

  /**
   * The valid members of a `tracestate` header, the first of each key. A list holds at most 32 members, so only the
   * first 32 are read (and as many empty ones): the work is bounded whatever the header's length.
   */
  static parse(header: string): W3CTraceState {
    const members: Member[] = [];
    const keys = new Set<string>();
    let start = 0;
    for (let read = 0, pieces = 0; start <= header.length && read < MAX_MEMBERS && pieces < 2 * MAX_MEMBERS; pieces++) {
      const comma = header.indexOf(",", start);
      const end = comma === -1 ? header.length : comma;
      const member = memberOf(header, start, end);
      if (member !== "empty") read++;
      if (member !== "empty" && member !== undefined && !keys.has(member[0])) {
        keys.add(member[0]);
        members.push(member);
      }
      start = end + 1;
    }
    return new W3CTraceState(bounded(members));
  }

  /** An invalid key or value leaves the state as it is, as OpenTelemetry JS does. */
  set(key: string, value: string): TraceState {
    if (!isValidMember(key, value)) return this;
    return new W3CTraceState(bounded([[key, value], ...this.members.filter(([k]) => k !== key)]));
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
  const value = traceparent?.replace(OWS, "") ?? "";
  const match = TRACEPARENT.exec(value);
  if (!match) return undefined;
  const [, version, traceId, spanId, flags] = match as unknown as [string, string, string, string, string];
  if (version === "ff") return undefined;
  const exact = value.length === TRACEPARENT_00_LENGTH;
  if (version === "00" ? !exact : !exact && value[TRACEPARENT_00_LENGTH] !== "-") return undefined;
  if (ZEROS.test(traceId) || ZEROS.test(spanId)) return undefined;
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
