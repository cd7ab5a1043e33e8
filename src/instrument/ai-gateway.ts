/**
 * Cloudflare AI Gateway, whichever SDK goes through it: a client whose base URL is a gateway's
 * (`https://gateway.ai.cloudflare.com/v1/{account}/{gateway}/{provider}`, or the unified `…/compat` endpoint, whose
 * model is `provider/model`) is answered by the provider behind the gateway. Told by the path's shape, on the
 * gateway's own host and on any other (a self-hosted route or a test's mock serving the same paths), for the
 * providers AI Gateway names.
 */
import type { AiGatewayUse, LlmCall } from "../semconv/llm-call";
import { definedOnly } from "./parts";
import { parseUrl } from "./server-address";

/** AI Gateway's provider segment → `gen_ai.provider.name` (the conventions' value where one exists). */
const PROVIDERS: Readonly<Record<string, string>> = {
  openai: "openai",
  anthropic: "anthropic",
  "azure-openai": "azure.ai.openai",
  "aws-bedrock": "aws.bedrock",
  "google-ai-studio": "gcp.gemini",
  "google-vertex-ai": "gcp.vertex_ai",
  "workers-ai": "cloudflare.workers_ai",
  groq: "groq",
  mistral: "mistral_ai",
  cohere: "cohere",
  deepseek: "deepseek",
  "perplexity-ai": "perplexity",
  grok: "x_ai",
  openrouter: "openrouter",
  cerebras: "cerebras",
  huggingface: "huggingface",
  replicate: "replicate",
  cartesia: "cartesia",
  elevenlabs: "elevenlabs",
  "fal-ai": "fal_ai",
  ideogram: "ideogram",
  baseten: "baseten",
  parallel: "parallel",
};
/** The unified, OpenAI-compatible endpoint: the model names its provider (`anthropic/claude-…`). */
const UNIFIED = "compat";
const PATH = /^\/v1\/([^/]+)\/([^/]+)\/([^/]+)(?:\/|$)/;

export interface AiGatewayRoute {
  accountId: string;
  gatewayId: string;
  /** The provider segment of the path (`openai`, `google-ai-studio`, `compat`, …). */
  segment: string;
}

/** The gateway a base URL goes through; undefined when it is not an AI Gateway URL. */
export function aiGatewayRoute(baseUrl: unknown): AiGatewayRoute | undefined {
  const match = PATH.exec(parseUrl(baseUrl)?.pathname ?? "");
  if (!match) return undefined;
  const [, accountId = "", gatewayId = "", segment = ""] = match.map(decodeURIComponent);
  return segment === UNIFIED || segment in PROVIDERS ? { accountId, gatewayId, segment } : undefined;
}

/** `gen_ai.provider.name` of an AI Gateway provider segment (the segment itself when it has none). */
export function gatewayProviderName(segment: string): string {
  return PROVIDERS[segment] ?? segment;
}

/** The call as the provider behind the gateway answers it: its provider, its model (unified: `provider/model`). */
export function routeThroughGateway(call: LlmCall, route: AiGatewayRoute, answer: Partial<AiGatewayUse>): void {
  call.aiGateway = { ...answer, id: route.gatewayId };
  if (route.segment !== UNIFIED) {
    call.provider = gatewayProviderName(route.segment);
    return;
  }
  const model = call.request.model ?? "";
  const slash = model.indexOf("/");
  if (slash <= 0) return;
  call.provider = gatewayProviderName(model.slice(0, slash));
  call.request = { ...call.request, model: model.slice(slash + 1) };
}

/** What a gateway's answer says of the call, from its response headers. */
export function gatewayAnswer(headers: unknown): Partial<AiGatewayUse> {
  if (!isHeaders(headers)) return {};
  return definedOnly({
    cacheStatus: headers.get("cf-aig-cache-status") ?? undefined,
    logId: headers.get("cf-aig-log-id") ?? undefined,
  });
}

function isHeaders(value: unknown): value is Pick<Headers, "get"> {
  return typeof (value as { get?: unknown } | null)?.get === "function";
}
