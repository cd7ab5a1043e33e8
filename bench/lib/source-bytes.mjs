/**
 * Output bytes per original source file of a bundle, read from its source map. esbuild chains the maps of its
 * inputs, so a bundle of dist/index.js (built with its map) is attributed to moda-edge's own src/ files: what
 * the metafile cannot tell apart inside one dist file.
 */
const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const CONTINUES = 32;

/** The fields of one mapping segment (Base64 VLQ, each relative to the previous segment's). */
function decodeSegment(segment) {
  const fields = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & (CONTINUES - 1)) << shift;
    if (digit & CONTINUES) {
      shift += 5;
      continue;
    }
    fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return fields;
}

/**
 * `map.sources[i]` → the characters of `code` mapped to it (a segment runs to the next one on its line). Only
 * the source index is followed: the original line and column are not needed to count bytes.
 */
export function bytesBySource(code, map) {
  const lines = code.split("\n");
  const bytes = new Map();
  let source = 0;
  map.mappings.split(";").forEach((mappings, lineIndex) => {
    const line = lines[lineIndex] ?? "";
    const starts = [];
    let column = 0;
    for (const segment of mappings ? mappings.split(",") : []) {
      const fields = decodeSegment(segment);
      column += fields[0];
      if (fields.length > 1) source += fields[1];
      starts.push([column, fields.length > 1 ? map.sources[source] : undefined]);
    }
    starts.forEach(([start, name], index) => {
      if (name === undefined) return;
      const end = starts[index + 1]?.[0] ?? line.length;
      bytes.set(name, (bytes.get(name) ?? 0) + end - start);
    });
  });
  return bytes;
}
