/**
 * Entities given, returning or throwing values whose every inspection may throw: a strict Proxy (throws on any
 * property it does not have, `Symbol.toStringTag` and `then` included, as config and ORM proxies do), an object
 * whose `then` getter throws, a revoked Proxy. The caller gets exactly what the bare function gives (the same
 * object, the same thrown value), the span ends at once, and no tracer error is reported. `spanWaitMs` is set
 * far past the test's timeout: a span left open makes the request's export, and so the test, never finish.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { agent, modaTelemetry, task, tool, withConversation, withModa, withUser, workflow } from "../../src/index";
import { recordingContext, type TestWorker } from "../support/execution-context";
import { newSink } from "../support/receiver-client";
import { traceRequest } from "../support/trace-request";

const NEVER = { spanWaitMs: 600_000 };
/** For a request that holds nothing but its own span, which the default export policy leaves out. */
const EVERY_REQUEST = { ...NEVER, exportAllRequests: true };

function strict<T extends object>(target: T): T {
  return new Proxy(target, {
    get(object, key) {
      if (!(key in object)) throw new Error(`strict proxy: unknown property ${String(key)}`);
      return Reflect.get(object, key);
    },
  });
}

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

const HOSTILE: Record<string, () => object> = {
  "a strict Proxy": () => strict({ id: 1, name: "row" }),
  "an object whose then getter throws": () =>
    // biome-ignore lint/suspicious/noThenProperty: a then getter that throws is the case under test
    Object.defineProperty({ v: 1 }, "then", {
      get() {
        throw new Error("then getter");
      },
    }),
  "a revoked Proxy": revoked,
};

const WRAPPERS = { workflow, task, agent, tool };

let warnings: string[] = [];
beforeEach(() => {
  warnings = [];
  vi.spyOn(console, "debug").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
    warnings.push(args.map((arg) => (typeof arg === "string" ? arg : typeof arg)).join(" "));
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("entities and hostile values", () => {
  for (const [label, make] of Object.entries(HOSTILE)) {
    it(`returning ${label}: each wrapper returns that very object, and its span ends`, async () => {
      const { result, spans } = await traceRequest(
        5,
        () =>
          Object.entries(WRAPPERS).map(([kind, wrapper]) => {
            const value = make();
            return { kind, same: wrapper(`returns-${kind}`, () => value)() === value };
          }),
        { options: NEVER },
      );
      expect(result).toEqual(Object.keys(WRAPPERS).map((kind) => ({ kind, same: true })));
      const entities = spans.filter((span) => span.kind !== "SERVER");
      expect(entities.map((span) => span.status.code)).toEqual(["UNSET", "UNSET", "UNSET", "UNSET"]);
      expect(warnings).toEqual([]);
    });

    it(`given ${label} as arguments: the call runs with them, and its span ends`, async () => {
      const first = make();
      const second = make();
      const { result, spans } = await traceRequest(
        2,
        () => tool("given", (a: unknown, b: unknown) => a === first && b === second)(first, second),
        { options: NEVER },
      );
      expect(result).toBe(true);
      expect(spans.find((span) => span.kind !== "SERVER")?.status.code).toBe("UNSET");
      expect(warnings).toEqual([]);
    });

    it(`throwing ${label}: the caller catches that very value, and the span ends as an error`, async () => {
      const thrown = make();
      const { result, spans } = await traceRequest(
        2,
        () => {
          try {
            task("throws", () => {
              throw thrown;
            })();
            return false;
          } catch (caught) {
            return caught === thrown;
          }
        },
        { options: NEVER },
      );
      expect(result).toBe(true);
      expect(spans.find((span) => span.kind !== "SERVER")?.status.code).toBe("ERROR");
      expect(warnings).toEqual([]);
    });
  }

  it("a result whose inspection throws deep inside is recorded without that part", async () => {
    const row = { id: 7, secretless: "kept", nested: revoked() };
    const { result, named } = await traceRequest(2, () => task("row", () => row)() === row, { options: NEVER });
    expect(result).toBe(true);
    const output = JSON.parse(String(named("row.task").attributes["traceloop.entity.output"]));
    expect(output).toEqual({ id: 7, secretless: "kept", nested: "[unreadable]" });
  });

  it("withUser and withConversation given something that is not an id, not even text: the call runs without one", async () => {
    const { result } = await traceRequest(
      1,
      () =>
        [Object.create(null), revoked(), strict({})].map(
          (id) => withUser(id as string, () => "ran") + withConversation(id as string, () => "ran"),
        ),
      { options: { ...EVERY_REQUEST, debug: true } },
    );
    expect(result).toEqual(["ranran", "ranran", "ranran"]);
  });

  it("modaTelemetry given metadata whose reading throws: the settings carry that metadata as given", async () => {
    const metadata = Object.defineProperty({}, "team", {
      enumerable: true,
      get() {
        throw new Error("metadata getter");
      },
    }) as Record<string, string>;
    const { result } = await traceRequest(
      1,
      () => withUser("u1", () => modaTelemetry({ metadata }).metadata === metadata),
      { options: EVERY_REQUEST },
    );
    expect(result).toBe(true);
  });

  it("a handler throwing a revoked Proxy: the caller catches that very value, and the request span ends as an error", async () => {
    const sink = newSink();
    const thrown = revoked();
    const worker = withModa<TestWorker>(
      {
        fetch() {
          throw thrown;
        },
      },
      EVERY_REQUEST,
    );
    const ctx = recordingContext();
    let caught: unknown;
    try {
      await worker.fetch(new Request("https://app.example/"), { MODA_API_KEY: "k", MODA_BASE_URL: sink.url }, ctx);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(thrown);
    await ctx.settled();
    expect((await sink.spans()).map((span) => span.status.code)).toEqual(["ERROR"]);
  });
});
