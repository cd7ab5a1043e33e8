import { describe, expect, it } from "vitest";
import { DEFAULT_BASE_URL } from "../../src/config/options";
import { DEFAULT_PORT, parseDevOptions, UsageError } from "../dev/options";

describe("moda-edge dev's flags", () => {
  it("listens on 127.0.0.1 at a fixed port by default, and forwards nothing", () => {
    expect(parseDevOptions([], {})).toEqual({ host: "127.0.0.1", port: DEFAULT_PORT, help: false });
  });

  it("--forward sends to Moda's ingest with MODA_API_KEY, or to --forward-url with --api-key", () => {
    expect(parseDevOptions(["--forward"], { MODA_API_KEY: "from-env" }).forward).toEqual({
      url: DEFAULT_BASE_URL,
      apiKey: "from-env",
    });
    const args = ["--forward", "--forward-url", "http://127.0.0.1:9/v1/traces", "--api-key", "from-flag"];
    expect(parseDevOptions(args, { MODA_API_KEY: "from-env" }).forward).toEqual({
      url: "http://127.0.0.1:9/v1/traces",
      apiKey: "from-flag",
    });
  });

  it.each([
    [["--forward"], /--forward needs your Moda API key/],
    [["--api-key", "k"], /--api-key is used only with --forward/],
    [["--forward-url", "http://x"], /--forward-url is used only with --forward/],
    [["--forward", "--api-key", "k", "--forward-url", "ftp://x"], /must be an http\(s\) URL/],
    [["--forward", "--api-key", "k", "--forward-url", "nope"], /must be a URL/],
    [["--port", "80a"], /--port must be a whole number/],
    [["--port", "70000"], /--port must be a whole number/],
    [["--colour"], /Unknown option '--colour'/],
  ])("refuses %j, saying what to change", (args, message) => {
    expect(() => parseDevOptions(args, {})).toThrow(UsageError);
    expect(() => parseDevOptions(args, {})).toThrow(message);
  });
});
