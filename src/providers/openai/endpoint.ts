/**
 * Who answers an OpenAI-SDK client: the `gen_ai.provider.name` (OTel's well-known values where one exists),
 * and the server address and port, from the client's class and `baseURL`.
 */
import { providerByClass } from "../../instrument/client-class";
import { parseUrl, type Server, serverOfUrl } from "../../instrument/server-address";

export interface Endpoint extends Server {
  provider: string;
  /** Whether the service accepts `stream_options` (a strict API rejects unknown fields). */
  acceptsStreamOptions: boolean;
}

/** Host (or parent domain) → provider name. */
const HOSTS: readonly [host: string, provider: string][] = [
  ["api.openai.com", "openai"],
  ["openai.azure.com", "azure.ai.openai"],
  ["cognitiveservices.azure.com", "azure.ai.openai"],
  ["api.groq.com", "groq"],
  ["api.deepseek.com", "deepseek"],
  ["api.mistral.ai", "mistral_ai"],
  ["api.x.ai", "x_ai"],
  ["api.perplexity.ai", "perplexity"],
  ["api.together.xyz", "together_ai"],
  ["api.together.ai", "together_ai"],
  ["openrouter.ai", "openrouter"],
  ["api.fireworks.ai", "fireworks_ai"],
  ["generativelanguage.googleapis.com", "gcp.gemini"],
  ["aiplatform.googleapis.com", "gcp.vertex_ai"],
];
/** OpenAI-shaped SDKs of their own (`groq-sdk`, `together-ai`): their client class, whatever its base URL. */
const CLIENT_CLASSES: readonly [className: string, provider: string][] = [
  ["Groq", "groq"],
  ["Together", "together_ai"],
];
const OLLAMA_PORT = 11434;
/** Mistral's API validates request fields strictly. */
const REJECTS_STREAM_OPTIONS = new Set(["mistral_ai"]);
/** Azure OpenAI accepts `stream_options` from this API version on. */
const AZURE_STREAM_OPTIONS_SINCE = "2024-09-01";

export function describeEndpoint(client: object): Endpoint {
  const baseURL = (client as { baseURL?: unknown }).baseURL;
  const azure = isAzureClient(client);
  const provider = azure
    ? "azure.ai.openai"
    : (providerByClass(client, CLIENT_CLASSES) ?? providerOf(parseUrl(baseURL)));
  return {
    provider,
    ...serverOfUrl(baseURL),
    acceptsStreamOptions:
      provider === "azure.ai.openai" ? azureAcceptsStreamOptions(client) : !REJECTS_STREAM_OPTIONS.has(provider),
  };
}

/** What an LlmCall says of who answers it. */
export function whoAnswers({ provider, serverAddress, serverPort }: Endpoint): Server & { provider: string } {
  return { provider, serverAddress, serverPort };
}

function isAzureClient(client: object): boolean {
  const fields = client as { constructor?: { name?: unknown }; apiVersion?: unknown; deploymentName?: unknown };
  return (
    fields.constructor?.name === "AzureOpenAI" || (typeof fields.apiVersion === "string" && "deploymentName" in client)
  );
}

function providerOf(url: URL | undefined): string {
  if (!url) return "openai";
  if (Number(url.port) === OLLAMA_PORT) return "ollama";
  const host = url.hostname.toLowerCase();
  const known = HOSTS.find(([domain]) => host === domain || host.endsWith(`.${domain}`));
  return known ? known[1] : "openai";
}

function azureAcceptsStreamOptions(client: object): boolean {
  const version = (client as { apiVersion?: unknown }).apiVersion;
  if (typeof version !== "string" || !/^\d{4}-\d{2}-\d{2}/.test(version)) return true;
  return version >= AZURE_STREAM_OPTIONS_SINCE;
}
