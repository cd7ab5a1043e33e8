/**
 * Property-based: generated hostile values (any UTF-16 text, lone surrogates, control characters, long strings,
 * JSON text, objects where strings belong, bigints, cycles, odd keys) thrown through wrapped clients, custom spans
 * (`modaTracer()`), `setAttributes`, entities and the incoming propagation headers. Whatever comes in: the caller
 * gets exactly what it would have got untraced, no tracer error reaches it (nor is reported as an internal error),
 * every export decodes at the receiver, and every size limit holds in what arrives.
 */
import fc from "fast-check";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, inject, it, vi } from "vitest";
import type { ModaLimits } from "../../src/config/options";
import { modaTracer, setAttributes, task, traceHeaders, wrap } from "../../src/index";
import { type FullKeyValue, spansOfExports, tracedExports } from "../support/full-exports";

const LIMITS: Required<Omit<ModaLimits, "maxLegacyMessages" | "maxSpansPerRequest">> = {
  maxAttributeLength: 300,
  maxArrayLength: 6,
  maxNameLength: 40,
  maxAttributesPerSpan: 24,
  maxEventsPerSpan: 4,
  maxAttributesPerEvent: 4,
  maxLinksPerSpan: 3,
  maxAttributesPerLink: 3,
  maxSpanBytes: 6000,
};
/** What protobuf adds around one span's own bytes: the resource, the scope, the request's framing. */
const ENVELOPE_BYTES = 400;
const RUNS = 25;

/** Any UTF-16 code unit: lone surrogates and control characters included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const hostileText = fc.oneof(
  fc.string(),
  fc.string({ unit: codeUnit, maxLength: 60 }),
  fc.integer({ min: 200, max: 3000 }).map((n) => "long text ".repeat(n / 10)),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.constantFrom("__proto__", "constructor", "toString", "", "sk-proj-abcdefghijklmnopqrstuvwx"),
);
const hostileKey = fc.oneof(hostileText, fc.integer().map(String));
/** What a caller might hand to an attribute: values, and things that are not values at all. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileText,
  fc.double(),
  fc.boolean(),
  fc.constantFrom(null, undefined, Number.NaN, -0),
  fc.array(fc.oneof(hostileText, fc.double(), fc.boolean(), fc.constant(null)), { maxLength: 12 }),
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, maxDepth: 3 }),
);
const hostileAttributes = fc.dictionary(hostileKey, hostileValue, { maxKeys: 40 });

let internalErrors: string[] = [];
beforeEach(() => {
  internalErrors = [];
  const warn = console.warn.bind(console);
  vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
    const line = args.map(String).join(" ");
    if (line.includes("internal error")) internalErrors.push(line);
    else if (!line.includes("[moda-edge]")) warn(...args);
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** One traced request whose handler runs `body`: its result, after checking what reached the receiver. */
async function tracedRun<T>(
  body: (request: Request) => Promise<T>,
  { headers = {}, traceContent = true }: { headers?: Record<string, string>; traceContent?: boolean } = {},
): Promise<{ result: T }> {
  const { result, thrown, exports } = await tracedExports(body, { options: { limits: LIMITS, traceContent }, headers });
  expect(thrown).toBeUndefined();
  expect(exports.length).toBeGreaterThan(0);
  expectWithinLimits(exports);
  expect(internalErrors).toEqual([]);
  return { result: result as T };
}

function expectAttributesWithin(attributes: FullKeyValue[] | undefined, maxCount: number): void {
  expect((attributes ?? []).length).toBeLessThanOrEqual(maxCount);
  for (const { key, value } of attributes ?? []) {
    expect(key.length).toBeLessThanOrEqual(LIMITS.maxNameLength);
    expect((value?.stringValue ?? "").length).toBeLessThanOrEqual(LIMITS.maxAttributeLength);
    const items = value?.arrayValue?.values ?? [];
    expect(items.length).toBeLessThanOrEqual(LIMITS.maxArrayLength);
    for (const item of items) expect((item.stringValue ?? "").length).toBeLessThanOrEqual(LIMITS.maxAttributeLength);
  }
}

function expectWithinLimits(exports: unknown[]): void {
  for (const span of spansOfExports(exports)) {
    expect((span.name ?? "").length).toBeLessThanOrEqual(LIMITS.maxNameLength);
    expect((span.status?.message ?? "").length).toBeLessThanOrEqual(LIMITS.maxAttributeLength);
    // The request span may carry the count of dropped spans besides its own.
    expectAttributesWithin(span.attributes, LIMITS.maxAttributesPerSpan + 1);
    expect((span.events ?? []).length).toBeLessThanOrEqual(LIMITS.maxEventsPerSpan);
    for (const event of span.events ?? []) expectAttributesWithin(event.attributes, LIMITS.maxAttributesPerEvent);
    expect((span.links ?? []).length).toBeLessThanOrEqual(LIMITS.maxLinksPerSpan);
    for (const link of span.links ?? []) expectAttributesWithin(link.attributes, LIMITS.maxAttributesPerLink);
    const bytes = new TextEncoder().encode(JSON.stringify(span)).length;
    // The decoded form spells out field names and hex ids: it is larger than the protobuf the cap measures.
    expect(bytes).toBeLessThanOrEqual(2 * LIMITS.maxSpanBytes + ENVELOPE_BYTES);
  }
}

