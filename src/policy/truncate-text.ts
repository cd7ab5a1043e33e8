/** `…[truncated N chars]`: the mark left where a value was cut. */
export function truncationMark(droppedChars: number): string {
  return `…[truncated ${droppedChars} chars]`;
}

/**
 * Cuts `text` to at most `maxLength` characters, the mark included (never inside a surrogate pair). Below the
 * mark's own length, the cut is marked with a bare `…`. O(maxLength).
 */
export function truncateText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const mark = truncationMark(text.length);
  if (maxLength < mark.length) return maxLength < 1 ? "" : `${text.slice(0, keepable(text, maxLength - 1))}…`;
  // Measured on the whole length, the mark is never shorter than the one written for what is dropped.
  const keep = keepable(text, maxLength - mark.length);
  return text.slice(0, keep) + truncationMark(text.length - keep);
}

/** The longest prefix length up to `keep` that does not end inside a surrogate pair. */
export function keepable(text: string, keep: number): number {
  if (keep <= 0) return 0;
  return isHighSurrogate(text.charCodeAt(keep - 1)) ? keep - 1 : keep;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
