/**
 * Who answers an Anthropic-SDK client: `gen_ai.provider.name` (Claude on Amazon Bedrock and on Google Vertex AI
 * have their own), and the server address and port from the client's `baseURL`.
 */
import { providerByClass } from "../../instrument/client-class";
import { parseUrl, type Server, serverOfUrl } from "../../instrument/server-address";

export interface AnthropicEndpoint extends Server {
  provider: string;
}

/** Client class names (anywhere up the prototype chain) → provider. */
const CLIENT_CLASSES: readonly [className: string, provider: string][] = [
  ["AnthropicBedrock", "aws.bedrock"],
  ["AnthropicBedrockMantle", "aws.bedrock"],
  ["AnthropicVertex", "gcp.vertex_ai"],
];
/** Hosts → provider, for a client whose class says nothing (a bundler renamed it). */
const HOSTS: readonly [host: RegExp, provider: string][] = [
  [/(^|\.)bedrock[\w-]*\.[\w.-]+\.amazonaws\.com$/, "aws.bedrock"],
  [/(^|[.-])aiplatform\.googleapis\.com$/, "gcp.vertex_ai"],
];

export function describeAnthropicEndpoint(client: object): AnthropicEndpoint {
  const baseURL = (client as { baseURL?: unknown }).baseURL;
  return {
    provider: providerByClass(client, CLIENT_CLASSES) ?? providerByHost(parseUrl(baseURL)) ?? "anthropic",
    ...serverOfUrl(baseURL),
  };
}

function providerByHost(url: URL | undefined): string | undefined {
  const host = url?.hostname.toLowerCase();
  return host === undefined ? undefined : HOSTS.find(([pattern]) => pattern.test(host))?.[1];
}
