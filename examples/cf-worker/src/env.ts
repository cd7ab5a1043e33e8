import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";

/** The Worker's bindings: secrets in production (`wrangler secret put`), `.dev.vars` locally. */
export interface Env {
  OPENAI_API_KEY: string;
  ANTHROPIC_API_KEY: string;
  /** Only to point the SDKs somewhere else (a proxy, the local mock servers of `npm run demo`). */
  OPENAI_BASE_URL?: string;
  ANTHROPIC_BASE_URL?: string;
  /** Read by moda-edge itself; without a key, tracing is off and the Worker runs as before. */
  MODA_API_KEY?: string;
  MODA_BASE_URL?: string;
}

/** `undefined` for an unset or empty variable, so the SDK falls back to its own default. */
function optional(value: string | undefined): string | undefined {
  return value ? value : undefined;
}

export function openaiClient(env: Env): OpenAI {
  return new OpenAI({ apiKey: env.OPENAI_API_KEY, baseURL: optional(env.OPENAI_BASE_URL) });
}

export function anthropicClient(env: Env): Anthropic {
  return new Anthropic({ apiKey: env.ANTHROPIC_API_KEY, baseURL: optional(env.ANTHROPIC_BASE_URL) });
}
