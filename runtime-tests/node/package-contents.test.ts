/**
 * What `npm pack` would publish (and a git or tarball install gets): the built dist/ (ESM, CJS, their types and
 * source maps; dist/cli/, the dev tool the bin runs, with its page), the src/ files those maps point at, LICENSE, README.md and package.json; nothing else, and no map
 * that carries a copy of the sources.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const DIST = [
  ...["index.cjs", "index.cjs.map", "index.d.cts", "index.d.ts", "index.js", "index.js.map"],
  ...["cli/moda-edge.js", "cli/page/page.css", "cli/page/page.js"],
].map((file) => `dist/${file}`);

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

function readPackageJson(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, unknown>;
}

/** The file paths in a package.json field: a string, or the strings of an object's values, nested or not. */
function pathsIn(field: unknown): string[] {
  if (typeof field === "string") return [field];
  if (typeof field === "object" && field !== null) return Object.values(field).flatMap(pathsIn);
  return [];
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
  it("holds the library's six files of dist/ and the dev tool's three, every file of the other folders package.json lists, LICENSE, README.md and package.json, and nothing else", () => {
    const folders = (readPackageJson().files as string[]).filter((folder) => folder !== "dist");
    expect(folders).toContain("src");
    const expected = ["LICENSE", "README.md", "package.json", ...DIST, ...folders.flatMap(filesUnder)];
    expect([...packed.keys()].sort()).toEqual(expected.sort());
  });

  it("is under MIT, as package.json says", () => {
    expect(readPackageJson().license).toBe("MIT");
    expect(readFileSync(join(root, "LICENSE"), "utf8")).toMatch(/^MIT License\n/);
  });

  it("packs every file package.json points at (main, module, types, exports, bin)", () => {
    const pkg = readPackageJson();
    const targets = [pkg.main, pkg.module, pkg.types, pkg.exports, pkg.bin].flatMap(pathsIn);
    expect(targets.length).toBeGreaterThanOrEqual(7);
    for (const target of targets) expect(packed.has(posix.normalize(target)), target).toBe(true);
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
