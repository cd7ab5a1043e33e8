/** `embeddings.create`: the request and the model's usage as an LlmCall (vectors are not recorded). */
import type { LlmCall } from "../llm-call";
import { describeEndpoint } from "./openai-endpoint";
import { chatUsage, openAIError } from "./openai-shared";
import { definedOnly, isObject, numberOrUndefined, stringOrUndefined } from "./parts";
import type { ApiCallTracer } from "./traced-call";

export const embeddingsTracer: ApiCallTracer = {
  begin(args, environment) {
    const params = args[0];
    if (!isObject(params)) return undefined;
    const endpoint = describeEndpoint(environment.client);
    const format = stringOrUndefined(params.encoding_format);
    const call: LlmCall = definedOnly({
      provider: endpoint.provider,
      operation: "embeddings" as const,
      serverAddress: endpoint.serverAddress,
      serverPort: endpoint.serverPort,
      request: definedOnly({
        model: stringOrUndefined(params.model),
        dimensions: numberOrUndefined(params.dimensions),
        encodingFormats: format ? [format] : undefined,
      }),
    });
    return {
      call,
      args,
      streamed: false,
      readBody(body) {
        if (!isObject(body)) return;
        call.responseModel = stringOrUndefined(body.model);
        call.usage = chatUsage(body.usage);
      },
      readEvent: () => true,
      endStream: () => undefined,
    };
  },
  describeError: openAIError,
};
