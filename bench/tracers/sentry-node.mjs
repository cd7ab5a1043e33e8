/**
 * Sentry's OpenAI integration in Node (`instrumentOpenAiClient`, inputs and outputs recorded) under a request
 * transaction, as its HTTP integration opens one; the transaction ends between rounds and goes to a transport
 * that counts and drops it.
 */
import * as Sentry from "@sentry/node";
import { countingTransport } from "../lib/sink.mjs";

export const label = "Sentry OpenAI integration";

export async function setup() {
  Sentry.init({
    dsn: "https://public@sentry.bench.invalid/1",
    tracesSampleRate: 1,
    sendDefaultPii: true,
    transport: countingTransport,
  });
  return {
    wrap: (openai) => Sentry.instrumentOpenAiClient(openai, { recordInputs: true, recordOutputs: true }),
    round: (run) =>
      Sentry.startSpanManual({ name: "POST /chat", op: "http.server" }, async (span) => {
        const elapsed = await run();
        span.end();
        await Sentry.flush();
        return elapsed;
      }),
  };
}
