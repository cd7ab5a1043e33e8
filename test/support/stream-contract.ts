/** What every wrapped provider stream records (Anthropic, Bedrock, Cohere, Google, Mistral, Ollama): an answer cut short, by the caller or the network. */
import { expect, it } from "vitest";
import { durationMs } from "./call-helpers";
import { jsonAttribute, tracedSession } from "./openai-harness";
import { assistantText, readAll } from "./provider-spans";
import type { DecodedSpan } from "./receiver-client";

/** The decoded `gen_ai.output.messages` of the span named `name`. */
export const outputMessagesOf = (spans: DecodedSpan[], name: string): unknown =>
  jsonAttribute(
    spans.find((span) => span.name === name),
    "gen_ai.output.messages",
  );

/**
 * `openStream("mock-slow")` streams "Partial answer " then "tick1 ", slowly; the caller stops reading after
 * `eventsThroughTick1` events.
 */
export function itEndsTheSpanWhenTheCallerStopsReading(
  openStream: (model: string) => Promise<AsyncIterable<unknown>>,
  eventsThroughTick1: number,
): void {
  it("ends the span when the caller stops reading, as cancelled with what arrived", async () => {
    const session = tracedSession();
    const stream = await openStream("mock-slow");
    let seen = 0;
    for await (const _event of stream) {
      seen += 1;
      if (seen === eventsThroughTick1) break;
    }
    const [span] = await session.spans(1);
    expect(span?.status.code).toBe("UNSET");
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual(assistantText("Partial answer tick1 ", "cancelled"));
  });
}

/**
 * `openStream("slow")` streams "Partial answer " then "tick1 " over seconds; the caller leaves after the third event
 * `counts`, and the span ends then, not when the mock is done.
 */
export function itEndsTheSpanAsSoonAsTheCallerAbandonsTheStream(
  openStream: () => Promise<AsyncIterable<unknown>>,
  counts: (event: unknown) => boolean = () => true,
): void {
  it("ends the span as soon as the caller abandons the stream", async () => {
    const session = tracedSession();
    const stream = await openStream();
    let counted = 0;
    for await (const event of stream) if (counts(event) && ++counted === 3) break;
    const [span] = await session.spans(1);
    expect(durationMs(span)).toBeLessThan(2_000);
    expect(span?.status.code).toBe("UNSET");
    expect(span?.attributes["moda.stream.cancelled"]).toBe(true);
    expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual(assistantText("Partial answer tick1 ", "cancelled"));
  });
}

/** Reads a stream the mock drops after "Partial answer ": the error reaches the caller, the span records both. */
export async function expectDroppedStreamRecorded(openStream: () => Promise<AsyncIterable<unknown>>): Promise<void> {
  const session = tracedSession();
  const { error } = await readAll(await openStream());
  expect(error).toBeInstanceOf(Error);
  const [span] = await session.spans(1);
  expect(span?.status.code).toBe("ERROR");
  expect(jsonAttribute(span, "gen_ai.output.messages")).toEqual(assistantText("Partial answer ", "error"));
}
