/**
 * moda-edge's own OTLP encoders, read back field by field by the receiver's independent decoder (protobufjs
 * and the official .proto files; OTLP/JSON checked against the same protos): every field a span carries,
 * every attribute kind, unicode, timestamps past 2^53 ns, grouping by resource and scope.
 */
import { type Attributes, type HrTime, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import type { ExportableSpan } from "../../src/export/otlp/exportable-span";
import { encodeTraceRequestJson } from "../../src/export/otlp/trace-json";
import { encodeTraceRequestProtobuf } from "../../src/export/otlp/trace-protobuf";
import { decodePartialSuccess } from "../../src/export/otlp/trace-response-protobuf";
import { FixedTraceState, fixtureSpan, randomHexId } from "../support/otlp-span-fixture";
import { decodeAtReceiver } from "../support/receiver-client";

type Encode = (spans: readonly ExportableSpan[]) => Uint8Array<ArrayBuffer>;

const ENCODINGS: [string, string, Encode][] = [
  ["protobuf", "application/x-protobuf", encodeTraceRequestProtobuf],
  ["OTLP/JSON", "application/json", encodeTraceRequestJson],
];

const TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
const PARENT_ID = "b7ad6b7169203331";
const LINKED_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const LINKED_SPAN_ID = "00f067aa0ba902b7";
/** `Span.flags`: the W3C sampled bit, "is-remote is known", "is remote". */
const SAMPLED = 0x1;
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

interface DecodedAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number | string;
  arrayValue?: { values?: DecodedAnyValue[] };
}
type DecodedKeyValue = { key: string; value: DecodedAnyValue };
interface DecodedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name?: string;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: DecodedKeyValue[];
  events?: { timeUnixNano?: string; name?: string; attributes?: DecodedKeyValue[] }[];
  flags?: number;
}
interface DecodedRequest {
  resourceSpans: {
    resource: { attributes?: DecodedKeyValue[] };
    scopeSpans: { scope: { name?: string; version?: string }; spans: DecodedSpan[] }[];
  }[];
}

function span(overrides: Partial<ExportableSpan> = {}, init: Parameters<typeof fixtureSpan>[0] = {}): ExportableSpan {
  return { ...fixtureSpan(init), ...overrides };
}

function onlySpan(decoded: DecodedRequest): DecodedSpan {
  expect(decoded.resourceSpans).toHaveLength(1);
  expect(decoded.resourceSpans[0]?.scopeSpans).toHaveLength(1);
  expect(decoded.resourceSpans[0]?.scopeSpans[0]?.spans).toHaveLength(1);
  return decoded.resourceSpans[0]?.scopeSpans[0]?.spans[0] as DecodedSpan;
}

