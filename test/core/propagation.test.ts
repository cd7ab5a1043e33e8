import { describe, expect, it } from "vitest";
import { parseTraceparent } from "../../src/core/propagation";
import { modaTracer, traceHeaders, withModa } from "../../src/index";
import { recordingContext, type TestWorker } from "../support/execution-context";
import { newSink } from "../support/receiver-client";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN = "00f067aa0ba902b7";
const VALID = `00-${TRACE}-${SPAN}-01`;

const stateOf = (tracestate: string) => parseTraceparent(VALID, tracestate)?.traceState?.serialize();

describe("traceparent, strictly by the W3C rules", () => {
  it.each([
    ["version 00", VALID, true],
    ["whitespace around it", ` \t${VALID} `, true],
    ["not sampled", `00-${TRACE}-${SPAN}-00`, true],
    ["a later version with more after a dash", `01-${TRACE}-${SPAN}-01-what-comes-next`, true],
    ["a later version of exactly 55 characters", `cc-${TRACE}-${SPAN}-01`, true],
    ["version ff", `ff-${TRACE}-${SPAN}-01`, false],
    ["version 00 with more after it", `${VALID}-extra`, false],
    ["a later version with more, not after a dash", `01-${TRACE}-${SPAN}-01x`, false],
    ["upper-case hex", `00-${TRACE.toUpperCase()}-${SPAN}-01`, false],
    ["an all-zero trace id", `00-${"0".repeat(32)}-${SPAN}-01`, false],
    ["an all-zero span id", `00-${TRACE}-${"0".repeat(16)}-01`, false],
    ["a short trace id", `00-${TRACE.slice(1)}-${SPAN}-01`, false],
    ["a non-hex flag", `00-${TRACE}-${SPAN}-0g`, false],
    ["another separator", `00_${TRACE}_${SPAN}_01`, false],
    ["a control character", `00-${TRACE}-${SPAN}-01\u0001`, false],
    ["nothing", "", false],
  ])("%s", (_, header, valid) => {
    const context = parseTraceparent(header, null);
    if (valid) expect(context).toMatchObject({ traceId: TRACE, spanId: SPAN, isRemote: true });
    else expect(context).toBeUndefined();
  });

  it("keeps only the sampled flag", () => {
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-ff`, null)?.traceFlags).toBe(1);
  });
});

describe("tracestate, member by member", () => {
  it("keeps valid members, with their order, around optional whitespace and empty members", () => {
    expect(stateOf(" a=1 ,\tb-c_d*/e=x y ,, tenant@sys=v, 9z@s=1")).toBe("a=1,b-c_d*/e=x y,tenant@sys=v,9z@s=1");
  });

  it.each([
    ["a control character in a value", "a=1,b=x\u0001y,c=3", "a=1,c=3"],
    ["a tab inside a value", "a=1,b=x\ty,c=3", "a=1,c=3"],
    ["a non-ASCII value", "a=1,b=café,c=3", "a=1,c=3"],
    ["an upper-case key", "a=1,Vendor=x,c=3", "a=1,c=3"],
    ["a key starting with a digit, not multi-tenant", "a=1,9z=x,c=3", "a=1,c=3"],
    ["a system id too long", `a=1,t@${"s".repeat(15)}=x,c=3`, "a=1,c=3"],
    ["no value", "a=1,b=,c=3", "a=1,c=3"],
    ["no key", "a=1,=x,c=3", "a=1,c=3"],
    ["no =", "a=1,b,c=3", "a=1,c=3"],
    ["an = in the value", "a=1,b=x=y,c=3", "a=1,c=3"],
    ["a value of 257 characters", `a=1,b=${"v".repeat(257)},c=3`, "a=1,c=3"],
    ["a second member of a key", "a=1,b=2,a=3", "a=1,b=2"],
  ])("drops %s", (_, header, kept) => {
    expect(stateOf(header)).toBe(kept);
  });

  it("keeps at most 32 members: those from the end go", () => {
    const members = Array.from({ length: 40 }, (_, i) => `k${i}=${i}`);
    expect(stateOf(members.join(","))).toBe(members.slice(0, 32).join(","));
  });

  it("reads only the first 32 list members: invalid ones count among them, empty ones do not", () => {
    const invalid = Array.from({ length: 10 }, (_, i) => `K${i}=${i}`);
    const valid = Array.from({ length: 40 }, (_, i) => `k${i}=${i}`);
    expect(stateOf([...invalid, "", " ", ...valid].join(","))).toBe(valid.slice(0, 22).join(","));
  });

  it("keeps at most 512 characters: members over 128 characters go first, then members from the end", () => {
    const long = (key: string) => `${key}=${"v".repeat(200)}`;
    const short = Array.from({ length: 20 }, (_, i) => `short${i}=${"s".repeat(20)}`);
    const header = [short[0], long("big1"), ...short.slice(1, 10), long("big2"), ...short.slice(10)].join(",");
    const kept = stateOf(header) ?? "";
    expect(kept.length).toBeLessThanOrEqual(512);
    expect(kept).not.toContain("big");
    expect(kept).toBe(short.slice(0, kept.split(",").length).join(","));
    expect(kept.split(",").length).toBeGreaterThanOrEqual(17);
  });

  it("reads a 128 KB header of tiny or huge members into a bounded state", () => {
    const tiny = Array.from({ length: 20_000 }, (_, i) => `k${i}=${i}`).join(",");
    expect(stateOf(`${tiny},`.slice(0, 128 * 1024))?.split(",")).toHaveLength(32);
    expect(stateOf(`huge=${"v".repeat(128 * 1024)},after=1`)).toBe("after=1");
    expect(stateOf(",".repeat(128 * 1024))).toBe("");
  });

  it("set() keeps to the same rules", () => {
    const state = parseTraceparent(VALID, "a=1")?.traceState;
    expect(state?.set("Bad", "x").serialize()).toBe("a=1");
    expect(state?.set("b", "x\ny").serialize()).toBe("a=1");
    expect(state?.set("b", "2").set("a", "3").serialize()).toBe("a=3,b=2");
  });
});

describe("traceHeaders() forwards what was read, never the invalid members", () => {
  it("from an incoming request with hostile members, to an outgoing fetch and the export", async () => {
    const sink = newSink();
    let forwarded: Record<string, string> = {};
    const worker = withModa<TestWorker>({
      fetch: () =>
        modaTracer().startActiveSpan("outgoing", (span) => {
          forwarded = traceHeaders();
          span.end();
          return new Response("ok");
        }),
    });
    const ctx = recordingContext();
    const tracestate = `vendor=abc,Evil=1,big=${"x".repeat(8 * 1024)},other=v w`;
    const request = new Request("https://app.example/", { headers: { traceparent: VALID, tracestate } });
    await (await worker.fetch(request, { MODA_API_KEY: "k", MODA_BASE_URL: sink.url }, ctx)).text();
    await ctx.settled();
    expect(forwarded.tracestate).toBe("vendor=abc,other=v w");
    expect(forwarded.traceparent).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
    const spans = await sink.waitForSpans(2);
    for (const span of spans) expect(span.traceState).toBe("vendor=abc,other=v w");
  });
});
