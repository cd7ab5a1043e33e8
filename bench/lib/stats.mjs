/** Small statistics for the benchmark: medians, and a spread to tell a difference from noise. */
export function median(values) {
  return quantile(values, 0.5);
}

export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

/** Half the interquartile range: the noise band around a median. */
export function halfIqr(values) {
  return (quantile(values, 0.75) - quantile(values, 0.25)) / 2;
}