describe.each(ENCODINGS)("%s read back by an independent decoder", (_name, contentType, encode) => {
  const roundTrip = async (spans: readonly ExportableSpan[]) =>
    (await decodeAtReceiver(encode(spans), contentType)) as DecodedRequest;
  /** `value` may be of a kind the type does not allow (a mixed array): the encoder takes what a caller sends. */
  const attributeOf = async (value: unknown) =>
    onlySpan(await roundTrip([span({ attributes: { key: value } as Attributes })])).attributes;
  const timesOf = async (time: HrTime) => {
    const decoded = onlySpan(
      await roundTrip([span({ startTime: time, endTime: time, events: [{ name: "at", time }] })]),
    );
    return [decoded.startTimeUnixNano, decoded.endTimeUnixNano, decoded.events?.[0]?.timeUnixNano];
  };

  it("carries every field of a span: ids, tracestate, kind, times, attributes, events, links, status, counts", async () => {
    const child = span(
      {
        links: [
          {
            context: {
              traceId: LINKED_TRACE_ID,
              spanId: LINKED_SPAN_ID,
              traceFlags: 0,
              isRemote: true,
              traceState: new FixedTraceState("other=2"),
            },
            attributes: { "link.reason": "retry of" },
            droppedAttributesCount: 1,
          },
        ],
        droppedAttributesCount: 3,
        droppedEventsCount: 4,
        droppedLinksCount: 5,
      },
      {
        name: "chat gpt-4o",
        kind: SpanKind.CLIENT,
        traceId: TRACE_ID,
        parentSpanId: PARENT_ID,
        traceState: "moda=1,vendor=abc",
        startTime: [1_700_000_000, 500_000_001],
        endTime: [1_700_000_002, 7],
        attributes: { "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 1234 },
        status: { code: SpanStatusCode.ERROR, message: "rate limited" },
        events: [
          {
            name: "gen_ai.first_chunk",
            time: [1_700_000_001, 42],
            attributes: { index: 3 },
            droppedAttributesCount: 2,
          },
          { name: "bare", time: [1_700_000_001, 43] },
        ],
      },
    );
    expect(await roundTrip([child])).toEqual({
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "fixture-service" } }] },
          scopeSpans: [
            {
              scope: { name: "moda-edge", version: "0.0.0-test" },
              spans: [
                {
                  traceId: TRACE_ID,
                  spanId: child.spanContext().spanId,
                  traceState: "moda=1,vendor=abc",
                  parentSpanId: PARENT_ID,
                  name: "chat gpt-4o",
                  kind: 3,
                  startTimeUnixNano: "1700000000500000001",
                  endTimeUnixNano: "1700000002000000007",
                  attributes: [
                    { key: "gen_ai.request.model", value: { stringValue: "gpt-4o" } },
                    { key: "gen_ai.usage.input_tokens", value: { intValue: "1234" } },
                  ],
                  droppedAttributesCount: 3,
                  events: [
                    {
                      timeUnixNano: "1700000001000000042",
                      name: "gen_ai.first_chunk",
                      attributes: [{ key: "index", value: { intValue: "3" } }],
                      droppedAttributesCount: 2,
                    },
                    { timeUnixNano: "1700000001000000043", name: "bare" },
                  ],
                  droppedEventsCount: 4,
                  links: [
                    {
                      traceId: LINKED_TRACE_ID,
                      spanId: LINKED_SPAN_ID,
                      traceState: "other=2",
                      attributes: [{ key: "link.reason", value: { stringValue: "retry of" } }],
                      droppedAttributesCount: 1,
                      flags: HAS_IS_REMOTE | IS_REMOTE,
                    },
                  ],
                  droppedLinksCount: 5,
                  status: { code: 2, message: "rate limited" },
                  flags: SAMPLED | HAS_IS_REMOTE,
                },
              ],
            },
          ],
        },
      ],
    });
  });

  it.each([
    ["INTERNAL", SpanKind.INTERNAL, 1],
    ["SERVER", SpanKind.SERVER, 2],
    ["CLIENT", SpanKind.CLIENT, 3],
    ["PRODUCER", SpanKind.PRODUCER, 4],
    ["CONSUMER", SpanKind.CONSUMER, 5],
  ])("numbers span kind %s as OTLP does", async (_kind, kind, otlpKind) => {
    expect(onlySpan(await roundTrip([span({ kind })]))).toMatchObject({ kind: otlpKind });
  });

  it.each([
    ["UNSET", { code: SpanStatusCode.UNSET }, {}],
    ["OK", { code: SpanStatusCode.OK }, { code: 1 }],
    ["ERROR without a message", { code: SpanStatusCode.ERROR }, { code: 2 }],
    ["ERROR with a message", { code: SpanStatusCode.ERROR, message: "boom" }, { code: 2, message: "boom" }],
  ])("sends status %s", async (_status, status, expected) => {
    expect(onlySpan(await roundTrip([span({ status })]))).toMatchObject({ status: expected });
  });

  it.each<[string, unknown, DecodedAnyValue]>([
    ["a string", "gpt-4o", { stringValue: "gpt-4o" }],
    ["an empty string", "", { stringValue: "" }],
    ["true", true, { boolValue: true }],
    ["false", false, { boolValue: false }],
    ["zero", 0, { intValue: "0" }],
    ["minus zero", -0, { intValue: "0" }],
    ["a negative integer", -42, { intValue: "-42" }],
    ["the largest safe integer", Number.MAX_SAFE_INTEGER, { intValue: "9007199254740991" }],
    ["an integer past 2^53", 2 ** 60, { intValue: "1152921504606846976" }],
    ["the smallest int64", -(2 ** 63), { intValue: "-9223372036854775808" }],
    ["2^63, past int64 (a double)", 2 ** 63, { doubleValue: 2 ** 63 }],
    ["a double", 0.25, { doubleValue: 0.25 }],
    ["a negative double", -1234.5678, { doubleValue: -1234.5678 }],
    ["the smallest double", Number.MIN_VALUE, { doubleValue: Number.MIN_VALUE }],
    ["NaN", Number.NaN, { doubleValue: "NaN" }],
    ["Infinity", Number.POSITIVE_INFINITY, { doubleValue: "Infinity" }],
    ["-Infinity", Number.NEGATIVE_INFINITY, { doubleValue: "-Infinity" }],
    [
      "an array of strings",
      ["stop", "length"],
      { arrayValue: { values: [{ stringValue: "stop" }, { stringValue: "length" }] } },
    ],
    [
      "an array of integers",
      [1, -2, 0],
      { arrayValue: { values: [{ intValue: "1" }, { intValue: "-2" }, { intValue: "0" }] } },
    ],
    ["an array of doubles", [0.5, 1.5], { arrayValue: { values: [{ doubleValue: 0.5 }, { doubleValue: 1.5 }] } }],
    ["an array of booleans", [true, false], { arrayValue: { values: [{ boolValue: true }, { boolValue: false }] } }],
    [
      "a mixed array with a null (an empty AnyValue)",
      ["a", 1, 2.5, false, null],
      {
        arrayValue: {
          values: [{ stringValue: "a" }, { intValue: "1" }, { doubleValue: 2.5 }, { boolValue: false }, {}],
        },
      },
    ],
    ["an empty array", [], { arrayValue: {} }],
  ])("sends an attribute that is %s", async (_kind, value, expected) => {
    expect(await attributeOf(value)).toEqual([{ key: "key", value: expected }]);
  });

  it("leaves out attributes whose value is undefined or null", async () => {
    const attributes = { kept: 1, missing: undefined, nothing: null } as unknown as Attributes;
    const decoded = onlySpan(
      await roundTrip([span({ attributes, events: [{ name: "e", time: [1, 0], attributes }] })]),
    );
    expect(decoded.attributes).toEqual([{ key: "kept", value: { intValue: "1" } }]);
    expect(decoded.events?.[0]?.attributes).toEqual([{ key: "kept", value: { intValue: "1" } }]);
  });

  it.each([
    ["accented Latin", "héllo wörld"],
    ["CJK", "日本語のテキスト、中文文本"],
    ["emoji and ZWJ sequences", "😀👍🏽 👨‍👩‍👧 🏳️‍🌈"],
    ["right-to-left scripts", "עברית العربية"],
    ["a combining accent and a NUL", "e\u0301 nul:\u0000 end"],
    ["64 two-byte characters (128 bytes: a second length byte)", "é".repeat(64)],
    ["127 ASCII characters", "a".repeat(127)],
    ["128 ASCII characters", "a".repeat(128)],
    ["5,462 three-byte characters (16,386 bytes: a third length byte)", "€".repeat(5_462)],
    ["16,384 ASCII characters", "b".repeat(16_384)],
    ["one million characters", "long text ".repeat(100_000)],
  ])("sends %s intact in names, keys and values", async (_label, text) => {
    const decoded = onlySpan(
      await roundTrip([
        span({
          name: text,
          attributes: { [text]: text, after: "still here" },
          events: [{ name: text, time: [1, 0] }],
        }),
      ]),
    );
    expect(decoded.name).toBe(text);
    expect(decoded.attributes).toEqual([
      { key: text, value: { stringValue: text } },
      { key: "after", value: { stringValue: "still here" } },
    ]);
    expect(decoded.events?.[0]?.name).toBe(text);
  });

  it.each<[string, HrTime, string]>([
    [
      "one nanosecond past 2^53 ns (where seconds × 1e9 stops being exact)",
      [9_007_199, 254_740_993],
      "9007199254740993",
    ],
    ["a present-day time", [1_700_000_000, 123_456_789], "1700000000123456789"],
    ["a time past 2^63 ns (year 2262)", [9_300_000_000, 999_999_999], "9300000000999999999"],
    ["the largest fixed64", [18_446_744_073, 709_551_615], "18446744073709551615"],
    ["nanoseconds past a whole second", [1_700_000_000, 1_500_000_000], "1700000001500000000"],
    ["fractions of a nanosecond (dropped)", [1_700_000_000, 5.7], "1700000000000000005"],
    ["a time before 1970 (sent as 0)", [-5, 0], "0"],
  ])("sends %s exactly, in start, end and event times", async (_label, time, nanos) => {
    expect(await timesOf(time)).toEqual([nanos, nanos, nanos]);
  });

  it.each([
    ["a root span", undefined, SAMPLED, SAMPLED | HAS_IS_REMOTE],
    ["a child of a local span", { isRemote: false }, SAMPLED, SAMPLED | HAS_IS_REMOTE],
    ["a child of a remote span", { isRemote: true }, SAMPLED, SAMPLED | HAS_IS_REMOTE | IS_REMOTE],
    ["an unsampled root span", undefined, 0, HAS_IS_REMOTE],
  ])("sends the parent id and flags of %s", async (_label, parent, traceFlags, flags) => {
    const own = span();
    const context = { ...own.spanContext(), traceFlags };
    const parentSpanContext = parent
      ? { traceId: context.traceId, spanId: PARENT_ID, traceFlags, ...parent }
      : undefined;
    const decoded = onlySpan(await roundTrip([span({ spanContext: () => context, parentSpanContext })]));
    expect(decoded).toMatchObject({ traceId: context.traceId, spanId: context.spanId, flags });
    expect(decoded.parentSpanId).toBe(parent ? PARENT_ID : undefined);
  });

  it("groups many spans by resource object and by scope name and version, keeping their order", async () => {
    const resources = [{ attributes: { "service.name": "a" } }, { attributes: { "service.name": "b" } }];
    const scopes = [
      { name: "moda-edge", version: "1" },
      { name: "ai", version: "2" },
      { name: "moda-edge", version: "1" },
    ];
    const spans = Array.from({ length: 1_000 }, (_, i) =>
      span({
        name: `span ${i}`,
        resource: resources[i % 2],
        instrumentationScope: scopes[i % 3],
      } as Partial<ExportableSpan>),
    );
    const decoded = await roundTrip(spans);
    expect(decoded.resourceSpans.map((r) => r.resource.attributes?.[0]?.value.stringValue)).toEqual(["a", "b"]);
    resources.forEach((resource, r) => {
      const sent = spans.filter((s) => s.resource === resource);
      const sentScopes = [...new Set(sent.map((s) => s.instrumentationScope.name))];
      const groups = decoded.resourceSpans[r]?.scopeSpans ?? [];
      expect(groups.map((group) => group.scope.name)).toEqual(sentScopes);
      expect(sentScopes).toHaveLength(2);
      groups.forEach((group, g) => {
        const ids = sent
          .filter((s) => s.instrumentationScope.name === sentScopes[g])
          .map((s) => s.spanContext().spanId);
        expect(group.spans.map((s) => s.spanId)).toEqual(ids);
      });
    });
    const names = decoded.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((g) => g.spans.map((s) => s.name)));
    expect(new Set(names).size).toBe(1_000);
  });

  it("sends ids given in upper case as the same bytes", async () => {
    const traceId = randomHexId(16);
    const context = { traceId: traceId.toUpperCase(), spanId: PARENT_ID.toUpperCase(), traceFlags: 1 };
    const decoded = onlySpan(await roundTrip([span({ spanContext: () => context })]));
    expect([decoded.traceId.toLowerCase(), decoded.spanId.toLowerCase()]).toEqual([traceId, PARENT_ID]);
  });
});

