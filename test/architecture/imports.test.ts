/**
 * The import structure of src/ (docs/architecture.md, "The layers"): no import loops, type-only imports included;
 * a provider imports only its own folder and the layers below (never another provider); `instrument/` never
 * imports a provider; nothing imports a Node module or an undeclared package (the bundle must run in workerd with
 * no compatibility flags). Reads the source tree: Node only (vitest.config.ts).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = resolve(__dirname, "../../src");
/** The packages src/ may import: its dependencies. */
const PACKAGES = new Set(["@opentelemetry/api"]);
/** What a file in src/providers/<name>/ may import besides its own folder. */
const BELOW_PROVIDERS = ["instrument/", "semconv/", "policy/", "core/", "config/"];

type Graph = Map<string, string[]>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

function resolveRelative(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  const candidates = [`${base}.ts`, join(base, "index.ts"), base];
  const found = candidates.find((candidate) => {
    try {
      return statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
  if (!found) throw new Error(`${relative(SRC, from)} imports ${specifier}, which is not a file`);
  return relative(SRC, found);
}

/** Every file of src/ (relative path) to what it imports: files of src/, and the bare specifiers apart. */
function readImports(): { graph: Graph; bare: Map<string, string[]> } {
  const graph: Graph = new Map();
  const bare = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const name = relative(SRC, file);
    graph.set(
      name,
      importedFiles
        .filter(({ fileName }) => fileName.startsWith("."))
        .map(({ fileName }) => resolveRelative(file, fileName)),
    );
    bare.set(
      name,
      importedFiles.map(({ fileName }) => fileName).filter((specifier) => !specifier.startsWith(".")),
    );
  }
  return { graph, bare };
}

/** One import loop of `graph` as the path that closes it (`[a, b, a]`), or undefined when there is none. */
function findCycle(graph: Graph): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "visiting") return [...path.slice(path.indexOf(node)), node];
    state.set(node, "visiting");
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

const providerOf = (file: string) => /^providers\/([^/]+)\//.exec(file)?.[1];
/** The platform folder of a file under src/handler/ (`cloudflare`, `lambda`, …); the shared files have none. */
const platformOf = (file: string) => /^handler\/([^/]+)\//.exec(file)?.[1];

describe("the import structure of src/", () => {
  const { graph, bare } = readImports();
  const edges = [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));

  it("reads every file and its imports", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get("index.ts")).toContain("handler/with-moda.ts");
  });

  it("finds a loop where there is one (the checker itself)", () => {
    const looped: Graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
    ]);
    expect(findCycle(looped)).toEqual(["a.ts", "b.ts", "c.ts", "a.ts"]);
    expect(
      findCycle(
        new Map([
          ["a.ts", ["b.ts"]],
          ["b.ts", []],
        ]),
      ),
    ).toBeUndefined();
  });

  it("has no import loop, type-only imports included", () => {
    expect(findCycle(graph)).toBeUndefined();
  });

  it("lets a provider import its own folder and the layers below it only", () => {
    const outside = edges.filter(
      ({ from, to }) =>
        providerOf(from) !== undefined &&
        providerOf(to) !== providerOf(from) &&
        !BELOW_PROVIDERS.some((layer) => to.startsWith(layer)),
    );
    expect(outside).toEqual([]);
  });

  it("lets a platform folder of handler/ import no other platform's folder", () => {
    const platforms = new Set([...graph.keys()].map(platformOf).filter((platform) => platform !== undefined));
    expect([...platforms]).toEqual(expect.arrayContaining(["cloudflare", "lambda", "node", "hono", "next"]));
    const across = edges.filter(
      ({ from, to }) =>
        platformOf(from) !== undefined && platformOf(to) !== undefined && platformOf(from) !== platformOf(to),
    );
    expect(across).toEqual([]);
  });

  it("keeps instrument/ free of providers", () => {
    expect(edges.filter(({ from, to }) => from.startsWith("instrument/") && to.startsWith("providers/"))).toEqual([]);
  });

  it("imports no Node module and no package but its dependencies", () => {
    const node = new Set(builtinModules);
    const imported = [...bare].flatMap(([from, specifiers]) => specifiers.map((specifier) => ({ from, specifier })));
    expect(imported.filter(({ specifier }) => specifier.startsWith("node:") || node.has(specifier))).toEqual([]);
    expect(imported.filter(({ specifier }) => !PACKAGES.has(specifier))).toEqual([]);
  });
});
