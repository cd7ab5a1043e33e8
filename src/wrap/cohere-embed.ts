/** Cohere's `embed` (v1 and v2 alike): the request and the model's usage as an LlmCall (vectors are not recorded). */
import type { LlmCall } from "../llm-call";
import { COHERE_PROVIDER, cohereServer, cohereUsage } from "./cohere-shared";
import { describeSdkError } from "./errors";
import { asArray, definedOnly, isObject, numberOrUndefined, stringOrUndefined } from "./parts";
import type { ApiCallTracer } from "./traced-call";

export const cohereEmbedTracer: ApiCallTracer = {
  begin(args, environment) {
    const params = args[0];
    if (!isObject(params)) return undefined;
    const formats = asArray(params.embeddingTypes).filter((type): type is string => typeof type === "string");
    const call: LlmCall = definedOnly({
      provider: COHERE_PROVIDER,
      operation: "embeddings" as const,
      ...cohereServer(environment.client),
      request: definedOnly({
        model: stringOrUndefined(params.model),
        dimensions: numberOrUndefined(params.outputDimension),
        encodingFormats: formats.length > 0 ? formats : undefined,
      }),
    });
    return {
      call,
      args,
      streamed: false,
      readBody(body) {
        if (!isObject(body)) return;
        call.responseId = stringOrUndefined(body.id);
        call.usage = cohereUsage(body.meta);
      },
      readEvent: () => true,
      endStream: () => undefined,
    };
  },
  describeError: describeSdkError,
};
