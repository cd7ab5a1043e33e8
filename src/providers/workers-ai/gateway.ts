/**
 * `env.AI.gateway(id)`: the binding's `AiGateway`, wrapped so that its `run` (a universal request: one provider
 * request, or a list of fallbacks) is traced, with the gateway's id, the provider and model that answered
 * (`cf-aig-step` names which), and the cache status and log id its response headers give. The response is the
 * caller's: its body is not read, so the span has no content, usage or output. Its other methods (`getUrl`,
 * `getLog`, `patchLog`) pass through.
 */

import { safely } from "../../core/safe";
import { gatewayAnswer, gatewayProviderName } from "../../instrument/ai-gateway";
import { describeSdkError } from "../../instrument/errors";
import { definedOnly, isObject, type JsonObject, stringOrUndefined } from "../../instrument/parts";
import type { MethodHandler, ProviderModule } from "../../instrument/provider";
import { isClientOf, wrapClient } from "../../instrument/proxy";
import type { TracedCall } from "../../instrument/traced-call";
import { tracePromiseCall } from "../../instrument/traced-promise-call";
import type { AiGatewayUse, LlmCall } from "../../semconv/llm-call";

/** Each wrapped gateway's id: the class keeps it private. */
const gatewayIds = /* @__PURE__ */ new WeakMap<object, string>();

/**
 * workerd's `AiGateway` class. By its name too: with the `experimental` flag (or `{ beta: true }`) the binding hands
 * back an RPC stub instead, every property of which reads as a function.
 */
function isAiGateway(client: object): boolean {
  const candidate = client as { run?: unknown; getUrl?: unknown; getLog?: unknown; constructor?: { name?: unknown } };
  return (
    candidate.constructor?.name === "AiGateway" &&
    typeof candidate.run === "function" &&
    typeof candidate.getUrl === "function" &&
    typeof candidate.getLog === "function"
  );
}

interface UniversalAnswer {
  gateway: Partial<AiGatewayUse>;
  /** Which of the requests answered (`cf-aig-step`). */
  step: number;
}

const universalRun = tracePromiseCall({
  begin(args, environment) {
    const requests = (Array.isArray(args[0]) ? args[0] : [args[0]]).filter(isObject);
    const id = gatewayIds.get(environment.client);
    if (requests.length === 0 || id === undefined) return undefined;
    const call: LlmCall = { ...answeredBy(requests, 0), operation: "chat", aiGateway: { id } };
    return universalCall(call, args, requests);
  },
  describeError: describeSdkError,
});

function universalCall(call: LlmCall, args: readonly unknown[], requests: JsonObject[]): TracedCall {
  return {
    call,
    args,
    streamed: false,
    keepBody(response): UniversalAnswer | undefined {
      if (!(response instanceof Response)) return undefined;
      const step = Number(response.headers.get("cf-aig-step") ?? 0);
      return { gateway: gatewayAnswer(response.headers), step: Number.isInteger(step) ? step : 0 };
    },
    readBody(kept) {
      if (!kept) return;
      const { gateway, step } = kept as UniversalAnswer;
      Object.assign(call, answeredBy(requests, step));
      if (call.aiGateway) call.aiGateway = { ...call.aiGateway, ...gateway };
    },
    readEvent: () => true,
    endStream() {},
  };
}

/** The provider and model of the request at `step`. */
function answeredBy(requests: JsonObject[], step: number): Pick<LlmCall, "provider" | "request"> {
  const request = requests[step] ?? requests[0] ?? {};
  const query = isObject(request.query) ? request.query : {};
  return {
    provider: gatewayProviderName(String(request.provider ?? "")),
    request: definedOnly({ model: stringOrUndefined(query.model) }),
  };
}

const aiGatewayProvider: ProviderModule = {
  sdk: "Workers AI binding's AiGateway",
  matches: isAiGateway,
  methods: { run: universalRun },
};

/** The handler of the binding's `gateway(id)`: the gateway it returns, wrapped. */
export const traceGateway: MethodHandler = (invocation) => {
  const gateway: unknown = Reflect.apply(invocation.original, invocation.target, invocation.args);
  const [id] = invocation.args;
  if (typeof id !== "string" || !isObject(gateway) || !isClientOf(aiGatewayProvider, gateway)) return gateway;
  return safely(
    "wrap AI Gateway",
    () => {
      gatewayIds.set(gateway, id);
      return wrapClient(gateway, aiGatewayProvider, invocation.scopeHint);
    },
    gateway,
  );
};
