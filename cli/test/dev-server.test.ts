/**
 * The dev tool's server, in this process: export requests the library really sends (protobuf and JSON, gzip or
 * not) read back by the independent decoder; what it refuses and why; forwarding, with a planted key that must
 * reach the receiver standing in for Moda and nothing the user sees.
 */
import { request as httpRequest } from "node:http";
import OpenAI from "openai";
import { afterEach, describe, expect, inject, it } from "vitest";
import { withModa, wrap } from "../../src/index";
import { type RecordingContext, recordingContext } from "../../test/support/execution-context";
import { newSink } from "../../test/support/receiver-client";
import type { ForwardOutcome } from "../dev/forward";
import type { ForwardTarget } from "../dev/options";
import { type DevServer, startDevServer } from "../dev/server";
import type { DecodedSpan } from "../otlp/decoded-span";

const openai = wrap(new OpenAI({ apiKey: "test-key", baseURL: `${inject("openaiUrl")}/v1`, maxRetries: 0 }));

interface Heard {
  received: { spans: DecodedSpan[]; contentType: string; contentEncoding: string }[];
  rejected: string[];
  forwarded: ForwardOutcome[];
}

let server: DevServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(forward?: ForwardTarget): Promise<{ server: DevServer; heard: Heard }> {
  const heard: Heard = { received: [], rejected: [], forwarded: [] };
  const forwarded: () => void = () => {};
  server = await startDevServer({
    host: "127.0.0.1",
    port: 0,
    forward,
    assets: { script: "/* page */", style: "/* style */" },
    events: {
      received: (spans, request) => heard.received.push({ spans, ...request }),
      rejected: (reason) => heard.rejected.push(reason),
      forwarded: (outcome) => {
        heard.forwarded.push(outcome);
        forwarded();
      },
    },
  });
  return { server, heard };
}

/** One traced request whose chat call carries `prompt`, sent by the library to `tracesUrl`. */
/** One request making `calls` calls, each sending `prompt` (one user message per string). */
async function sendTrace(
  tracesUrl: string,
  prompt: string | string[],
  env: Record<string, string> = {},
  calls = 1,
): Promise<void> {
  const messages = [prompt].flat().map((content) => ({ role: "user" as const, content }));
  const worker = withModa({
    async fetch(_request: Request, _env: Record<string, string>, _ctx: RecordingContext) {
      for (let i = 0; i < calls; i++) await openai.chat.completions.create({ model: "gpt-4o-mini", messages });
      return new Response("ok");
    },
  });
  const ctx = recordingContext();
  await (
    await worker.fetch(
      new Request("https://app.example/chat", { method: "POST" }),
      {
        MODA_API_KEY: "moda-dev-local",
        MODA_BASE_URL: tracesUrl,
        ...env,
      },
      ctx,
    )
  ).text();
  await ctx.settled();
}

async function spansAt(devServer: DevServer): Promise<DecodedSpan[]> {
  return (await (await fetch(new URL("/spans", devServer.url))).json()) as DecodedSpan[];
}

