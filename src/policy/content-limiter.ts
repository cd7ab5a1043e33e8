import { boundedJson } from "./bounded-json";
import { truncateText } from "./truncate-text";

/**
 * Fits content values under the per-value cap as they are written, and counts each value it had to cut. JSON
 * values are written within the cap (bounded-json.ts), so that no more is serialized than is kept.
 */
export class ContentLimiter {
  /** Values cut, plus whatever the caller counts as dropped under the same limits; goes to the span's dropped count. */
  droppedCount = 0;

  constructor(private readonly maxLength: number) {}

  text(value: string): string {
    if (value.length <= this.maxLength) return value;
    this.droppedCount += 1;
    return truncateText(value, this.maxLength);
  }

  json(value: unknown): string {
    const { json, cut } = boundedJson(value, this.maxLength);
    if (cut) this.droppedCount += 1;
    return json;
  }
}
