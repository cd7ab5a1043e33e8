/**
 * Every TypeScript block of README.md and docs/platforms.md (the quick starts) compiles as a user would copy it:
 * under `strict`, against the built types (`moda-edge` resolves through package.json's exports to dist/), with
 * the platform's own types. The fence says which platform: ```ts cloudflare, web, node, bun or deno.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const DOCS = ["README.md", "docs/platforms.md"];
const fromTests = createRequire(join(root, "test", "package.json"));

interface Snippet {
  doc: string;
  line: number;
  platform: string;
  code: string;
}

/** The ```ts blocks of a Markdown file, with the platform named after the language. */
function snippetsOf(doc: string): Snippet[] {
  const text = readFileSync(join(root, doc), "utf8");
  const snippets: Snippet[] = [];
  for (const match of text.matchAll(/^```(?:ts|typescript)\b([^\n]*)\n([\s\S]*?)^```$/gm)) {
    const line = text.slice(0, match.index).split("\n").length;
    snippets.push({ doc, line, platform: (match[1] ?? "").trim(), code: match[2] ?? "" });
  }
  return snippets;
}

/** Deno's declarations as its binary prints them, its own `lib` references dropped (the file holds them all). */
function denoTypes(): string {
  const types = execFileSync(join(root, "test", "node_modules", ".bin", "deno"), ["types"], { encoding: "utf8" });
  return types.replace(/^\/\/\/ <reference lib="deno\.[\w.]+" \/>$/gm, "");
}

const NODE_TYPES = join(root, "node_modules", "@types", "node", "index.d.ts");

/** What each platform adds to ES2022: its declaration files, and the DOM library where it has no types of its own. */
const PLATFORMS: Record<string, { lib: string[]; typeFiles: () => string[]; virtual?: () => string }> = {
  cloudflare: {
    lib: ["lib.es2022.d.ts"],
    typeFiles: () => [fromTests.resolve("@cloudflare/workers-types/index.d.ts")],
  },
  web: { lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"], typeFiles: () => [] },
  node: { lib: ["lib.es2022.d.ts"], typeFiles: () => [NODE_TYPES] },
  bun: { lib: ["lib.es2022.d.ts", "lib.dom.d.ts"], typeFiles: () => [fromTests.resolve("bun-types/index.d.ts")] },
  // `deno check` types `node:` modules with @types/node too.
  deno: { lib: ["lib.esnext.d.ts"], typeFiles: () => [NODE_TYPES], virtual: denoTypes },
};

/** Type-checks the snippets of one platform together, each as its own module; the diagnostics as text. */
function compile(platform: string, snippets: Snippet[]): string[] {
  const setup = PLATFORMS[platform];
  if (!setup) throw new Error(`no platform named ${platform}`);
  // Inside the repository's root package, so that `moda-edge` resolves to itself through its exports.
  const dir = join(root, ".snippets", platform);
  const files = new Map(snippets.map((snippet, i) => [join(dir, `snippet-${i}.ts`), snippet.code]));
  const virtualTypes = setup.virtual?.();
  if (virtualTypes !== undefined) files.set(join(dir, "platform.d.ts"), virtualTypes);
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: setup.lib,
    types: [],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (name) => files.has(name) || ts.sys.fileExists(name);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.getSourceFile = (name, language, onError) => {
    const virtual = files.get(name);
    return virtual === undefined
      ? getSourceFile(name, language, onError)
      : ts.createSourceFile(name, virtual, language);
  };
  const program = ts.createProgram([...files.keys(), ...setup.typeFiles()], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    const file = diagnostic.file;
    const index = file ? [...files.keys()].indexOf(file.fileName) : -1;
    const snippet = snippets[index];
    if (!file || !snippet) return `${file?.fileName ?? "(program)"}: TS${diagnostic.code} ${message}`;
    const { line } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    return `${snippet.doc}:${snippet.line + 1 + line}: TS${diagnostic.code} ${message}`;
  });
}

const snippets = DOCS.flatMap(snippetsOf);

describe("the TypeScript snippets of the README and the quick starts", () => {
  it("name their platform, and there are some of each", () => {
    expect(snippets.filter((snippet) => !PLATFORMS[snippet.platform]).map((s) => `${s.doc}:${s.line}`)).toEqual([]);
    expect(new Set(snippets.map((snippet) => snippet.platform))).toEqual(new Set(Object.keys(PLATFORMS)));
  });

  it.each(Object.keys(PLATFORMS))("compile under strict against the built types: %s", (platform) => {
    const ofPlatform = snippets.filter((snippet) => snippet.platform === platform);
    expect(compile(platform, ofPlatform)).toEqual([]);
  });
});
