/**
 * One wrapper per provider. `wrapOpenAI(client)` traces what `wrap(client)` traces, but references the OpenAI
 * module only, so a bundler leaves the other providers' code out (`wrap()` recognises every SDK, so it carries
 * them all).
 *
 * A wrapper handed anything but a client of its SDK throws a TypeError at once: passing it through untraced, as
 * `wrap()` does with an object it does not know, would hide a mix-up (an Anthropic client in `wrapOpenAI`) until
 * someone misses the spans.
 */
import { safely } from "../safe";
import { currentScope } from "../scope";
import { anthropicProvider } from "./anthropic";
import { bedrockProvider } from "./bedrock";
import { cohereProvider } from "./cohere";
import { googleProvider } from "./google";
import { mistralProvider } from "./mistral";
import { ollamaProvider } from "./ollama";
import { openaiProvider } from "./openai";
import type { ProviderModule } from "./provider";
import { isClientOf, wrapClient } from "./proxy";

function wrapAs<T>(provider: ProviderModule, wrapper: string, client: T): T {
  if (typeof client !== "object" || client === null || !isClientOf(provider, client)) {
    const given = safely("wrap: describe", () => describe(client), "something else");
    throw new TypeError(
      `moda-edge: ${wrapper}() expects a client of the ${provider.sdk} SDK, got ${given}; ` +
        "wrap() takes a client of any supported SDK",
    );
  }
  return safely("wrap", () => wrapClient(client, provider, currentScope()), client);
}

/** What a wrapper was handed, for its error: its class, or its type. */
function describe(value: unknown): string {
  if (typeof value !== "object" || value === null) return value === null ? "null" : typeof value;
  const className: unknown = Object.getPrototypeOf(value)?.constructor?.name;
  return typeof className === "string" && className !== "" && className !== "Object"
    ? `an instance of ${className}`
    : "a plain object";
}

/**
 * `wrap()` for clients of `openai` (`OpenAI`, `AzureOpenAI`, and OpenAI-compatible services reached through them)
 * and of the OpenAI-shaped SDKs `groq-sdk` and `together-ai`.
 */
export function wrapOpenAI<T>(client: T): T {
  return wrapAs(openaiProvider, "wrapOpenAI", client);
}

/** `wrap()` for clients of `@anthropic-ai/sdk`: `Anthropic`, `AnthropicBedrock`, `AnthropicVertex`. */
export function wrapAnthropic<T>(client: T): T {
  return wrapAs(anthropicProvider, "wrapAnthropic", client);
}

/** `wrap()` for clients of `@google/genai`: `GoogleGenAI`, Gemini API and Vertex AI mode. */
export function wrapGoogle<T>(client: T): T {
  return wrapAs(googleProvider, "wrapGoogle", client);
}

/** `wrap()` for clients of `@aws-sdk/client-bedrock-runtime`: `BedrockRuntimeClient`, `BedrockRuntime`. */
export function wrapBedrock<T>(client: T): T {
  return wrapAs(bedrockProvider, "wrapBedrock", client);
}

/** `wrap()` for clients of `cohere-ai`: `CohereClientV2`, `CohereClient`. */
export function wrapCohere<T>(client: T): T {
  return wrapAs(cohereProvider, "wrapCohere", client);
}

/** `wrap()` for clients of `@mistralai/mistralai`: `Mistral`. */
export function wrapMistral<T>(client: T): T {
  return wrapAs(mistralProvider, "wrapMistral", client);
}

/** `wrap()` for clients of `ollama` (its Node and browser entries): `Ollama` and the default instance. */
export function wrapOllama<T>(client: T): T {
  return wrapAs(ollamaProvider, "wrapOllama", client);
}
