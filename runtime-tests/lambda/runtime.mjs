/**
 * A Lambda-style runtime in a child process: it takes invocations over IPC, runs the named handler as the Lambda
 * Node runtime does (`(event, context)`, or `(event, responseStream, context)` for `awslambda.streamifyResponse`),
 * and answers with the result. The parent then freezes this process (SIGSTOP) until the next invocation, as Lambda
 * freezes the execution environment after each one: no timer fires, no socket is read.
 */
import { Writable } from "node:stream";

const STREAMING = Symbol.for("aws.lambda.runtime.handler.streaming");

/** The `awslambda` global of the Node runtime, as far as streaming handlers use it. */
globalThis.awslambda = {
  streamifyResponse(handler) {
    handler[STREAMING] = "response";
    return handler;
  },
  HttpResponseStream: {
    from(stream, metadata) {
      stream.metadata = metadata;
      return stream;
    },
  },
};

const handlers = await import(new URL("./handlers.mjs", import.meta.url).href);

function contextFor(invocation) {
  const deadline = Date.now() + invocation.timeoutMs;
  return {
    awsRequestId: invocation.requestId,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

function collectingStream() {
  const chunks = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, body: () => Buffer.concat(chunks).toString() };
}

async function invoke(invocation) {
  const handler = handlers[invocation.handler];
  const context = contextFor(invocation);
  if (handler[STREAMING] === "response") {
    const { stream, body } = collectingStream();
    await handler(invocation.event, stream, context);
    return { body: body(), metadata: stream.metadata };
  }
  return handler(invocation.event, context);
}

process.on("message", (invocation) => {
  invoke(invocation).then(
    (result) => process.send({ ok: true, result }),
    (error) => process.send({ ok: false, error: String(error) }),
  );
});
process.send({ ready: true });
