import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bundleLikeWrangler } from "./support/workerd";

const root = fileURLToPath(new URL("../../", import.meta.url));
const files = ["dist/index.js", "dist/index.cjs"];

function read(file: string): string {
  try {
    return readFileSync(`${root}${file}`, "utf8");
  } catch {
    throw new Error(`${file} is missing: run \`npm run build\` first (npm test does)`);
  }
}

const NODE_IMPORT =
  /(?:from\s*|import\s*\(\s*|require\s*\(\s*)["'](node:[\w/]+|async_hooks|buffer|crypto|events|fs|http|https|os|path|stream|util|zlib)["']/g;

/** `process` or `Buffer` used as a value, not reached through `globalThis` or checked with `typeof`. */
function unguardedGlobals(code: string): string[] {
  const found: string[] = [];
  for (const match of code.matchAll(/(?<![\w.$"'`])(process|Buffer)\b(?!["'`])/g)) {
    const before = code.slice(Math.max(0, (match.index ?? 0) - 20), match.index);
    if (/typeof\s*$/.test(before)) continue;
    const line = code.slice(code.lastIndexOf("\n", match.index) + 1, code.indexOf("\n", match.index));
    if (/^\s*(\/\/|\*)/.test(line) || /`[^`]*$/.test(before)) continue;
    found.push(line.trim());
  }
  return found;
}

describe("the built package", () => {
  it.each(files)("%s imports no Node module and uses no unguarded process or Buffer", (file) => {
    const code = read(file);
    expect([...code.matchAll(NODE_IMPORT)].map((m) => m[1])).toEqual([]);
    expect(unguardedGlobals(code.replace(/"[^"\n]*"|'[^'\n]*'|`[^`]*`/g, '""'))).toEqual([]);
  });

  it.each(files)("%s is built from src/ alone: nothing of the dev tool (cli/) is in it or imported by it", (file) => {
    const { sources } = JSON.parse(read(`${file}.map`)) as { sources: string[] };
    const own = sources.filter((source) => !source.includes("node_modules/"));
    expect(own.length).toBeGreaterThan(10);
    expect(own.filter((source) => !source.startsWith("../src/"))).toEqual([]);
    expect(read(file)).not.toMatch(/["'][^"']*cli\/[^"']*["']/);
  });

  it("bundles the way wrangler does (browser platform, workerd conditions) with no Node module", async () => {
    const code = await bundleLikeWrangler('export * from "./dist/index.js";', { minify: true });
    expect(code.length).toBeGreaterThan(1000);
    expect([...code.matchAll(NODE_IMPORT)].map((m) => m[1])).toEqual([]);
  });
});
