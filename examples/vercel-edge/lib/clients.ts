import { createOpenAI } from "@ai-sdk/openai";
import { wrap } from "moda-edge";
import OpenAI from "openai";

/** `undefined` for an unset or empty variable, so the SDK falls back to its own default. */
function optional(value: string | undefined): string | undefined {
  return value ? value : undefined;
}

let openaiClient: OpenAI | undefined;

/**
 * The OpenAI SDK client, wrapped once and reused by every request: Vercel Edge has AsyncLocalStorage, so each
 * call still lands in the trace of the request that made it. Made on first use, not when `next build` loads
 * the route.
 */
export function openai(): OpenAI {
  openaiClient ??= wrap(
    new OpenAI({ apiKey: process.env.OPENAI_API_KEY, baseURL: optional(process.env.OPENAI_BASE_URL) }),
  );
  return openaiClient;
}

/** The Vercel AI SDK's OpenAI provider (it calls the API with `fetch`; its spans come through `modaTracer()`). */
export function aiSdkOpenAI() {
  return createOpenAI({ apiKey: process.env.OPENAI_API_KEY, baseURL: optional(process.env.OPENAI_BASE_URL) });
}

export const MODEL = "gpt-4o-mini";

export async function promptOf(request: Request, fallback: string): Promise<string> {
  const body = (await request.json().catch(() => ({}))) as { prompt?: unknown };
  return typeof body.prompt === "string" && body.prompt !== "" ? body.prompt : fallback;
}
