/** What the Google wrapper tests share: `@google/genai` clients on the mock (Gemini API and Vertex AI mode), its captures. */
import { GoogleGenAI, type GoogleGenAIOptions } from "@google/genai";
import { inject } from "vitest";
import { wrap } from "../../src/index";
import type { CapturedRequest } from "./mock-http";
import { mockCapture } from "./provider-spans";

export function rawGoogle(options: Partial<GoogleGenAIOptions> = {}): GoogleGenAI {
  return new GoogleGenAI({ apiKey: "test-key", httpOptions: { baseUrl: inject("googleUrl") }, ...options });
}

export function wrappedGoogle(options: Partial<GoogleGenAIOptions> = {}): GoogleGenAI {
  return wrap(rawGoogle(options));
}

/** A client in Vertex AI mode (express: an API key, no project), on the mock. */
export function wrappedVertex(): GoogleGenAI {
  return wrappedGoogle({ vertexai: true });
}

/** A fresh capture id as per-call `config.httpOptions`, and a way to read back what the SDK sent with it. */
export function googleCapture(): {
  httpOptions: { headers: Record<string, string> };
  requests(): Promise<CapturedRequest[]>;
} {
  const sent = mockCapture(inject("googleUrl"));
  return { httpOptions: { headers: sent.headers }, requests: sent.requests };
}

/** The mock's port, as `server.port` should say it. */
export const googlePort = () => Number(new URL(inject("googleUrl")).port);
