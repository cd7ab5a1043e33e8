import { describe, expect, it } from "vitest";
import { boundedJson, jsonLengthUpTo } from "../../src/policy/bounded-json";
import { truncateText } from "../../src/policy/truncate-text";

const conversation = [
  { role: "system", parts: [{ type: "text", content: 'You are terse. "Quoted" and \\ backslashed.\n'.repeat(20) }] },
  { role: "user", parts: [{ type: "text", content: "héllo wörld 😀 ".repeat(300) }] },
  {
    role: "assistant",
    parts: [{ type: "tool_call", id: "call_1", name: "search", arguments: { q: "x".repeat(4000) } }],
  },
  { role: "tool", parts: [{ type: "tool_call_response", id: "call_1", response: ["a", 1, true, null, 2.5] }] },
];

describe("boundedJson", () => {
  it("is JSON.stringify when the value fits", () => {
    const json = JSON.stringify(conversation);
    expect(boundedJson(conversation, json.length)).toStrictEqual({ json, cut: false });
    expect(boundedJson("a\u2028b", 100).json).toBe(JSON.stringify("a\u2028b"));
  });

  it("writes what JSON.stringify cannot: bigints as text, cycles marked", () => {
    const node: Record<string, unknown> = { id: 7n, at: new Date(0), skip: undefined, fn: () => 1 };
    node.self = node;
    expect(JSON.parse(boundedJson({ node, list: [undefined, Number.NaN] }, 1000).json)).toStrictEqual({
      node: { id: "7", at: "1970-01-01T00:00:00.000Z", self: "[Circular]" },
      list: [null, null],
    });
  });

  it("stays valid JSON within every limit, the mark included", () => {
    const full = JSON.stringify(conversation).length;
    for (let limit = 4; limit <= full + 10; limit += 7) {
      const { json, cut } = boundedJson(conversation, limit);
      expect(json.length, `limit ${limit}`).toBeLessThanOrEqual(limit);
      expect(() => JSON.parse(json), `limit ${limit}: ${json}`).not.toThrow();
      expect(cut).toBe(limit < full);
    }
  });

  it("cuts the longest strings first, each to an equal share, and keeps the short ones and the shape whole", () => {
    const value = { a: "a".repeat(5000), b: "b".repeat(3000), c: "c".repeat(300), n: 42, name: "keep" };
    const parsed = JSON.parse(boundedJson(value, 2000).json);
    expect(parsed.c).toBe(value.c);
    expect(parsed).toMatchObject({ n: 42, name: "keep" });
    expect(parsed.a).toMatch(/^a+…\[truncated \d+ chars\]$/);
    expect(parsed.b).toMatch(/^b+…\[truncated \d+ chars\]$/);
    expect(Math.abs(parsed.a.length - parsed.b.length)).toBeLessThanOrEqual(1);
    const kept = parsed.a.indexOf("…");
    expect(parsed.a).toContain(`[truncated ${5000 - kept} chars]`);
  });

  it("leaves out the items that do not fit, behind a mark that counts them", () => {
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const parsed = JSON.parse(boundedJson(items, 200).json) as unknown[];
    const mark = parsed.at(-1) as string;
    expect(parsed.slice(0, -1)).toStrictEqual(items.slice(0, parsed.length - 1));
    expect(mark).toBe(`…[${1000 - (parsed.length - 1)} more items]`);
    const record = Object.fromEntries(items.map((i) => [`key${i}`, i]));
    const object = JSON.parse(boundedJson(record, 200).json) as Record<string, unknown>;
    expect(object["…"]).toMatch(/^\[\d+ more keys\]$/);
  });

  it("reads no further into a value than it writes", () => {
    let reads = 0;
    const items = Array.from({ length: 10_000 }, (_, i) => ({
      get text() {
        reads++;
        return `document ${i}`;
      },
    }));
    boundedJson(items, 1000);
    // Each item read once to plan and once to write, and only as far as the room goes.
    expect(reads).toBeLessThan(2 * 100);
  });

  it("never splits an escape or a surrogate pair, and cuts escaped text within the limit", () => {
    for (const text of ['"\\'.repeat(500), "😀".repeat(500), "\n\u0001".repeat(500)]) {
      for (const limit of [30, 31, 32, 33, 100, 101]) {
        const { json } = boundedJson([text], limit);
        expect(json.length).toBeLessThanOrEqual(limit);
        const [cut] = JSON.parse(json) as string[];
        expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
      }
    }
  });

  it("marks a value nested deeper than it walks instead of overflowing the stack", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const { json } = boundedJson(deep, 100_000);
    expect(json).toContain("[depth limit]");
    expect(() => JSON.parse(json)).not.toThrow();
  });

  it("exports a value whose getter throws as a mark, and never throws", () => {
    const hostile = {
      get boom() {
        throw new Error("no");
      },
    };
    expect(boundedJson(hostile, 100)).toStrictEqual({ json: '"[unserializable value]"', cut: true });
  });
});

describe("jsonLengthUpTo", () => {
  it("is the JSON length (long strings' escapes aside), or Infinity past the limit", () => {
    const plain = { role: "user", parts: [{ type: "text", content: "plain words ".repeat(50) }], n: [1, 2.5, null] };
    expect(jsonLengthUpTo(plain, 10_000)).toBe(JSON.stringify(plain).length);
    const json = JSON.stringify(conversation);
    expect(jsonLengthUpTo(conversation, json.length + 100)).toBeLessThanOrEqual(json.length);
    expect(jsonLengthUpTo(conversation, 100)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("truncateText", () => {
  it("cuts to the limit, the mark included, and says how much went", () => {
    const cut = truncateText("x".repeat(1000), 100);
    expect(cut.length).toBeLessThanOrEqual(100);
    expect(cut).toBe(`${"x".repeat(100 - "…[truncated 1000 chars]".length)}…[truncated ${1000 - 77} chars]`);
  });

  it("never splits a surrogate pair", () => {
    const cut = truncateText("😀".repeat(100), 50);
    expect(cut.length).toBeLessThanOrEqual(50);
    expect(cut).toMatch(/^(😀)+…\[truncated \d+ chars\]$/u);
  });

  it("below the mark's length, keeps what fits and a bare …", () => {
    expect(truncateText("abcdefghijklmnopqrstuvwxyz".repeat(4), 5)).toBe("abcd…");
    expect(truncateText("abc", 0)).toBe("");
  });
});
