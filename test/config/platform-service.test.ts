import { describe, expect, it, vi } from "vitest";
import { resolveConfig } from "../../src/config/options";

const hasProcessEnv = typeof (globalThis as { process?: { env?: unknown } }).process?.env === "object";

describe("the service name and version the platform gives", () => {
  it.each([
    [{ OTEL_SERVICE_NAME: "otel-app", npm_package_name: "pkg" }, "otel-app"],
    [{ AWS_LAMBDA_FUNCTION_NAME: "ask-fn", npm_package_name: "pkg" }, "ask-fn"],
    [{ VERCEL_GIT_REPO_SLUG: "chat-app", VERCEL_PROJECT_ID: "prj_1" }, "chat-app"],
    [{ VERCEL_PROJECT_ID: "prj_1", npm_package_name: "pkg" }, "prj_1"],
    [{ npm_package_name: "pkg" }, "pkg"],
  ])("names the service from %j", (env, name) => {
    expect(resolveConfig({}, env).serviceName).toBe(name);
  });

  it("MODA_SERVICE_NAME and the option come first", () => {
    const env = { OTEL_SERVICE_NAME: "otel-app", MODA_SERVICE_NAME: "moda-app" };
    expect(resolveConfig({}, env).serviceName).toBe("moda-app");
    expect(resolveConfig({ serviceName: "option-app" }, env).serviceName).toBe("option-app");
  });

  it.runIf(hasProcessEnv)("is moda-edge-app only when nothing says otherwise", () => {
    for (const name of ["OTEL_SERVICE_NAME", "AWS_LAMBDA_FUNCTION_NAME", "VERCEL_GIT_REPO_SLUG", "VERCEL_PROJECT_ID"]) {
      vi.stubEnv(name, undefined);
    }
    vi.stubEnv("npm_package_name", undefined);
    try {
      expect(resolveConfig({}, {}).serviceName).toBe("moda-edge-app");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("takes the version from a Cloudflare version metadata binding, whatever its name", () => {
    const metadata = { id: "9f1c-version-id", tag: "", timestamp: "2026-08-20T00:00:00Z" };
    expect(resolveConfig({}, { VERSION: metadata }).serviceVersion).toBe("9f1c-version-id");
    expect(resolveConfig({}, { CF_VERSION_METADATA: { ...metadata, tag: "v1.4.2" } }).serviceVersion).toBe("v1.4.2");
    expect(resolveConfig({}, { VERCEL_DEPLOYMENT_ID: "dpl_7" }).serviceVersion).toBe("dpl_7");
  });
});
