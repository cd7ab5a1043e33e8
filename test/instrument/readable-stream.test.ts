/**
 * Issue 26: the observed ReadableStream the Workers AI binding's streams are handed back as (readable-stream.ts),
 * and the server-sent events read from its bytes at the flush (server-sent-events.ts), in every runtime.
 */
import { describe, expect, it } from "vitest";
import { observeReadableStream } from "../../src/instrument/readable-stream";
import { ServerSentEvents } from "../../src/instrument/server-sent-events";
import type { StreamObserver } from "../../src/instrument/stream";

/** An observer that writes down what it is told. */
function recorder(): StreamObserver & { told: string[]; chunks: unknown[] } {
  const told: string[] = [];
  const chunks: unknown[] = [];
  return {
    told,
    chunks,
    event(chunk) {
      chunks.push(chunk);
      return true;
    },
    ended: () => told.push("ended"),
    cancelled: () => told.push("cancelled"),
    failed: (error) => told.push(`failed: ${String(error)}`),
  };
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe("observeReadableStream", () => {
  it("delivers the same chunk objects, and tells the end once", async () => {
    const sent = [bytes("a"), bytes("b")];
    const source = new ReadableStream({
      start(controller) {
        for (const chunk of sent) controller.enqueue(chunk);
        controller.close();
      },
    });
    const observer = recorder();
    const reader = observeReadableStream(source, observer).getReader();
    const received: unknown[] = [];
    for (let step = await reader.read(); !step.done; step = await reader.read()) received.push(step.value);
    expect(received).toHaveLength(2);
    expect(received[0]).toBe(sent[0]);
    expect(received[1]).toBe(sent[1]);
    expect(observer.chunks).toEqual(received);
    expect(observer.told).toEqual(["ended"]);
  });

  it("passes the source's error to the caller as the same object", async () => {
    const boom = new Error("connection lost");
    const source = new ReadableStream({
      start(controller) {
        controller.enqueue(bytes("a"));
      },
      pull(controller) {
        controller.error(boom);
      },
    });
    const observer = recorder();
    const reader = observeReadableStream(source, observer).getReader();
    await reader.read();
    await expect(reader.read()).rejects.toBe(boom);
    expect(observer.told).toEqual(["failed: Error: connection lost"]);
  });

  it("pulls nothing ahead of the caller, and cancels the source with the caller's reason", async () => {
    let pulls = 0;
    let cancelledWith: unknown;
    const source = new ReadableStream({
      pull(controller) {
        pulls += 1;
        controller.enqueue(bytes(String(pulls)));
      },
      cancel(reason) {
        cancelledWith = reason;
      },
    });
    const observer = recorder();
    const stream = observeReadableStream(source, observer);
    const reader = stream.getReader();
    await reader.read();
    // Every pull a fill would make is a chain of microtasks: all done by the next macrotask.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const pulledAfterOneRead = pulls;
    await reader.cancel("enough");
    expect(cancelledWith).toBe("enough");
    expect(observer.told).toEqual(["cancelled"]);
    // The source's own queue (its default high-water mark of 1) fills one chunk ahead, and no more.
    expect(pulledAfterOneRead).toBeLessThanOrEqual(2);
  });
});

describe("ServerSentEvents", () => {
  it("reads JSON data events across chunk boundaries, split characters and CRLF, skipping [DONE]", () => {
    const events = new ServerSentEvents();
    const text = 'data: {"response":"h\u00e9"}\r\n\r\nevent: x\ndata: {"a":\ndata: 1}\n\ndata: [DONE]\n\n';
    const encoded = bytes(text);
    const split = encoded.indexOf(0xc3) + 1;
    events.add(encoded.subarray(0, split));
    events.add(encoded.subarray(split));
    expect(events.events()).toEqual([{ response: "h\u00e9" }, { a: 1 }]);
  });

  it("leaves out an event the stream cut short", () => {
    const events = new ServerSentEvents();
    events.add('data: {"response":"a"}\n\ndata: {"respo');
    expect(events.events()).toEqual([{ response: "a" }]);
  });
});
