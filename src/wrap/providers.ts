/**
 * The providers `wrap()` recognises, tried in order. Adding a provider: its module file, one line here and its own
 * wrapper in wrappers.ts.
 */
import { anthropicProvider } from "./anthropic";
import { bedrockProvider } from "./bedrock";
import { cohereProvider } from "./cohere";
import { googleProvider } from "./google";
import { mistralProvider } from "./mistral";
import { ollamaProvider } from "./ollama";
import { openaiProvider } from "./openai";
import type { ProviderModule } from "./provider";

export const PROVIDERS: readonly ProviderModule[] = [
  openaiProvider,
  anthropicProvider,
  googleProvider,
  bedrockProvider,
  cohereProvider,
  mistralProvider,
  ollamaProvider,
];
