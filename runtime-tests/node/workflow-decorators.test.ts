import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, expect, it } from "vitest";
import { recordingContext } from "../../test/support/execution-context";
import { newSink } from "../../test/support/receiver-client";

const dir = await mkdtemp(join(tmpdir(), "moda-decorators-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The fixture compiled as wrangler compiles a Worker: esbuild, which lowers standard decorators. */
async function compiledWorker(): Promise<{ fetch(request: Request, env: unknown, ctx: unknown): Promise<Response> }> {
  const result = await build({
    entryPoints: [new URL("./fixtures/decorated-worker.ts", import.meta.url).pathname],
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    target: "es2022",
    write: false,
  });
  const file = join(dir, "worker.mjs");
  await writeFile(file, result.outputFiles[0]?.text ?? "");
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)).default;
}

it("traces class methods decorated with @workflow, @task, @agent and @tool, keeping `this`", async () => {
  const sink = newSink();
  const worker = await compiledWorker();
  const ctx = recordingContext();
  const request = new Request("https://app.example/?q=reset+password");
  const response = await worker.fetch(request, { MODA_API_KEY: "k", MODA_BASE_URL: sink.url }, ctx);
  expect(await response.text()).toBe("hello: reset+password (2 words)");
  await ctx.settled();
  const spans = await sink.waitForSpans(6);
  expect(spans).toHaveLength(6);
  const named = (name: string) => spans.find((s) => s.name === name);
  const root = named("GET /");
  const support = named("invoke_workflow support");
  expect(support?.parentSpanId).toBe(root?.spanId);
  expect(support?.attributes["traceloop.entity.version"]).toBe(3);
  expect(named("lookup.task")?.parentSpanId).toBe(support?.spanId);
  const replier = named("invoke_agent replier");
  expect(replier?.parentSpanId).toBe(support?.spanId);
  expect(replier?.attributes["traceloop.workflow.name"]).toBe("support");
  const format = named("execute_tool format");
  expect(format?.parentSpanId).toBe(replier?.spanId);
  expect(JSON.parse(String(format?.attributes["gen_ai.tool.call.arguments"]))).toEqual({
    facts: ["reset", "password"],
  });
  expect(format?.attributes["gen_ai.tool.call.result"]).toBeUndefined();
  const split = named("split.task");
  expect(split?.parentSpanId).toBe(replier?.spanId);
  expect(JSON.parse(String(split?.attributes["traceloop.entity.output"]))).toEqual(["a", "b"]);
});
