/**
 * The OpenAI provider: clients of the `openai` SDK (v4 and later, `AzureOpenAI` included, and OpenAI-compatible
 * services reached through it), and the methods traced on them. The helpers (`parse`, `stream`, `runTools`)
 * are observed through the `create` calls they make: one span per model call.
 */

import { observeHelper, type ProviderModule } from "../../instrument/provider";
import { traceApiCall } from "../../instrument/traced-call";
import { wrapAs } from "../../instrument/wrap-as";
import { chatCompletionsTracer } from "./chat";
import { completionsTracer } from "./completions";
import { embeddingsTracer } from "./embeddings";
import { responsesTracer } from "./responses";

function isOpenAIClient(client: object): boolean {
  const candidate = client as { baseURL?: unknown; chat?: { completions?: { create?: unknown } } };
  return typeof candidate.baseURL === "string" && typeof candidate.chat?.completions?.create === "function";
}

export const openaiProvider: ProviderModule = {
  sdk: "openai",
  matches: isOpenAIClient,
  methods: {
    "chat.completions.create": traceApiCall(chatCompletionsTracer),
    "chat.completions.parse": observeHelper,
    "chat.completions.stream": observeHelper,
    "chat.completions.runTools": observeHelper,
    // openai v4 keeps the chat helpers under `beta`.
    "beta.chat.completions.parse": observeHelper,
    "beta.chat.completions.stream": observeHelper,
    "beta.chat.completions.runTools": observeHelper,
    "beta.chat.completions.runFunctions": observeHelper,
    "responses.create": traceApiCall(responsesTracer),
    "responses.parse": observeHelper,
    "responses.stream": observeHelper,
    "completions.create": traceApiCall(completionsTracer),
    "embeddings.create": traceApiCall(embeddingsTracer),
  },
};

/**
 * `wrap()` for clients of `openai` (`OpenAI`, `AzureOpenAI`, and OpenAI-compatible services reached through them)
 * and of the OpenAI-shaped SDKs `groq-sdk` and `together-ai`.
 */
export function wrapOpenAI<T>(client: T): T {
  return wrapAs(openaiProvider, "wrapOpenAI", client);
}
