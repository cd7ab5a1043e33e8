/** `embeddings.create`: the request and the model's usage as an LlmCall (vectors are not recorded). */

import { tracedEmbeddings } from "../../instrument/embeddings-call";
import { describeSdkError } from "../../instrument/errors";
import { chatUsage } from "../../instrument/openai-compatible/chat-fields";
import { definedOnly, isObject, numberOrUndefined, stringOrUndefined, userTextMessages } from "../../instrument/parts";
import type { ApiCallTracer } from "../../instrument/traced-call";
import { describeEndpoint, whoAnswers } from "./endpoint";

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
    const input = params.input;
    return tracedEmbeddings(
      args,
      described,
      (body) => ({ responseModel: stringOrUndefined(body.model), usage: chatUsage(body.usage) }),
      () => userTextMessages(input),
    );
  },
  describeError: describeSdkError,
};