describe("OTLP/JSON's own rules", () => {
  /** Every value under a key named like a 64-bit field, anywhere in the request. */
  function valuesOf(value: unknown, keys: ReadonlySet<string>, found: unknown[] = []): unknown[] {
    if (Array.isArray(value)) for (const item of value) valuesOf(item, keys, found);
    else if (value && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) {
        if (keys.has(key)) found.push(inner);
        valuesOf(inner, keys, found);
      }
    }
    return found;
  }

  it("writes 64-bit integers as decimal strings, enums as integers and ids as lower-case hex", async () => {
    const sent = span(
      { attributes: { big: 2 ** 60, small: 7, list: [1, 2] } },
      { parentSpanId: PARENT_ID, kind: SpanKind.SERVER, status: { code: SpanStatusCode.ERROR } },
    );
    const json: unknown = JSON.parse(new TextDecoder().decode(encodeTraceRequestJson([sent])));
    const int64s = valuesOf(json, new Set(["intValue", "startTimeUnixNano", "endTimeUnixNano", "timeUnixNano"]));
    expect(int64s.length).toBeGreaterThanOrEqual(6);
    for (const value of int64s) expect(value).toMatch(/^-?\d+$/);
    expect(valuesOf(json, new Set(["kind", "code"]))).toEqual([2, 2]);
    expect(valuesOf(json, new Set(["traceId", "spanId", "parentSpanId"]))).toEqual([
      sent.spanContext().traceId,
      sent.spanContext().spanId,
      PARENT_ID,
    ]);
  });
});

