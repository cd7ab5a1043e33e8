export function median(values: readonly number[]): number;
/** The `q`-quantile (0–1), interpolated between the two nearest values; NaN for no values. */
export function quantile(values: readonly number[], q: number): number;
export function halfIqr(values: readonly number[]): number;
