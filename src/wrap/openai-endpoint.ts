/**
 * Who answers an OpenAI-SDK client: the `gen_ai.provider.name` (OTel's well-known values where one exists),
 * and the server address and port, from the client's class and `baseURL`.
 */
import { isObject } from "./parts";

export interface Endpoint {
  provider: string;
  serverAddress?: string;
  serverPort?: number;
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
  const url = parseUrl((client as { baseURL?: unknown }).baseURL);
  const azure = isAzureClient(client);
  const provider = azure ? "azure.ai.openai" : (providerByClass(client) ?? providerOf(url));
  const port = url ? Number(url.port) || (url.protocol === "http:" ? 80 : 443) : undefined;
  return {
    provider,
    serverAddress: url?.hostname,
    serverPort: port,
    acceptsStreamOptions:
      provider === "azure.ai.openai" ? azureAcceptsStreamOptions(client) : !REJECTS_STREAM_OPTIONS.has(provider),
  };
}

function parseUrl(value: unknown): URL | undefined {
  if (typeof value !== "string") return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function isAzureClient(client: object): boolean {
  const fields = client as { constructor?: { name?: unknown }; apiVersion?: unknown; deploymentName?: unknown };
  return (
    fields.constructor?.name === "AzureOpenAI" || (typeof fields.apiVersion === "string" && "deploymentName" in client)
  );
}

function providerByClass(client: object): string | undefined {
  for (
    let proto = Object.getPrototypeOf(client);
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    const known = CLIENT_CLASSES.find(([className]) => className === name);
    if (known) return known[1];
  }
  return undefined;
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

/** The caller's params with `stream_options.include_usage` added, when the stream would otherwise carry no usage. */
export function withStreamUsage(
  params: Record<string, unknown>,
  endpoint: Endpoint,
  inject: boolean,
): { params: Record<string, unknown>; injected: boolean } {
  const options = params.stream_options;
  const askedAlready = isObject(options) && options.include_usage !== undefined;
  if (params.stream !== true || askedAlready || !inject || !endpoint.acceptsStreamOptions)
    return { params, injected: false };
  const streamOptions = { ...(isObject(options) ? options : {}), include_usage: true };
  return { params: { ...params, stream_options: streamOptions }, injected: true };
}
