/**
 * The cases every wrapped provider call keeps, whatever its SDK (Anthropic, Bedrock, Cohere, Google, Mistral,
 * Ollama): the span of a call nobody awaits still ends, an unhandled rejection stays one and a handled one adds
 * none, and a tracer failure never reaches the caller.
 */
import { expect, it } from "vitest";
import { tracedSession } from "./openai-harness";
import { canWatchRejections, unhandledRejectionsDuring } from "./unhandled-rejections";

/** A chat request of one user message, as the SDKs take it. */
export interface UserChat {
  model: string;
  readonly messages: { role: "user"; content: string }[];
}

export const userChat = (model: string): UserChat => ({ model, messages: [{ role: "user", content: "Hi" }] });

/** `call` answers from the mock with `outputTokens`; its span ends though nobody awaits it. */
export function itEndsTheSpanOfACallNobodyAwaits(call: () => Promise<unknown>, outputTokens: number): void {
  it("ends the span of a call nobody awaits", async () => {
    const session = tracedSession();
    void call();
    const [span] = await session.spans(1);
    expect(span?.attributes["gen_ai.usage.output_tokens"]).toBe(outputTokens);
  });
}

/** `fail` is a call the mock answers with an HTTP error; `expectSdkError` checks the reason is the SDK's own. */
export function itLeavesAnUnhandledRejectionUnhandled(
  fail: () => Promise<unknown>,
  expectSdkError: (reason: unknown) => void,
): void {
  it.skipIf(!canWatchRejections)("leaves an unhandled rejection unhandled: one, of the SDK's error", async () => {
    const session = tracedSession();
    let promise: Promise<unknown> | undefined;
    const reasons = await unhandledRejectionsDuring(async () => {
      promise = fail();
    });
    expect(reasons).toHaveLength(1);
    expectSdkError(reasons[0]);
    expect(await promise?.catch((error: unknown) => error)).toBe(reasons[0]);
    await session.spans(1);
  });
}

/** `fail` is a call the mock answers with an HTTP error, caught by its caller: no rejection is left unhandled. */
export function itAddsNoUnhandledRejectionWhenTheCallerHandlesTheError(
  fail: () => Promise<unknown>,
  expectSdkError: (reason: unknown) => void,
): void {
  it.skipIf(!canWatchRejections)("adds no unhandled rejection when the caller handles the error", async () => {
    const session = tracedSession();
    const caught: unknown[] = [];
    const reasons = await unhandledRejectionsDuring(async () => {
      fail().catch((error: unknown) => caught.push(error));
    });
    expect(reasons).toEqual([]);
    expectSdkError(caught[0]);
    await session.spans(1);
  });
}

interface TracerFailureCase<R> {
  chat(request: UserChat): Promise<R>;
  /** Checks the answer of the mock's "mock-text" model. */
  expectAnswered(response: R): void;
  /** A model whose call is traced after the untraced one, to show only it made a span. */
  tracedModel: string;
}

export function itKeepsATracerFailureAwayFromTheCaller<R>({
  chat,
  expectAnswered,
  tracedModel,
}: TracerFailureCase<R>): void {
  it("keeps a tracer failure away from the caller: the call goes out untraced", async () => {
    const session = tracedSession();
    let reads = 0;
    const request = {
      model: "mock-text",
      // Throws on the first read only: the tracer reads it first, the SDK after.
      get messages(): { role: "user"; content: string }[] {
        reads += 1;
        if (reads === 1) throw new Error("tracer-only failure");
        return [{ role: "user", content: "Hi" }];
      },
    };
    expectAnswered(await chat(request));
    await chat(userChat(tracedModel));
    expect((await session.spans(1)).map((span) => span.name)).toEqual([`chat ${tracedModel}`]);
  });
}
