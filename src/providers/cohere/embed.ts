/** Cohere's `embed` (v1 and v2 alike): the request and the model's usage as an LlmCall (vectors are not recorded). */

import { tracedEmbeddings } from "../../instrument/embeddings-call";
import { describeSdkError } from "../../instrument/errors";
import {
  asArray,
  definedOnly,
  isObject,
  numberOrUndefined,
  partFromUrl,
  stringOrUndefined,
  stringsOrUndefined,
  userTextMessages,
} from "../../instrument/parts";
import type { ApiCallTracer } from "../../instrument/traced-call";
import type { InputMessage } from "../../semconv/llm-call";
import { COHERE_PROVIDER, cohereServer, cohereUsage } from "./shared";
import { contentParts } from "./v2";

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
    const { texts, images, inputs } = params;
    return tracedEmbeddings(
      args,
      described,
      (body) => ({ responseId: stringOrUndefined(body.id), usage: cohereUsage(body.meta) }),
      () => userTextMessages(texts) ?? imageMessages(images) ?? inputMessages(inputs),
    );
  },
  describeError: describeSdkError,
};

/** `images`: data URLs, each embedded alone. */
function imageMessages(images: unknown): InputMessage[] | undefined {
  const urls = asArray(images).filter((url) => typeof url === "string");
  return urls.length > 0 ? urls.map((url) => ({ role: "user", parts: [partFromUrl(url, "image")] })) : undefined;
}

/** v2's `inputs`: each a content of text and image blocks, embedded as one. */
function inputMessages(inputs: unknown): InputMessage[] | undefined {
  const messages = asArray(inputs)
    .filter(isObject)
    .map((input): InputMessage => ({ role: "user", parts: contentParts(input.content) }));
  return messages.length > 0 ? messages : undefined;
}
