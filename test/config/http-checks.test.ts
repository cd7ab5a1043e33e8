import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_EXPORT_BYTES, ModaConfigError, type ModaOptions, resolveConfig } from "../../src/config/options";

const SECRET = "sk-live-9f2c41e07b";
const BASE = { apiKey: "moda-key", baseUrl: "https://ingest.example/v1/traces" };

/** The ModaConfigError `resolveConfig` throws for these options and env; fails the test when it does not throw one. */
function configError(options: ModaOptions, env?: Record<string, string>): ModaConfigError {
  try {
    resolveConfig({ ...BASE, ...options }, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ModaConfigError);
    return error as ModaConfigError;
  }
  throw new Error("expected a ModaConfigError");
}

describe("API keys: printable ASCII, or a ModaConfigError that names the character and never the key", () => {
  it.each([
    ["a zero-width space", `${SECRET}\u200b`, "U+200B at character 19"],
    ["a byte order mark", `\ufeff${SECRET}`, "U+FEFF at character 1"],
    ["a no-break space", `${SECRET.slice(0, 4)}\u00a0${SECRET.slice(4)}`, "U+00A0 at character 5"],
    ["a space", `${SECRET.slice(0, 4)} ${SECRET.slice(4)}`, "U+0020 at character 5"],
    ["a letter outside ASCII", `${SECRET}é`, "U+00E9 at character 19"],
    ["a line feed inside", `${SECRET.slice(0, 4)}\n${SECRET.slice(4)}`, "U+000A at character 5"],
  ])("%s", (_, apiKey, says) => {
    const error = configError({ apiKey });
    expect(error.option).toBe("apiKey");
    expect(error.message).toContain(says);
    expect(error.message).not.toContain(SECRET.slice(4));
  });

  it("a key given with its Bearer prefix", () => {
    const error = configError({ apiKey: `Bearer ${SECRET}` });
    expect(error.message).toContain('starts with "Bearer "');
    expect(error.message).not.toContain(SECRET);
  });

  it("from the env as well", () => {
    const error = configError({ apiKey: undefined }, { MODA_API_KEY: `${SECRET}\u200b` });
    expect(error.option).toBe("apiKey");
  });

  it("whitespace around a key (a secrets file's newline) is dropped, as HTTP drops it", () => {
    expect(resolveConfig({ ...BASE, apiKey: `  ${SECRET}\n` }).apiKey).toBe(SECRET);
    expect(resolveConfig({ ...BASE, apiKey: " \n" }).enabled).toBe(false);
  });
});

describe("headers: what fetch refuses is a ModaConfigError that never quotes a value", () => {
  it.each([
    ["a name with a space", { "x tenant": "acme" }, 'the header name "x…" has U+0020 at character 2'],
    ["an empty name", { "": SECRET }, "a header has an empty name"],
    [
      "a value with a line feed",
      { "x-token": `${SECRET}\nx-evil: 1` },
      'the value of the header "x-token" has U+000A at character 19',
    ],
    ["a value with a zero-width space", { "x-token": `${SECRET}\u200b` }, "U+200B at character 19"],
    ["a value with a NUL", { "x-token": `a\0${SECRET}` }, "U+0000 at character 2"],
  ])("%s", (_, headers, says) => {
    const error = configError({ headers });
    expect(error.option).toBe("headers");
    expect(error.message).toContain(says);
    expect(error.message).not.toContain(SECRET);
  });

  it("MODA_HEADERS written as `Authorization: Bearer …`", () => {
    const error = configError({}, { MODA_HEADERS: `Authorization: Bearer ${SECRET}` });
    expect(error.message).toContain('entry 1 of MODA_HEADERS ("Authorization…") is not name=value');
    expect(error.message).toContain("Authorization=Bearer%20<token>");
    expect(error.message).not.toContain(SECRET);
  });

  it("MODA_HEADERS with a `:` and an `=` (a base64 token's padding) in it", () => {
    const error = configError({}, { MODA_HEADERS: `Authorization: Bearer ${SECRET}==` });
    expect(error.message).toContain('the header name "Authorization…" has U+003A at character 14');
    expect(error.message).not.toContain(SECRET);
  });

  it.each([
    ["in a value", `x-token=${SECRET}%E0%A4%A`, 'entry 1 of MODA_HEADERS ("x-token")'],
    ["in a name", `x-tok%zzen=${SECRET}`, 'entry 1 of MODA_HEADERS ("x-tok%zzen")'],
  ])("MODA_HEADERS with bad percent-encoding %s: a ModaConfigError, not a URIError", (_, list, says) => {
    const error = configError({}, { MODA_HEADERS: list });
    expect(error.message).toContain(`${says} is not valid percent-encoding`);
    expect(error.message).not.toContain(SECRET);
  });

  it("a well-formed MODA_HEADERS is decoded", () => {
    const config = resolveConfig(BASE, { MODA_HEADERS: "x-tenant=acme,Authorization=Bearer%20abc%3D%3D" });
    expect(config.headers).toEqual({ "x-tenant": "acme", Authorization: "Bearer abc==" });
  });
});

describe("baseUrl: credentials in it are a ModaConfigError that never shows them", () => {
  it.each([
    ["user and password", `https://moda:${SECRET}@ingest.example/v1/traces`],
    ["a user alone", `https://${SECRET}@ingest.example/v1/traces`],
  ])("%s", (_, baseUrl) => {
    const error = configError({ baseUrl });
    expect(error.option).toBe("baseUrl");
    expect(error.message).toContain("has credentials in it (user:password@)");
    expect(error.message).toContain('"https://…@ingest.example/…"');
    expect(error.message).not.toContain(SECRET);
  });

  it("a URL that does not parse is shown without what looks like credentials or a query", () => {
    const error = configError({ baseUrl: `https://moda:${SECRET}@ingest example/v1/traces?key=${SECRET}` });
    expect(error.message).toContain("not a URL");
    expect(error.message).not.toContain(SECRET);
  });
});

describe("maxExportBytes", () => {
  it("defaults to 4 MiB and is read from MODA_MAX_EXPORT_BYTES", () => {
    expect(resolveConfig(BASE).maxExportBytes).toBe(DEFAULT_MAX_EXPORT_BYTES);
    expect(DEFAULT_MAX_EXPORT_BYTES).toBe(4 * 1024 * 1024);
    expect(resolveConfig(BASE, { MODA_MAX_EXPORT_BYTES: "65536" }).maxExportBytes).toBe(65_536);
  });

  it.each([0, 512, 200_000_000, Number.NaN])("refuses %s", (maxExportBytes) => {
    expect(configError({ maxExportBytes }).option).toBe("maxExportBytes");
  });
});
