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
    // A presigned URL: every parameter named like a credential, whatever its case and prefix.
    [
      "https://b.s3.amazonaws.com/k.png?X-Amz-Algorithm=AWS4&X-Amz-Credential=ASIA/20260101/us-east-1&X-Amz-Security-Token=IQoJb3JpZ2luX2VjE&X-Amz-Signature=9f8e7d&x-id=GetObject",
      "https://b.s3.amazonaws.com/k.png?X-Amz-Algorithm=AWS4&X-Amz-Credential=[REDACTED]&X-Amz-Security-Token=[REDACTED]&X-Amz-Signature=[REDACTED]&x-id=GetObject",
    ],
    [
      "?sessionToken=abc&upload_key=def&refresh-token=ghi",
      "?sessionToken=[REDACTED]&upload_key=[REDACTED]&refresh-token=[REDACTED]",
    ],
    // URL-encoded inside another URL.
    [
      "next=https%3A%2F%2Fx.example%3Fkey%3DAbC%2Bdef%26page%3D2",
      "next=https%3A%2F%2Fx.example%3Fkey%3D[REDACTED]%26page%3D2",
    ],
    // JSON text inside JSON text (a tool's result, an error body): its quotes escaped, once or twice.
    [
      String.raw`{"content":"{\"headers\":{\"x-api-key\":\"tk_live_123\",\"authorization\":\"Token tk_live_456\"}}"}`,
      String.raw`{"content":"{\"headers\":{\"x-api-key\":\"[REDACTED]\",\"authorization\":\"[REDACTED]\"}}"}`,
    ],
    [String.raw`\\\"password\\\":\\\"hunter22\\\"`, String.raw`\\\"password\\\":\\\"[REDACTED]\\\"`],
    // JSON fields named like credentials.
    [
      '{"api_key":"a1","apiKey":"a2","password":"a3","token":"a4","secret":"a5","access_token" : "a6","clientSecret":"a7"}',
      '{"api_key":"[REDACTED]","apiKey":"[REDACTED]","password":"[REDACTED]","token":"[REDACTED]","secret":"[REDACTED]","access_token" : "[REDACTED]","clientSecret":"[REDACTED]"}',
    ],
    ["postgres://app:s3cr3t-pw@db.internal:5432/main", "postgres://app:[REDACTED]@db.internal:5432/main"],
    ["Cookie: session=abc123; theme=dark", "Cookie: [REDACTED]"],
    ["Set-Cookie: sid=abc123; Path=/; HttpOnly\nnext", "Set-Cookie: [REDACTED]\nnext"],
    // Keys by shape.
    ["stripe sk_live_abcdefghijkl0123 and rk_test_abcdefghijkl0123", "stripe [REDACTED] and [REDACTED]"],
    [
      "github ghp_abcdefghijklmnopqrstuvwxyz0123 gho_abcdefghijklmnopqrstuvwxyz0123 github_pat_11ABCDEFG0123456789_abcdefghijkl",
      "github [REDACTED] [REDACTED] [REDACTED]",
    ],
    ["hf hf_abcdefghijklmnopqrstuvwxyz slack xoxb-1234567890-abcdefghij", "hf [REDACTED] slack [REDACTED]"],
    ["jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sflKxwRJSMeKKF2QT4fw done", "jwt [REDACTED] done"],
    ["prefix_sk-abcdefghijklmnopqrstuvwxyz", "prefix_[REDACTED]"],
  ])("replaces the credential in %j", (text, scrubbed) => {
    expect(scrubSecrets(text)).toBe(scrubbed);
  });

  it.each([
    "the task-abcdefghijklmnopqrstuvwxyz0123 ran",
    "a monkey=3 and a keyboard",
    "authorization failed: check your settings",
    "What is 2+2? The bearer of bad news.",
    "gen_ai.usage.input_tokens=12",
    '{"key":"color","value":"red","max_tokens":5,"tokens":"many"}',
    "https://example.com:8080/path?q=1&page=2",
    "the key: a good night's sleep; the secret: practice",
  ])("leaves %j alone", (text) => {
    expect(scrubSecrets(text)).toBe(text);
  });

  it("keeps JSON text JSON, with JSON text inside it", () => {
    const inner = JSON.stringify({ headers: { authorization: "Bearer abcdefgh", "x-api-key": 'k"1' }, token: "t\\2" });
    const outer = JSON.stringify({ role: "tool", content: inner, url: "https://u:p@h.example/?sig=a%2Fb" });
    const scrubbed = scrubSecrets(JSON.stringify([outer]));
    const [text] = JSON.parse(scrubbed) as [string];
    const message = JSON.parse(text) as { content: string; url: string };
    expect(message.url).toBe("https://u:[REDACTED]@h.example/?sig=[REDACTED]");
    expect(JSON.parse(message.content)).toStrictEqual({
      headers: { authorization: "[REDACTED]", "x-api-key": '[REDACTED]"1' },
      token: "[REDACTED]\\2",
    });
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
    ["http.response.header.set-cookie", true],
    ["aws.session_token", true],
    ["gen_ai.usage.input_tokens", false],
    ["llm.usage.total_tokens", false],
    ["moda.user_id", false],
    ["traceloop.entity.input", false],
  ])("%s: %s", (name, credential) => {
    expect(isCredentialName(name)).toBe(credential);
  });
});
