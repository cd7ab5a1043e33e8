/** Cohere's `embed` (v1 and v2 alike): the request and the model's usage as an LlmCall (vectors are not recorded). */

import { tracedEmbeddings } from "../../instrument/embeddings-call";
import { describeSdkError } from "../../instrument/errors";
import {
  definedOnly,
  isObject,
  numberOrUndefined,
  stringOrUndefined,
  stringsOrUndefined,
} from "../../instrument/parts";
import type { ApiCallTracer } from "../../instrument/traced-call";
import { COHERE_PROVIDER, cohereServer, cohereUsage } from "./shared";

export const cohereEmbedTracer: ApiCallTracer = {
  begin(args, environment) {
    const params = args[0];
    if (!isObject(params)) return undefined;
    const described = {
      provider: COHERE_PROVIDER,
      ...cohereServer(environment.client),
      request: definedOnly({
        model: stringOrUndefined(params.model),
        dimensions: numberOrUndefined(params.outputDimension),
        encodingFormats: stringsOrUndefined(params.embeddingTypes),
      }),
    };
    return tracedEmbeddings(args, described, (body) => ({
      responseId: stringOrUndefined(body.id),
      usage: cohereUsage(body.meta),
    }));
  },
  describeError: describeSdkError,
};
