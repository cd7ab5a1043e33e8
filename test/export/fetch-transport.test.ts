import { afterEach, describe, expect, it, vi } from "vitest";
import { resolveConfig } from "../../src/config/options";
import { exportSpans } from "../../src/export/exporter";
import { MAX_ANSWER_BYTES } from "../../src/export/fetch-transport";
import { fixtureSpan } from "../support/otlp-span-fixture";
import { newSink, type ReceivedRequest, type Sink } from "../support/receiver-client";

const HUGE_ANSWER = 200_000_000;

/** The receiver's record of the request once it stopped streaming its answer (the client closed, or all went). */
async function whenAnswerEnded(sink: Sink): Promise<ReceivedRequest | undefined> {
  for (;;) {
    const [request] = await sink.requests();
    if (request?.answerBytesSent !== undefined) return request;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the ingest's answer is read up to a bound", () => {
  it.each([200, 400])("a %i answer of 200 MB is not read whole", async (status) => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const sink = newSink();
    await sink.script([{ status, bodyBytes: HUGE_ANSWER }]);
    const config = resolveConfig({ apiKey: "k", baseUrl: sink.url });
    const outcome = await exportSpans([fixtureSpan()], config, Date.now() + 10_000);
    expect(outcome).toMatchObject({ ok: status === 200, attempts: 1, status });
    const request = await whenAnswerEnded(sink);
    // The client's read stops at MAX_ANSWER_BYTES; socket buffers hold a few MB more at most.
    expect(request?.answerBytesSent).toBeGreaterThanOrEqual(MAX_ANSWER_BYTES);
    expect(request?.answerBytesSent).toBeLessThan(HUGE_ANSWER / 8);
  });
});
