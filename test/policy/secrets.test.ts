import { describe, expect, it } from "vitest";
import { isCredentialName, scrubSecrets } from "../../src/policy/secrets";

describe("scrubSecrets", () => {
  it.each([
    [
      "Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuvwxyz012345.",
      "Incorrect API key provided: [REDACTED].",
    ],
    ["anthropic sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAA-BBBB failed", "anthropic [REDACTED] failed"],
    ["groq gsk_ABCDEFGHIJKLMNOPQRSTUV1234 failed", "groq [REDACTED] failed"],
    ["xai-ABCDEFGHIJKLMNOPQRSTUV1234", "[REDACTED]"],
    ["aws AKIAIOSFODNN7EXAMPLE and ASIAIOSFODNN7EXAMPLE", "aws [REDACTED] and [REDACTED]"],
    ["Authorization: Bearer abc.def.ghi-123456", "Authorization: [REDACTED]"],
    ["sent bearer   tok_1234567890abc", "sent bearer   [REDACTED]"],
    [
      '{"x-api-key":"anything-at-all","Authorization":"Basic dXNlcjpwYXNz"}',
      '{"x-api-key":"[REDACTED]","Authorization":"[REDACTED]"}',
    ],
    ["x-goog-api-key: AIzaSyA-1234567890abcdefghijklmnopqrstu", "x-goog-api-key: [REDACTED]"],
    [
      "GET https://generativelanguage.googleapis.com/v1beta/models?key=AIzaSy-whatever&alt=sse",
      "GET https://generativelanguage.googleapis.com/v1beta/models?key=[REDACTED]&alt=sse",
    ],
    ["https://api.example/cb?api_key=abc123&user=1", "https://api.example/cb?api_key=[REDACTED]&user=1"],
    ["form access_token=eyJhbGciOi.x.y done", "form access_token=[REDACTED] done"],
  ])("replaces the credential in %j", (text, scrubbed) => {
    expect(scrubSecrets(text)).toBe(scrubbed);
  });

  it.each([
    "the task-abcdefghijklmnopqrstuvwxyz0123 ran",
    "a monkey=3 and a keyboard",
    "authorization failed: check your settings",
    "What is 2+2? The bearer of bad news.",
    "gen_ai.usage.input_tokens=12",
  ])("leaves %j alone", (text) => {
    expect(scrubSecrets(text)).toBe(text);
  });

  it("keeps JSON text JSON", () => {
    const json = JSON.stringify({
      url: 'https://x.example/?api_key=abc"def',
      header: "Authorization: Bearer abcdefgh\nnext",
    });
    const scrubbed = scrubSecrets(json);
    expect(JSON.parse(scrubbed)).toStrictEqual({
      url: 'https://x.example/?api_key=[REDACTED]"def',
      header: "Authorization: [REDACTED]\nnext",
    });
  });
});

describe("isCredentialName", () => {
  it.each([
    ["ai.request.headers.authorization", true],
    ["http.request.header.x-api-key", true],
    ["ai.request.headers.cookie", true],
    ["app.client_secret", true],
    ["gen_ai.usage.input_tokens", false],
    ["llm.usage.total_tokens", false],
    ["moda.user_id", false],
    ["traceloop.entity.input", false],
  ])("%s: %s", (name, credential) => {
    expect(isCredentialName(name)).toBe(credential);
  });
});