describe("the receiver", () => {
  it.each([
    ["http/protobuf", "application/x-protobuf"],
    ["http/json", "application/json"],
  ])("reads %s, gzipped and not, as the library sends it", async (protocol, contentType) => {
    const { server, heard } = await start();
    // Two calls of a dozen 100 KB messages: a body past GZIP_MIN_BYTES (1 MiB) even after each span's caps.
    const long = Array.from({ length: 12 }, () => `A long prompt ${"to make the body gzip ".repeat(5_000)}`);
    await sendTrace(server.tracesUrl, "Short prompt?", { MODA_PROTOCOL: protocol, MODA_COMPRESSION: "none" });
    await sendTrace(server.tracesUrl, long, { MODA_PROTOCOL: protocol }, 2);
    expect(heard.received.map((request) => [request.contentType, request.contentEncoding])).toEqual([
      [contentType, ""],
      [contentType, "gzip"],
    ]);
    const spans = await spansAt(server);
    expect(spans.map((span) => span.name).sort()).toEqual([
      "POST /chat",
      "POST /chat",
      "chat gpt-4o-mini",
      "chat gpt-4o-mini",
      "chat gpt-4o-mini",
    ]);
    expect(JSON.stringify(spans)).toContain("to make the body gzip");
    // Nanosecond timestamps keep every digit (a 64-bit integer read as a double would not).
    for (const span of spans)
      expect(BigInt(span.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(span.startTimeUnixNano));
    expect(spans.every((span) => /[1-9]\d{18}/.test(span.startTimeUnixNano))).toBe(true);
  });

  it("answers what is not an export request with 400 and the reason, and says so", async () => {
    const { server, heard } = await start();
    const response = await fetch(server.tracesUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{ not json",
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("cannot decode the export request");
    expect(heard.rejected).toHaveLength(1);
    expect(await spansAt(server)).toEqual([]);
  });

  it("refuses a request whose Host is not this machine (a rebinding page reading the prompts)", async () => {
    const { server } = await start();
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const url = new URL("/spans", server.url);
      httpRequest({ host: url.hostname, port: url.port, path: url.pathname, headers: { host: "evil.example:80" } })
        .on("response", (response) => {
          response.resume();
          resolve(response.statusCode);
        })
        .on("error", reject)
        .end();
    });
    expect(status).toBe(403);
  });

  it("serves the page with its config, and forgets every span on DELETE /spans", async () => {
    const { server } = await start();
    const page = await fetch(server.url);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(await page.text()).toContain(`MODA_BASE_URL=${server.tracesUrl}`);
    await sendTrace(server.tracesUrl, "Hello?");
    expect(await spansAt(server)).toHaveLength(2);
    expect((await fetch(new URL("/spans", server.url), { method: "DELETE" })).status).toBe(204);
    expect(await spansAt(server)).toEqual([]);
  });
});

describe("--forward", () => {
  const KEY = `moda-planted-${crypto.randomUUID()}`;

  it("sends each body on as it came, with the key, to the forward URL", async () => {
    const moda = newSink();
    const { server, heard } = await start({ url: moda.url, apiKey: KEY });
    await sendTrace(server.tracesUrl, "Forward me?");
    const requests = await moda.waitForRequests(1);
    expect(requests.map((request) => request.headers.authorization)).toEqual([`Bearer ${KEY}`]);
    expect((await moda.spans()).map((span) => span.name).sort()).toEqual(["POST /chat", "chat gpt-4o-mini"]);
    await expect.poll(() => heard.forwarded).toEqual([{ ok: true, summary: "200" }]);
  });

  it("says what Moda answered when it refuses, without the key even when the answer echoes it", async () => {
    const moda = newSink();
    await moda.script([{ status: 401, body: `invalid key ${KEY}` }]);
    const { server, heard } = await start({ url: moda.url, apiKey: KEY });
    await sendTrace(server.tracesUrl, "Forward me?");
    await expect.poll(() => heard.forwarded).toHaveLength(1);
    expect(heard.forwarded[0]).toEqual({ ok: false, summary: "401: invalid key <your key>" });
    // The app was answered 200 all the same: the page has its spans.
    expect(await spansAt(server)).toHaveLength(2);
  });

  it("says why nothing was sent when Moda cannot be reached", async () => {
    const closedUrl = ((await (await fetch(`${inject("receiverUrl")}/closed-url`)).json()) as { url: string }).url;
    const { server, heard } = await start({ url: closedUrl, apiKey: KEY });
    await sendTrace(server.tracesUrl, "Forward me?");
    await expect.poll(() => heard.forwarded).toHaveLength(1);
    expect(heard.forwarded[0]?.ok).toBe(false);
    expect(heard.forwarded[0]?.summary).toMatch(/^not sent: .*ECONNREFUSED/);
    expect(heard.forwarded[0]?.summary).not.toContain(KEY);
  });
});
