/**
 * The Ollama provider: clients of `ollama` (the `Ollama` class of its Node entry and of `ollama/browser`, the one
 * for the edge, and the default instance each exports), and the methods traced on them: `chat`, `generate`,
 * `embed` and `embeddings`. Model management (`pull`, `create`, `list`, …) passes through untraced.
 *
 * Its methods are `async`: each returns a plain Promise (observed by plain-promise.ts) of the answer, or of the
 * SDK's AbortableAsyncIterator of NDJSON chunks (observed by async-iterable.ts).
 */

import type { ProviderModule } from "../../instrument/provider";
import { tracePromiseCall } from "../../instrument/traced-promise-call";
import { wrapAs } from "../../instrument/wrap-as";
import { ollamaChatTracer, ollamaEmbedTracer, ollamaGenerateTracer } from "./calls";

function isOllamaClient(client: object): boolean {
  const candidate = client as { config?: { host?: unknown }; chat?: unknown; generate?: unknown; pull?: unknown };
  return (
    typeof candidate.config?.host === "string" &&
    typeof candidate.chat === "function" &&
    typeof candidate.generate === "function" &&
    typeof candidate.pull === "function"
  );
}

const embed = tracePromiseCall(ollamaEmbedTracer);

export const ollamaProvider: ProviderModule = {
  sdk: "ollama",
  matches: isOllamaClient,
  methods: {
    chat: tracePromiseCall(ollamaChatTracer),
    generate: tracePromiseCall(ollamaGenerateTracer),
    embed,
    embeddings: embed,
  },
};

/** `wrap()` for clients of `ollama` (its Node and browser entries): `Ollama` and the default instance. */
export function wrapOllama<T>(client: T): T {
  return wrapAs(ollamaProvider, "wrapOllama", client);
}
