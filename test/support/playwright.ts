/**
 * playwright-core, which drives Debian's Chromium in the dev tool's browser test (runtime-tests/support/chromium.ts).
 * test/package.json installs it into test/node_modules, which only files under test/ resolve.
 */
export { type BrowserContext, chromium, type Page } from "playwright-core";
