import type { TestProject } from "vitest/node";
import { startMockAnthropic } from "./mock-anthropic";
import { startMockBedrock } from "./mock-bedrock";
import { startMockCohere } from "./mock-cohere";
import { startMockGoogle } from "./mock-google";
import { startMockMistral } from "./mock-mistral";
import { startMockOllama } from "./mock-ollama";
import { startMockOpenAI } from "./mock-openai";
import { startMockWorkersAi } from "./mock-workers-ai";
import { startOtlpReceiver } from "./otlp-receiver";

/** Starts the loopback servers every suite talks to, in Node, and hands their URLs to every runtime. */
export default async function setup(project: TestProject) {
  const servers = await Promise.all([startOtlpReceiver(), startMockOpenAI(), startMockAnthropic()]);
  const [receiver, openai, anthropic] = servers;
  project.provide("receiverUrl", receiver.url);
  project.provide("openaiUrl", openai.url);
  project.provide("anthropicUrl", anthropic.url);
  const google = await startMockGoogle();
  servers.push(google);
  project.provide("googleUrl", google.url);
  const bedrock = await startMockBedrock();
  servers.push(bedrock);
  project.provide("bedrockUrl", bedrock.url);
  const [cohere, mistral, ollama] = await Promise.all([startMockCohere(), startMockMistral(), startMockOllama()]);
  servers.push(cohere, mistral, ollama);
  project.provide("cohereUrl", cohere.url);
  project.provide("mistralUrl", mistral.url);
  project.provide("ollamaUrl", ollama.url);
  const workersAi = await startMockWorkersAi();
  servers.push(workersAi);
  project.provide("workersAiUrl", workersAi.url);
  return async () => {
    await Promise.all(servers.map((s) => s.close()));
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    receiverUrl: string;
    openaiUrl: string;
    anthropicUrl: string;
    googleUrl: string;
    bedrockUrl: string;
    cohereUrl: string;
    mistralUrl: string;
    ollamaUrl: string;
    /** The mock of the service behind the Workers AI binding (miniflare's AI binding points at it). */
    workersAiUrl: string;
    /** From vitest.config.ts: `v1beta` (@google/genai 2), `v1` in the projects that run @google/genai 3. */
    geminiApiVersion: string;
  }
}
