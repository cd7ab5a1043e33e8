/**
 * What config errors say, where a refused value is often a secret in the wrong place: the API key (or a header
 * value) pasted into another option. Planted in every option, in the Worker env and in code, it appears in no
 * console line and no ModaConfigError; a short typo is still quoted. Each distinct env problem is reported once.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ModaConfigError, type ModaOptions, resolveConfig } from "../../src/config/options";
import { withModa } from "../../src/index";
import { recordingContext, type TestWorker } from "../support/execution-context";

const KEY = "MODAKEYSECRET_abc123";
const HEADER_VALUE = "tenant-5f0e2a";
const OTHER_SECRET = "sk-proj-Zx81aa7Qm2P0vLr";
const BASE_ENV = { MODA_API_KEY: KEY, MODA_HEADERS: `x-tenant=${HEADER_VALUE}` };

/** The env options a value may be refused by (MODA_SERVICE_NAME takes any text). */
const ENV_OPTIONS = [
  "MODA_BASE_URL",
  "MODA_PROTOCOL",
  "MODA_COMPRESSION",
  "MODA_TRACE_CONTENT",
  "MODA_CAPTURE_BINARY",
  "MODA_DEBUG",
  "MODA_SAMPLE_RATE",
  "MODA_SEMCONV",
  "MODA_EXPORT_TIMEOUT_MS",
  "MODA_MAX_EXPORT_BYTES",
  "MODA_SPAN_WAIT_MS",
  "MODA_INJECT_STREAM_USAGE",
];

let lines: string[] = [];
beforeEach(() => {
  lines = [];
  for (const method of ["error", "warn", "log", "info", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Serves one request to a fresh handler with `env`; the handler answers whatever the tracer does. */
async function serve(worker: TestWorker, env: Record<string, string>): Promise<string> {
  const ctx = recordingContext();
  const response = await worker.fetch(new Request("https://app.example/"), env, ctx);
  const text = await response.text();
  await ctx.settled();
  return text;
}

function handler(): TestWorker {
  return withModa<TestWorker>({ fetch: () => new Response("ok") });
}

function configError(options: ModaOptions): ModaConfigError {
  try {
    resolveConfig(options);
  } catch (error) {
    expect(error).toBeInstanceOf(ModaConfigError);
    return error as ModaConfigError;
  }
  throw new Error("expected a ModaConfigError");
}

describe("config error lines never quote a secret", () => {
  for (const planted of [KEY, HEADER_VALUE, ` ${KEY}\n`, OTHER_SECRET]) {
    it(`${JSON.stringify(planted)} planted in each env option: reported, never quoted`, async () => {
      for (const option of ENV_OPTIONS) {
        expect(await serve(handler(), { ...BASE_ENV, [option]: planted })).toBe("ok");
      }
      const errors = lines.filter((line) => line.includes("invalid option"));
      expect(errors).toHaveLength(ENV_OPTIONS.length);
      for (const line of lines) {
        expect(line).not.toContain(planted.trim());
        expect(line).not.toContain(KEY);
        expect(line).not.toContain(HEADER_VALUE);
      }
    });
  }

  it("a header value or key pasted into MODA_HEADERS as a bare entry is not quoted", async () => {
    await serve(handler(), { MODA_API_KEY: KEY, MODA_HEADERS: `x-tenant=${HEADER_VALUE},${OTHER_SECRET}` });
    await serve(handler(), { MODA_API_KEY: KEY, MODA_HEADERS: `authorization: Bearer ${KEY}` });
    expect(lines.filter((line) => line.includes("MODA_HEADERS"))).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain(OTHER_SECRET);
      expect(line).not.toContain(KEY);
    }
  });

  it("the key given in code to any option is in no ModaConfigError", () => {
    const base = { apiKey: KEY, headers: { "x-tenant": HEADER_VALUE } };
    const wrong = [
      { baseUrl: KEY },
      { baseUrl: `https://${KEY}@ingest.example/v1/traces` },
      { protocol: KEY },
      { compression: HEADER_VALUE },
      { traceContent: KEY },
      { sampleRate: KEY },
      { semconv: [KEY] },
      { semconv: KEY },
      { limits: { maxArrayLength: KEY } },
      { headers: { "x-tenant": HEADER_VALUE, [`${KEY} x`]: "x" } },
      { headers: { "x-tenant": HEADER_VALUE, [KEY]: 1 } },
    ] as unknown as ModaOptions[];
    for (const options of wrong) {
      const { message } = configError({ ...base, ...options });
      expect(message).not.toContain(KEY);
      expect(message).not.toContain(HEADER_VALUE);
    }
  });

  it("a short typo is still quoted, so that it can be found", () => {
    expect(configError({ sampleRate: "10%" as unknown as number }).message).toContain('got "10%"');
    expect(configError({ traceContent: "disabled" as unknown as boolean }).message).toContain('got "disabled"');
    expect(configError({ sampleRate: 5 }).message).toContain("got 5");
  });
});

describe("env problems are reported each once", () => {
  it("three envs with three different problems: three lines; the same problems again: none", async () => {
    const worker = handler();
    const envs = [
      { ...BASE_ENV, MODA_TRACE_CONTENT: "disabled" },
      { ...BASE_ENV, MODA_SAMPLE_RATE: "10%" },
      { ...BASE_ENV, MODA_HEADERS: "x-team: abc" },
    ];
    for (const env of envs) await serve(worker, env);
    for (const env of envs) await serve(worker, { ...env });
    const errors = lines.filter((line) => line.includes("invalid option"));
    expect(errors).toHaveLength(3);
    expect(errors[0]).toContain("traceContent");
    expect(errors[1]).toContain("sampleRate");
    expect(errors[2]).toContain("headers");
  });
});