describe("decodePartialSuccess (ExportTraceServiceResponse in protobuf)", () => {
  // partial_success (field 1): rejected_spans (field 1) = 2, error_message (field 2) = "too big".
  const PARTIAL = [0x0a, 0x0b, 0x08, 0x02, 0x12, 0x07, ...new TextEncoder().encode("too big")];

  it("reads rejected_spans and error_message", () => {
    expect(decodePartialSuccess(new Uint8Array(PARTIAL))).toEqual({ rejectedSpans: 2, errorMessage: "too big" });
  });

  it("skips fields it does not know, of every wire type", () => {
    const unknown = [0x10, 0x96, 0x01, 0x19, 1, 2, 3, 4, 5, 6, 7, 8, 0x22, 0x01, 0xff, 0x2d, 1, 2, 3, 4];
    expect(decodePartialSuccess(new Uint8Array([...unknown, ...PARTIAL]))).toEqual({
      rejectedSpans: 2,
      errorMessage: "too big",
    });
  });

  it("finds no partial success in an empty response", () => {
    expect(decodePartialSuccess(new Uint8Array(0))).toBeUndefined();
  });

  it("throws on bytes that are not protobuf", () => {
    expect(() => decodePartialSuccess(new TextEncoder().encode("<html>"))).toThrow();
    expect(() => decodePartialSuccess(new Uint8Array(PARTIAL.slice(0, 6)))).toThrow();
  });
});
