import { type Attributes, SpanKind } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/options";
import { SpanStatusCode } from "../../src/core/otel";
import { RequestScope } from "../../src/core/request-scope";
import { ModaSpan } from "../../src/core/span";
import { exportedSpan } from "../../src/policy/exported-span";

/** A recorded span whose attributes are completed by the flush with `completed`, as an LLM span's are. */
async function completedSpan(
  completed: Attributes,
  limits: { maxAttributesPerSpan?: number; maxAttributeLength?: number } = {},
  initial?: Attributes,
): Promise<ModaSpan> {
  const config = resolveConfig({ apiKey: "test-key", limits });
  const span = new ModaSpan({
    name: "chat",
    kind: SpanKind.CLIENT,
    context: { traceId: "1".repeat(32), spanId: "2".repeat(16), traceFlags: 1 },
    recording: true,
    owner: new RequestScope(config, { recording: true }),
    attributes: initial,
  });
  span.completeLater({
    async describe(complete) {
      complete({
        name: "chat gpt-4o",
        attributes: completed,
        droppedAttributesCount: 0,
        status: { code: SpanStatusCode.UNSET },
      });
    },
  });
  await span.complete();
  return span;
}

describe("a span's deferred attributes", () => {
  it("are taken without a copy when the span has none and they all fit", async () => {
    const completed = {
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.usage.input_tokens": 12,
      "gen_ai.request.stream": false,
    };
    const span = await completedSpan(completed);
    expect(span.attributes).toBe(completed);
    expect(span.droppedAttributesCount).toBe(0);
  });

  it("are cut to the length limit at export, and counted", async () => {
    const span = exportedSpan(await completedSpan({ short: "ok", long: "x".repeat(50) }, { maxAttributeLength: 30 }));
    expect(span.attributes.short).toBe("ok");
    expect(span.attributes.long).toBe(`${"x".repeat(9)}…[truncated 41 chars]`);
    expect(span.droppedAttributesCount).toBe(1);
  });

  it("still stop at the attribute count limit", async () => {
    const span = await completedSpan({ a: 1, b: 2, c: 3 }, { maxAttributesPerSpan: 2 });
    expect(span.attributes).toEqual({ a: 1, b: 2 });
    expect(span.droppedAttributesCount).toBe(1);
  });

  it("join the attributes the span already has, which count toward the limit", async () => {
    const span = await completedSpan({ b: 2, c: 3 }, { maxAttributesPerSpan: 2 }, { a: 1 });
    expect(span.attributes).toEqual({ a: 1, b: 2 });
    expect(span.droppedAttributesCount).toBe(1);
  });

  it("leave out values that are undefined or null", async () => {
    const span = exportedSpan(await completedSpan({ a: 1, b: undefined, c: null as unknown as string }));
    expect(Object.keys(span.attributes)).toEqual(["a"]);
  });
});
