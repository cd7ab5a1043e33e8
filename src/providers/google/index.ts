/**
 * The Google provider: clients of `@google/genai` (`GoogleGenAI`, Gemini API and Vertex AI mode), and the methods
 * traced on them. Chat sessions are observed through the `generateContent` calls they make: `chats.create()` runs
 * on the proxy, so the session keeps the traced `models` and each `sendMessage` / `sendMessageStream` is one span,
 * with the whole conversation the session sends. Other methods (`countTokens`, `list`, files, caches, live) pass
 * through untraced.
 *
 * A call with automatic function calling (CallableTools, MCP) or automatic continuation makes several requests
 * inside the SDK: it is one span, with the caller's contents and the answer the SDK returns.
 */

import { observeHelper, type ProviderModule } from "../../instrument/provider";
import { tracePromiseCall } from "../../instrument/traced-promise-call";
import { wrapAs } from "../../instrument/wrap-as";
import { embedContentTracer, generateContentStreamTracer, generateContentTracer } from "./calls";

function isGoogleGenAIClient(client: object): boolean {
  const candidate = client as {
    models?: { generateContent?: unknown };
    chats?: { create?: unknown };
    apiClient?: unknown;
  };
  return (
    typeof candidate.models?.generateContent === "function" &&
    typeof candidate.chats?.create === "function" &&
    typeof candidate.apiClient === "object"
  );
}

const generateContent = tracePromiseCall(generateContentTracer);
const generateContentStream = tracePromiseCall(generateContentStreamTracer);

export const googleProvider: ProviderModule = {
  sdk: "@google/genai",
  matches: isGoogleGenAIClient,
  methods: {
    "models.generateContent": generateContent,
    "models.generateContentStream": generateContentStream,
    "models.embedContent": tracePromiseCall(embedContentTracer),
    "chats.create": observeHelper,
    // The session's `models` (see above): the same object as the client's, so the same handlers.
    "chats.modelsModule.generateContent": generateContent,
    "chats.modelsModule.generateContentStream": generateContentStream,
  },
};

/** `wrap()` for clients of `@google/genai`: `GoogleGenAI`, Gemini API and Vertex AI mode. */
export function wrapGoogle<T>(client: T): T {
  return wrapAs(googleProvider, "wrapGoogle", client);
}
