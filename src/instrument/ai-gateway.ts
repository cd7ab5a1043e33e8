/**
 * Cloudflare AI Gateway, whichever SDK goes through it: a client whose base URL is a gateway's
 * (`https://gateway.ai.cloudflare.com/v1/{account}/{gateway}/{provider}`, or the unified `…/compat` endpoint, whose
 * model is `provider/model`) is answered by the provider behind the gateway. Told by the path's shape, on the
 * gateway's own host and on any other (a self-hosted route or a test's mock serving the same paths), for the
 * providers AI Gateway names.
 */
import type { AiGatewayUse, LlmCall } from "../semconv/llm-call";
import { parseUrl } from "./server-address";

/** AI Gateway's provider segments whose `gen_ai.provider.name` (the conventions' value) is another word. */
const RENAMED: Readonly<Record<string, string>> = {
  "azure-openai": "azure.ai.openai",
  "aws-bedrock": "aws.bedrock",
  "google-ai-studio": "gcp.gemini",
  "google-vertex-ai": "gcp.vertex_ai",
  "workers-ai": "cloudflare.workers_ai",
  mistral: "mistral_ai",
  "perplexity-ai": "perplexity",
  grok: "x_ai",
};
/** The providers AI Gateway names in its paths, besides those above. */
const SEGMENTS = new Set(
  "openai anthropic groq cohere deepseek openrouter cerebras huggingface replicate cartesia elevenlabs fal-ai ideogram baseten parallel compat"
    .split(" ")
    .concat(Object.keys(RENAMED)),
);
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
  return SEGMENTS.has(segment) ? { accountId, gatewayId, segment } : undefined;
}

/** `gen_ai.provider.name` of an AI Gateway provider segment (the segment itself when it has none). */
export function gatewayProviderName(segment: string): string {
  return RENAMED[segment] ?? segment;
}

/**
 * A call of an SDK client whose `baseURL` (Stainless SDKs: OpenAI, Anthropic, Groq, Together) is an AI Gateway's,
 * as the provider behind the gateway answers it; `headers` are its answer's, if it came.
 */
export function recordAiGateway(call: LlmCall, client: object, headers: unknown): void {
  const route = aiGatewayRoute((client as { baseURL?: unknown }).baseURL);
  if (route) routeThroughGateway(call, route, gatewayAnswer(headers));
}

/** The call as the provider behind the gateway answers it: its provider, its model (unified: `provider/model`). */
function routeThroughGateway(call: LlmCall, route: AiGatewayRoute, answer: Partial<AiGatewayUse>): void {
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
  const answer: Partial<AiGatewayUse> = {};
  if (typeof (headers as { get?: unknown } | null)?.get !== "function") return answer;
  const cacheStatus = (headers as Headers).get("cf-aig-cache-status");
  const logId = (headers as Headers).get("cf-aig-log-id");
  if (cacheStatus !== null) answer.cacheStatus = cacheStatus;
  if (logId !== null) answer.logId = logId;
  return answer;
}
