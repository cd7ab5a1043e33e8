/**
 * The packages test/package.json installs that tests outside test/ (runtime-tests/, cli/test/) use: test/node_modules
 * is resolved only from files under test/, so those tests import them from here.
 */
export { createOpenAI } from "@ai-sdk/openai";
export {
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
export { Mistral } from "@mistralai/mistralai";
export { generateText, jsonSchema, stepCountIs, streamText, tool as aiTool } from "ai";
export { CohereClient, CohereClientV2 } from "cohere-ai";
export { Ollama } from "ollama/browser";
