/**
 * The answers of the mock Gemini API (mock-google.ts), in the REST shape, shared with the tests so a span is
 * compared with what the mock returned. Web APIs only: imported by tests in every runtime.
 */

export interface GeminiFixture {
  candidates: { content: { role: string; parts: Record<string, unknown>[] }; finishReason: string; index: number }[];
  usageMetadata: Record<string, number>;
}

const usage = (prompt: number, candidates: number, extra: Record<string, number> = {}) => ({
  promptTokenCount: prompt,
  candidatesTokenCount: candidates,
  ...extra,
  totalTokenCount: prompt + candidates + (extra.thoughtsTokenCount ?? 0) + (extra.toolUsePromptTokenCount ?? 0),
});

const answer = (parts: Record<string, unknown>[], finishReason = "STOP") => ({
  content: { role: "model", parts },
  finishReason,
  index: 0,
});

export const GEMINI_TEXT = "Hello! How can I help you today?";

export const GEMINI_FIXTURES: Record<string, GeminiFixture> = {
  text: { candidates: [answer([{ text: GEMINI_TEXT }])], usageMetadata: usage(9, 10) },
  tools: {
    candidates: [
      answer([
        { functionCall: { id: "call_weather_1", name: "get_weather", args: { location: "Paris", unit: "celsius" } } },
        { functionCall: { name: "get_time", args: { timezone: "Europe/Paris" } } },
      ]),
    ],
    usageMetadata: usage(61, 24),
  },
  thinking: {
    candidates: [
      answer([
        { text: "The user asks for 6 times 7. That is 42.", thought: true },
        { text: "6 × 7 = 42.", thoughtSignature: "c2lnbmF0dXJlLW9mLXRoZS10aG91Z2h0" },
      ]),
    ],
    usageMetadata: usage(12, 8, { thoughtsTokenCount: 27 }),
  },
  cache: {
    candidates: [answer([{ text: "From the cached document: the contract ends in May." }])],
    usageMetadata: usage(1100, 13, { cachedContentTokenCount: 1024 }),
  },
  "tool-prompt": {
    candidates: [answer([{ text: "Searched: it is sunny in Paris." }])],
    usageMetadata: usage(20, 9, { toolUsePromptTokenCount: 150 }),
  },
  image: {
    candidates: [
      answer([
        { text: "Here is a red square." },
        { inlineData: { mimeType: "image/png", data: "iVBORw0KGgoAAAANSUhEUg==" } },
      ]),
    ],
    usageMetadata: usage(7, 1290),
  },
  code: {
    candidates: [
      answer([
        { executableCode: { language: "PYTHON", code: "print(sum(range(101)))" } },
        { codeExecutionResult: { outcome: "OUTCOME_OK", output: "5050\n" } },
        { text: "The sum is 5050." },
      ]),
    ],
    usageMetadata: usage(15, 40),
  },
  candidates: {
    candidates: [
      { ...answer([{ text: "Blue." }]), index: 0 },
      { ...answer([{ text: "Azure, on a clear day." }]), index: 1 },
    ],
    usageMetadata: usage(8, 9),
  },
  "max-tokens": {
    candidates: [answer([{ text: "Once upon a time, in a land" }], "MAX_TOKENS")],
    usageMetadata: usage(6, 8),
  },
  safety: {
    candidates: [{ content: { role: "model", parts: [] }, finishReason: "SAFETY", index: 0 }],
    usageMetadata: usage(6, 0),
  },
};

/** Error scenarios: HTTP status and the Google API error body. */
export const GEMINI_ERRORS: Record<string, { code: number; status: string; message: string }> = {
  "rate-limit": { code: 429, status: "RESOURCE_EXHAUSTED", message: "Resource has been exhausted (e.g. check quota)." },
  invalid: { code: 400, status: "INVALID_ARGUMENT", message: "Invalid JSON payload received." },
};

/** The model version the mock answers with for a request's model. */
export const geminiModelVersion = (model: string) => `${model}-001`;

/** Token counts the mock's Vertex AI embeddings report per embedded text. */
export const VERTEX_EMBEDDING_TOKENS = 5;
