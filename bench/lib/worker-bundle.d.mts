export const ROOT: string;
export const WORKERS_DIR: string;
export const MODA_DIST: string;
export const MODA_BUNDLE_BUDGET_BYTES: number;

export interface BundleOptions {
  nodeCompat?: boolean;
  /** Count the output bytes of each original file, through the source maps (dist/'s included). */
  sources?: boolean;
}

export type BundleResult =
  | {
      ok: true;
      bytes: number;
      gzipBytes: number;
      code: string;
      inputs: [packageName: string, bytes: number][];
      /** With `sources`: output bytes per original file, its path from the repository root; largest first. */
      sources?: [path: string, bytes: number][];
    }
  | { ok: false; errors: string[] };

export function bundleWorker(entry: string | { contents: string }, options?: BundleOptions): Promise<BundleResult>;
