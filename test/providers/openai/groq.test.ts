/** Issue 9: `groq-sdk`, an OpenAI-shaped SDK of its own, traced by the OpenAI normaliser as `groq`. */
import Groq from "groq-sdk";
import { inject } from "vitest";
import { describeOpenAIShapedSdk, type OpenAIShapedClient } from "../../support/openai-shaped";

describeOpenAIShapedSdk({
  name: "groq-sdk",
  provider: "groq",
  // Groq's client sends to `<baseURL>/openai/v1/…`; the mock answers by path suffix.
  client: () =>
    new Groq({ apiKey: "test-key", baseURL: inject("openaiUrl"), maxRetries: 0 }) as unknown as OpenAIShapedClient,
  APIError: Groq.APIError,
  mockUrl: () => inject("openaiUrl"),
});
