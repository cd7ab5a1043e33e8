import { describe, expect, it } from "vitest";
import { redactSecrets } from "../../src/export/redact-secrets";

describe("redactSecrets: a log line carries no secret of the config, and stays readable", () => {
  it("replaces the API key and each header value wherever an ingest echoes them", () => {
    const config = { apiKey: "moda-key-19a7c3", headers: { "x-tenant-token": "Bearer tenant-secret-88e1" } };
    const text = 'invalid key "moda-key-19a7c3"; header was Bearer tenant-secret-88e1, token tenant-secret-88e1';
    expect(redactSecrets(text, config)).toBe(
      'invalid key "[api key]"; header was [header value], token [header value]',
    );
  });

  it("a short key replaces only itself, never a part of a word, and no mark is replaced again", () => {
    const config = { apiKey: "key", headers: { authorization: "Bearer key" } };
    expect(redactSecrets("invalid API key: key (keys: key)", config)).toBe(
      "invalid API [api key]: [api key] (keys: [api key])",
    );
  });

  it("also removes what looks like a credential although the config does not hold it", () => {
    const text = "upstream said: Authorization: Bearer sk-proj-abcdefghijklmnopqrstuvwx at ?key=AIzaSyA-leaked";
    const redacted = redactSecrets(text, { apiKey: "moda-key-19a7c3", headers: {} });
    expect(redacted).not.toMatch(/sk-proj|AIzaSy/);
    expect(redacted).toContain("[REDACTED]");
  });

  it("leaves text with no secret as it is", () => {
    expect(redactSecrets("503 Service Unavailable", undefined)).toBe("503 Service Unavailable");
  });
});
