import { type BoundedJson, boundedJson } from "./bounded-json";
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

  /** Texts written, by the object they were written from: one value set on two attributes is written once. */
  private readonly written = new Map<unknown, BoundedJson>();

  json(value: unknown): string {
    let result = this.written.get(value);
    if (result === undefined) {
      result = boundedJson(value, this.maxLength);
      if (typeof value === "object" && value !== null) this.written.set(value, result);
    }
    if (result.cut) this.droppedCount += 1;
    return result.json;
  }
}
