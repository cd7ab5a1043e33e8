export const ROOT: string;
export const WORKERS_DIR: string;
export const MODA_DIST: string;
export const MODA_BUNDLE_BUDGET_BYTES: number;

export interface BundleOptions {
  nodeCompat?: boolean;
}

export type BundleResult =
  | { ok: true; bytes: number; gzipBytes: number; code: string; inputs: [packageName: string, bytes: number][] }
  | { ok: false; errors: string[] };

export function bundleWorker(entry: string | { contents: string }, options?: BundleOptions): Promise<BundleResult>;
