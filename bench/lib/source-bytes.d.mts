/** A source map, as much of it as bytesBySource reads. */
export interface SourceMapLike {
  sources: string[];
  mappings: string;
}

export function bytesBySource(code: string, map: SourceMapLike): Map<string, number>;
