/**
 * Who answers an Anthropic-SDK client: `gen_ai.provider.name` (Claude on Amazon Bedrock and on Google Vertex AI
 * have their own), and the server address and port from the client's `baseURL`.
 */

export interface AnthropicEndpoint {
  provider: string;
  serverAddress?: string;
  serverPort?: number;
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
  const url = parseUrl((client as { baseURL?: unknown }).baseURL);
  return {
    provider: providerByClass(client) ?? providerByHost(url) ?? "anthropic",
    serverAddress: url?.hostname.replace(/^\[(.*)\]$/, "$1"),
    serverPort: url ? Number(url.port) || (url.protocol === "http:" ? 80 : 443) : undefined,
  };
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

function providerByHost(url: URL | undefined): string | undefined {
  const host = url?.hostname.toLowerCase();
  return host === undefined ? undefined : HOSTS.find(([pattern]) => pattern.test(host))?.[1];
}

function parseUrl(value: unknown): URL | undefined {
  if (typeof value !== "string") return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
