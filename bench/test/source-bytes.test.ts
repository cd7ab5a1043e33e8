/**
 * bytesBySource reads a bundle's source map to tell how many output bytes each original file makes. Checked
 * against esbuild's own accounting of the same bundle (its metafile's bytesInOutput), which does not go
 * through the source map: the two differ only by the separators between statements, which a map gives to
 * the statement before.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { bytesBySource } from "../lib/source-bytes.mjs";

const dir = mkdtempSync(join(tmpdir(), "moda-bench-source-bytes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A module whose output size is set by `statements`, each different so that minifying cannot merge them. */
function module(name: string, statements: number): string {
  const body = Array.from(
    { length: statements },
    (_, i) => `  total += input.length * ${i + 1} - "${name}${i}".length;`,
  );
  return `export function ${name}(input) {\n  let total = 0;\n${body.join("\n")}\n  return total;\n}\n`;
}

async function bundle(files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const result = await build({
    entryPoints: [join(dir, "entry.js")],
    absWorkingDir: dir,
    bundle: true,
    write: false,
    format: "esm",
    minify: true,
    sourcemap: "external",
    outfile: join(dir, "out", "bundle.js"),
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles.find((file) => file.path.endsWith(".js"))?.text ?? "";
  const map = JSON.parse(result.outputFiles.find((file) => file.path.endsWith(".map"))?.text ?? "{}");
  const output = Object.values(result.metafile.outputs).find((o) => Object.keys(o.inputs).length > 0);
  const esbuildBytes = new Map(
    Object.entries(output?.inputs ?? {}).map(([path, i]) => [basename(path), i.bytesInOutput]),
  );
  const mapBytes = new Map([...bytesBySource(code, map)].map(([source, bytes]) => [basename(source), bytes]));
  return { code, esbuildBytes, mapBytes };
}

describe("bytes by source file, through a source map", () => {
  it("gives each file the bytes esbuild says it put in the bundle", async () => {
    const { code, esbuildBytes, mapBytes } = await bundle({
      "small.js": module("small", 5),
      "large.js": module("large", 120),
      // No exports: esbuild's export clause belongs to no input in its accounting, and to the entry in the map.
      "entry.js":
        'import { small } from "./small.js";\nimport { large } from "./large.js";\nglobalThis.sum = (s) => small(s) + large(s);\n',
    });
    for (const file of ["small.js", "large.js", "entry.js"]) {
      const expected = esbuildBytes.get(file) ?? 0;
      expect(expected, file).toBeGreaterThan(0);
      // A separator between statements is given to the statement before it: a few bytes per file at most.
      expect(Math.abs((mapBytes.get(file) ?? 0) - expected), file).toBeLessThanOrEqual(8);
    }
    const counted = [...mapBytes.values()].reduce((sum, bytes) => sum + bytes, 0);
    expect(counted).toBeLessThanOrEqual(code.length);
  });

  it("decodes the mappings: values of several digits, negative deltas, a column that starts again on each line", () => {
    // Line 1: "a" × 40 from source 0, then "b" × 10 from source 1. Segment 2 is "wC": column +40, a value of two
    // digits (40 → 80 with its sign bit: "w" holds 16 and says more follows, "C" adds 2 × 32); then source +1.
    // Line 2: the column starts at 0 again and the source index goes on from line 1's: "ADAA" is source −1.
    const code = `${"a".repeat(40)}${"b".repeat(10)}\n${"c".repeat(7)}`;
    const bytes = bytesBySource(code, { sources: ["zero.js", "one.js"], mappings: "AAAA,wCCAA;ADAA" });
    expect(Object.fromEntries(bytes)).toEqual({ "zero.js": 47, "one.js": 10 });
  });
});
