/**
 * Sentry's OpenAI integration on Workers: `@sentry/cloudflare`'s `withSentry` handler (each round one request)
 * and `instrumentOpenAiClient` with inputs and outputs recorded; events go to a transport that counts and drops them.
 */
import * as Sentry from "@sentry/cloudflare";
import { countingTransport } from "../lib/sink.mjs";
import { roundThroughHandler } from "../lib/worker-round.mjs";

export const label = "Sentry OpenAI integration";

const options = () => ({
  dsn: "https://public@sentry.bench.invalid/1",
  tracesSampleRate: 1,
  sendDefaultPii: true,
  transport: countingTransport,
});

export async function setup() {
  return {
    wrap: (openai) => Sentry.instrumentOpenAiClient(openai, { recordInputs: true, recordOutputs: true }),
    round: roundThroughHandler((handler) => Sentry.withSentry(options, handler), {}),
  };
}
