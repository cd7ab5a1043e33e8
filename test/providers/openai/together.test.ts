/** Issue 9: `together-ai`, an OpenAI-shaped SDK of its own, traced by the OpenAI normaliser as `together_ai`. */
import Together from "together-ai";
import { inject } from "vitest";
import { describeOpenAIShapedSdk, type OpenAIShapedClient } from "../../support/openai-shaped";

describeOpenAIShapedSdk({
  name: "together-ai",
  provider: "together_ai",
  client: () =>
    new Together({
      apiKey: "test-key",
      baseURL: `${inject("openaiUrl")}/v1`,
      maxRetries: 0,
    }) as unknown as OpenAIShapedClient,
  APIError: Together.APIError,
  mockUrl: () => inject("openaiUrl"),
});
