/**
 * What `npm pack` would publish (and a git or tarball install gets): the built dist/ (ESM, CJS, their types and
 * source maps), the src/ files those maps point at, LICENSE, README.md and package.json; nothing else, and no map
 * that carries a copy of the sources.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const DIST = ["index.cjs", "index.cjs.map", "index.d.cts", "index.d.ts", "index.js", "index.js.map"].map(
  (file) => `dist/${file}`,
);

interface PackedFile {
  path: string;
  size: number;
}

/** Every file under `dir` (a path from the repository root), as posix paths from the root. */
function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => posix.join(posix.relative(root, entry.parentPath.replaceAll("\\", "/")), entry.name));
}

let packed: Map<string, PackedFile>;

beforeAll(() => {
  // --ignore-scripts: dist/ is built already (npm test builds first); `prepare` would build it again.
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [result] = JSON.parse(out) as [{ files: PackedFile[] }];
  packed = new Map(result.files.map((file) => [file.path, file]));
  if (!packed.has("dist/index.js")) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
});

describe("the packed package", () => {
  it("holds dist/, src/, LICENSE, README.md and package.json, and nothing else", () => {
    const expected = ["LICENSE", "README.md", "package.json", ...DIST, ...filesUnder("src")];
    expect([...packed.keys()].sort()).toEqual(expected.sort());
  });

  it("is under MIT, as package.json says", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { license: string };
    expect(pkg.license).toBe("MIT");
    expect(readFileSync(join(root, "LICENSE"), "utf8")).toMatch(/^MIT License\n/);
  });

  it("packs every file package.json points at", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, unknown>;
    const targets = JSON.stringify([pkg.main, pkg.module, pkg.types, pkg.exports]).match(/\.\/dist\/[\w.]+/g) ?? [];
    expect(targets.length).toBeGreaterThanOrEqual(4);
    for (const target of targets) expect(packed.has(target.slice(2)), target).toBe(true);
  });

  it.each(["dist/index.js", "dist/index.cjs"])("%s names its packed source map", (file) => {
    const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(root, file), "utf8"))?.[1];
    expect(url).toBeDefined();
    expect(packed.has(posix.join("dist", url as string))).toBe(true);
  });

  it.each(["dist/index.js.map", "dist/index.cjs.map"])("%s points at packed src/ files and copies none", (file) => {
    const map = JSON.parse(readFileSync(join(root, file), "utf8")) as { sources: string[]; sourcesContent?: unknown };
    expect(map.sourcesContent).toBeUndefined();
    expect(map.sources.length).toBeGreaterThan(50);
    const missing = map.sources
      .map((source) => posix.normalize(posix.join("dist", source)))
      .filter((path) => !path.startsWith("src/") || !packed.has(path));
    expect(missing).toEqual([]);
  });
});
