/** What the Anthropic wrapper tests share: both SDK majors, wrapped clients on the mock, the mock's captures. */
import AnthropicV1 from "@anthropic-ai/sdk";
import AnthropicV0 from "anthropic-v0";
import { inject } from "vitest";
import { wrap } from "../../src/index";
import { mockCapture } from "./provider-spans";

export type AnthropicClass = typeof AnthropicV1;
export type AnthropicClient = InstanceType<AnthropicClass>;

/** The newest major and the one before; typed as the newest (the surface the tests use is the same). */
export const ANTHROPIC_SDKS: [name: string, sdk: AnthropicClass][] = [
  ["@anthropic-ai/sdk 1.x", AnthropicV1],
  ["@anthropic-ai/sdk 0.x", AnthropicV0 as unknown as AnthropicClass],
];

type ClientOptions = NonNullable<ConstructorParameters<AnthropicClass>[0]>;

export function rawAnthropic(Anthropic: AnthropicClass, options: ClientOptions = {}): AnthropicClient {
  return new Anthropic({ apiKey: "test-key", baseURL: inject("anthropicUrl"), maxRetries: 0, ...options });
}

export function wrappedAnthropic(Anthropic: AnthropicClass, options: ClientOptions = {}): AnthropicClient {
  return wrap(rawAnthropic(Anthropic, options));
}

/** Params of a one-message conversation with the mock's scenario `scenario`. */
export function ask(scenario: string, text = "Hi") {
  return { model: `mock-${scenario}`, max_tokens: 256, messages: [{ role: "user" as const, content: text }] };
}

/** A fresh capture id, and a way to read back what the SDK sent with it. */
export const anthropicCapture = () => mockCapture(inject("anthropicUrl"));
