/**
 * The provider SDKs that tests outside test/ (runtime-tests/node) construct themselves. test/package.json installs
 * them into test/node_modules, which only files under test/ resolve, so those tests import them from here.
 */
export {
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
export { Mistral } from "@mistralai/mistralai";
export { CohereClient, CohereClientV2 } from "cohere-ai";
export { Ollama } from "ollama/browser";
