/** `embeddings.create`: the request and the model's usage as an LlmCall (vectors are not recorded). */

import { tracedEmbeddings } from "./embeddings-call";
import { describeSdkError } from "./errors";
import { describeEndpoint, whoAnswers } from "./openai-endpoint";
import { chatUsage } from "./openai-shared";
import { definedOnly, isObject, numberOrUndefined, stringOrUndefined } from "./parts";
import type { ApiCallTracer } from "./traced-call";

export const embeddingsTracer: ApiCallTracer = {
  begin(args, environment) {
    const params = args[0];
    if (!isObject(params)) return undefined;
    const endpoint = describeEndpoint(environment.client);
    const format = stringOrUndefined(params.encoding_format);
    const described = {
      ...whoAnswers(endpoint),
      request: definedOnly({
        model: stringOrUndefined(params.model),
        dimensions: numberOrUndefined(params.dimensions),
        encodingFormats: format ? [format] : undefined,
      }),
    };
    return tracedEmbeddings(args, described, (body) => ({
      responseModel: stringOrUndefined(body.model),
      usage: chatUsage(body.usage),
    }));
  },
  describeError: describeSdkError,
};
