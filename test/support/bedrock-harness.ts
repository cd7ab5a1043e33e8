/**
 * What the Bedrock wrapper tests share: `@aws-sdk/client-bedrock-runtime` clients on the mock (static fake
 * credentials, no retries), the mock's captures.
 */
import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from "@aws-sdk/client-bedrock-runtime";
import { inject } from "vitest";
import { wrap } from "../../src/index";
import type { CapturedRequest } from "./mock-http";
import { mockCapture } from "./provider-spans";

export const FAKE_CREDENTIALS = { accessKeyId: "AKIDMOCKMOCKMOCK", secretAccessKey: "mock-secret-key" };

export function bedrockConfig(config: BedrockRuntimeClientConfig = {}): BedrockRuntimeClientConfig {
  return {
    region: "us-east-1",
    endpoint: inject("bedrockUrl"),
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 1,
    ...config,
  };
}

export function rawBedrock(config: BedrockRuntimeClientConfig = {}): BedrockRuntimeClient {
  return new BedrockRuntimeClient(bedrockConfig(config));
}

export function wrappedBedrock(config: BedrockRuntimeClientConfig = {}): BedrockRuntimeClient {
  return wrap(rawBedrock(config));
}

/** Sends `x-mock-capture` with every request of `client` (a middleware of the test's own), and reads them back. */
export function bedrockCapture(client: BedrockRuntimeClient): { requests(): Promise<CapturedRequest[]> } {
  const sent = mockCapture(inject("bedrockUrl"));
  client.middlewareStack.add(
    (next) => async (args) => {
      Object.assign((args.request as { headers: Record<string, string> }).headers, sent.headers);
      return next(args);
    },
    { step: "build", name: `mockCapture-${sent.headers["x-mock-capture"]}` },
  );
  return { requests: sent.requests };
}

/** The mock's port, as `server.port` should say it. */
export const bedrockPort = () => Number(new URL(inject("bedrockUrl")).port);

/** A user turn of text. */
export const userText = (text: string) => ({ role: "user" as const, content: [{ text }] });

/** JSON as the bytes InvokeModel takes. */
export const jsonBody = (body: unknown) => new TextEncoder().encode(JSON.stringify(body));
