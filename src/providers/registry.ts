/**
 * The providers `wrap()` recognises, tried in order. Adding a provider: its folder (an `index.ts` with its module
 * and its own wrapper) and one line here.
 */

import type { ProviderModule } from "../instrument/provider";
import { anthropicProvider } from "./anthropic";
import { bedrockProvider } from "./bedrock";
import { cohereProvider } from "./cohere";
import { googleProvider } from "./google";
import { mistralProvider } from "./mistral";
import { ollamaProvider } from "./ollama";
import { openaiProvider } from "./openai";
import { workersAiProvider } from "./workers-ai";

export const PROVIDERS: readonly ProviderModule[] = [
  openaiProvider,
  anthropicProvider,
  googleProvider,
  bedrockProvider,
  cohereProvider,
  mistralProvider,
  ollamaProvider,
  workersAiProvider,
];