const spanOperation = fc.oneof(
  fc.record({ op: fc.constant("setAttribute" as const), key: hostileKey, value: hostileValue }),
  fc.record({ op: fc.constant("setAttributes" as const), attributes: hostileAttributes }),
  fc.record({ op: fc.constant("addEvent" as const), name: hostileValue, attributes: fc.option(hostileAttributes) }),
  fc.record({ op: fc.constant("addLink" as const), attributes: fc.option(hostileAttributes) }),
  fc.record({ op: fc.constant("setStatus" as const), code: fc.constantFrom(0, 1, 2), message: hostileValue }),
  fc.record({ op: fc.constant("updateName" as const), name: hostileValue }),
  fc.record({ op: fc.constant("recordException" as const), exception: hostileValue }),
);
type SpanOperation = typeof spanOperation extends fc.Arbitrary<infer T> ? T : never;

/** Calls the Span API as OpenTelemetry-instrumented code would, with whatever it was given (types aside). */
function apply(span: ReturnType<ReturnType<typeof modaTracer>["startSpan"]>, operation: SpanOperation): void {
  const loose = span as unknown as Record<string, (...args: unknown[]) => unknown>;
  switch (operation.op) {
    case "setAttribute":
      return void loose.setAttribute?.(operation.key, operation.value);
    case "setAttributes":
      return void loose.setAttributes?.(operation.attributes);
    case "addEvent":
      return void loose.addEvent?.(operation.name, operation.attributes ?? undefined);
    case "addLink":
      return void loose.addLink?.({ context: span.spanContext(), attributes: operation.attributes ?? undefined });
    case "setStatus":
      return void loose.setStatus?.({ code: operation.code, message: operation.message });
    case "updateName":
      return void loose.updateName?.(operation.name);
    case "recordException":
      return void loose.recordException?.(operation.exception);
  }
}

describe("hostile values", () => {
  it("through custom spans (modaTracer()): no error reaches the caller, every export decodes within the limits", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(spanOperation, { maxLength: 40 }),
        hostileAttributes,
        fc.boolean(),
        async (operations, initial, traceContent) => {
          await tracedRun(
            async () => {
              const span = modaTracer().startSpan("custom", { attributes: initial as never });
              for (const operation of operations) apply(span, operation);
              span.end();
            },
            { traceContent },
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("through setAttributes and entities: results and thrown values reach the caller as they were", async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileAttributes,
        hostileValue,
        hostileValue,
        fc.boolean(),
        async (attributes, input, output, throws) => {
          const step = task("step", (_input: unknown) => {
            if (throws) throw output;
            return output;
          });
          const { result } = await tracedRun(async () => {
            setAttributes(attributes as never);
            try {
              return { returned: step(input) };
            } catch (thrown) {
              return { thrown };
            }
          });
          expect(result).toStrictEqual(throws ? { thrown: output } : { returned: output });
          if (throws) expect((result as { thrown: unknown }).thrown).toBe(output);
          else expect((result as { returned: unknown }).returned).toBe(output);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("through a wrapped client: the answer or the error is exactly the unwrapped client's", async () => {
    const baseURL = `${inject("openaiUrl")}/v1`;
    const plain = new OpenAI({ apiKey: "test-key", baseURL, maxRetries: 0 });
    const message = fc.record({ role: fc.constantFrom("user", "system", "assistant"), content: hostileText });
    await fc.assert(
      fc.asyncProperty(
        fc.array(message, { minLength: 1, maxLength: 6 }),
        fc.constantFrom("gpt-4o", "mock-tools", "mock-error-400", "mock-error-echo", "mock-error-429"),
        fc.dictionary(fc.string({ maxLength: 8 }), hostileText, { maxKeys: 3 }),
        async (messages, model, metadata) => {
          const params = { model, messages, metadata } as OpenAI.ChatCompletionCreateParamsNonStreaming;
          const untraced = await settle(plain.chat.completions.create(params));
          const { result: traced } = await tracedRun(async () => {
            const wrapped = wrap(new OpenAI({ apiKey: "test-key", baseURL, maxRetries: 0 }));
            return settle(wrapped.chat.completions.create(params));
          });
          expect(comparable(traced)).toStrictEqual(comparable(untraced));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("through the incoming traceparent and tracestate: the handler answers as it would untraced", async () => {
    const headerText = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 600,
    });
    const hex = (length: number) =>
      fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: length, maxLength: length });
    const traceparent = fc.oneof(
      headerText,
      fc.tuple(hex(2), hex(32), hex(16), hex(2)).map((parts) => parts.join("-")),
    );
    await fc.assert(
      fc.asyncProperty(traceparent, headerText, async (parent, state) => {
        const headers = { traceparent: parent, tracestate: state };
        const answer = (request: Request) =>
          `${request.headers.get("traceparent")}|${request.headers.get("tracestate")}`;
        const { result } = await tracedRun(
          async (request) => {
            const outgoing = traceHeaders();
            // What traceHeaders() gives must be sendable as it is.
            new Headers(outgoing);
            return answer(request);
          },
          { headers },
        );
        expect(result).toBe(answer(new Request("https://app.example/p", { headers })));
      }),
      { numRuns: RUNS },
    );
  });
});

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

/** What two calls to the mock must agree on: the answer without its per-call ids, or the error's kind and words. */
function comparable(settled: Settled<OpenAI.ChatCompletion>): unknown {
  if (!settled.ok) {
    const error = settled.error as { constructor: { name: string }; status?: number; message?: string };
    return {
      error: error.constructor.name,
      status: error.status,
      message: error.message?.replace(/req_mock_\d+/g, ""),
    };
  }
  const { id: _id, created: _created, ...answer } = settled.value;
  return answer;
}
