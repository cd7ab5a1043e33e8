import { keepable, truncationMark } from "./truncate-text";

/**
 * JSON text of a value within a length, in time linear in what it keeps. The text is always valid JSON. When the
 * whole value does not fit, its longest strings are cut first, each to an equal share of what the short ones leave
 * (`…[truncated N chars]` inside the string); should even that not fit, the items of an array or object past the
 * room are left out behind a mark (`"…[N more items]"`, `"…": "[N more keys]"`). Nothing past the room is
 * serialized: the value is walked once to plan the cut (stopping once the room is spent) and once to write it.
 */

export interface BoundedJson {
  json: string;
  /** Whether anything was cut or left out. */
  cut: boolean;
}

/** Keys that give a part or message its shape; their values are cut only when nothing else is left to cut. */
const STRUCTURAL_KEYS = new Set(["type", "role", "id", "name", "mime_type", "modality", "finish_reason", "file_id"]);
/** Strings shorter than this are not worth cutting: the mark alone is about this long. */
const MIN_CUTTABLE_LENGTH = 64;
/** A cut string keeps at least room for its mark. */
const MIN_SHARE = 2 + truncationMark(1_000_000).length;
const MAX_DEPTH = 64;
/** Room a container holds back, while writing a member, for the mark that would stand for the members after it. */
const MARK_ROOM = 32;
const CIRCULAR = "[Circular]";
const DEPTH_LIMIT = "[depth limit]";
const UNSERIALIZABLE = '"[unserializable value]"';

export function boundedJson(value: unknown, maxLength: number): BoundedJson {
  try {
    const plan = new Planner(maxLength);
    plan.measure(value, "", new Set(), 0);
    if (!plan.overflow && plan.fullLength() <= maxLength) {
      // Fits but for escapes, which only writing it tells: what is written whole is kept whole.
      const whole = new Writer(Number.POSITIVE_INFINITY).value(value, "", Number.POSITIVE_INFINITY, new Set(), 0);
      if (whole !== undefined && whole.length <= maxLength) return { json: whole, cut: false };
    }
    const writer = new Writer(plan.shareOfLongStrings());
    const json = writer.value(value, "", maxLength, new Set(), 0);
    if (json !== undefined) return { json, cut: true };
    return { json: maxLength >= 4 ? "null" : "", cut: true };
  } catch {
    // A getter or toJSON of the caller's that throws: the value is not exported, the span still is.
    return { json: UNSERIALIZABLE.length <= maxLength ? UNSERIALIZABLE : "", cut: true };
  }
}

/**
 * The length of `value`'s JSON text (its long strings' escapes not counted), or Infinity once it is certain to pass
 * `limit`; walks no further than that.
 */
export function jsonLengthUpTo(value: unknown, limit: number): number {
  try {
    const plan = new Planner(limit);
    plan.measure(value, "", new Set(), 0);
    return plan.overflow ? Number.POSITIVE_INFINITY : plan.fullLength();
  } catch {
    return UNSERIALIZABLE.length;
  }
}

/** What JSON.stringify would write for `node` under `key`: toJSON applied, bigint as text, cycles and depth marked. */
function resolve(node: unknown, key: string, ancestors: Set<object>, depth: number): unknown {
  if (typeof node === "bigint") return node.toString();
  if (typeof node !== "object" || node === null) return node;
  const toJSON = (node as { toJSON?: unknown }).toJSON;
  const resolved: unknown = typeof toJSON === "function" ? toJSON.call(node, key) : node;
  if (typeof resolved !== "object" || resolved === null) return resolve(resolved, key, ancestors, depth);
  if (ancestors.has(resolved)) return CIRCULAR;
  if (depth >= MAX_DEPTH) return DEPTH_LIMIT;
  return resolved;
}

/** Whether JSON.stringify leaves the value out of an object (and writes null for it in an array). */
function isSkipped(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}

function isLongString(text: string, key: string): boolean {
  return text.length >= MIN_CUTTABLE_LENGTH && !STRUCTURAL_KEYS.has(key);
}

function scalarJson(value: unknown): string {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  return "null";
}

function moreItems(count: number): string {
  return `"…[${count} more items]"`;
}

function moreKeys(count: number): string {
  return `"…":"[${count} more keys]"`;
}

/** First walk: the length of everything but the long strings, and the length of each long string. */
class Planner {
  /** Characters of everything but the long strings. */
  fixed = 0;
  readonly longLengths: number[] = [];
  /** The fixed part with each long string at its smallest: past `limit`, the walk stops. */
  private floor = 0;
  /** The deepest level walked: each open level may hold back room for a mark. */
  private depth = 0;
  overflow = false;

  constructor(private readonly limit: number) {}

  measure(node: unknown, key: string, ancestors: Set<object>, depth: number): void {
    if (this.overflow) return;
    if (depth > this.depth) this.depth = depth;
    const value = resolve(node, key, ancestors, depth);
    if (typeof value === "string") this.string(value, key);
    else if (typeof value === "object" && value !== null) this.structure(value, ancestors, depth);
    else this.add(isSkipped(value) ? 4 : scalarJson(value).length);
  }

  private string(text: string, key: string): void {
    if (isLongString(text, key)) {
      // Planned on its characters and quotes, its escapes not counted: scanning every long string for them would
      // cost as much as writing it. Escapes are counted as a string is written, within the room left.
      this.longLengths.push(text.length + 2);
      this.floor += MIN_SHARE;
      if (this.floor > this.limit) this.overflow = true;
      return;
    }
    this.add(text.length > this.limit ? text.length + 2 : JSON.stringify(text).length);
  }

  private structure(value: object, ancestors: Set<object>, depth: number): void {
    ancestors.add(value);
    if (Array.isArray(value)) {
      this.add(2 + Math.max(0, value.length - 1));
      for (let i = 0; i < value.length && !this.overflow; i++) this.measure(value[i], String(i), ancestors, depth + 1);
    } else {
      this.add(2);
      const record = value as Record<string, unknown>;
      let written = 0;
      for (const key of Object.keys(record)) {
        if (this.overflow) break;
        if (isSkipped(record[key])) continue;
        this.add(key.length > this.limit ? key.length : JSON.stringify(key).length + 1 + (written++ > 0 ? 1 : 0));
        this.measure(record[key], key, ancestors, depth + 1);
      }
    }
    ancestors.delete(value);
  }

  private add(length: number): void {
    this.fixed += length;
    this.floor += length;
    if (this.floor > this.limit) this.overflow = true;
  }

  fullLength(): number {
    let total = this.fixed;
    for (const length of this.longLengths) total += length;
    return total;
  }

  /** The length each long string may take: the level that fills the room left by the rest (water filling). */
  shareOfLongStrings(): number {
    if (this.overflow) return MIN_SHARE;
    let room = this.limit - this.fixed - Math.min(this.limit / 4, MARK_ROOM * (this.depth + 1));
    const lengths = [...this.longLengths].sort((a, b) => a - b);
    for (const [index, length] of lengths.entries()) {
      const share = room / (lengths.length - index);
      if (length > share) return Math.max(MIN_SHARE, Math.floor(share));
      room -= length;
    }
    return Number.POSITIVE_INFINITY;
  }
}

/** Second walk: writes the JSON text, each long string within its share and every value within the room left. */
class Writer {
  cut = false;

  constructor(private readonly share: number) {}

  /** The JSON text of `node` within `room` characters, or undefined when not even a cut form fits. */
  value(node: unknown, key: string, room: number, ancestors: Set<object>, depth: number): string | undefined {
    const value = resolve(node, key, ancestors, depth);
    if (typeof value === "string") return this.string(value, key, room);
    if (Array.isArray(value)) return this.array(value, room, ancestors, depth);
    if (typeof value === "object" && value !== null) return this.object(value, room, ancestors, depth);
    const json = isSkipped(value) ? "null" : scalarJson(value);
    if (json.length <= room) return json;
    this.cut = true;
    return undefined;
  }

  private string(text: string, key: string, room: number): string | undefined {
    const limit = isLongString(text, key) ? Math.min(room, this.share) : room;
    if (text.length + 2 <= limit) {
      const whole = JSON.stringify(text);
      if (whole.length <= limit) return whole;
    }
    this.cut = true;
    return cutString(text, limit);
  }

  private array(items: unknown[], room: number, ancestors: Set<object>, depth: number): string | undefined {
    return this.members(
      items.length,
      room,
      (index, itemRoom) => this.value(items[index], String(index), itemRoom, ancestors, depth + 1),
      ["[", "]"],
      moreItems,
      items,
      ancestors,
    );
  }

  private object(record: object, room: number, ancestors: Set<object>, depth: number): string | undefined {
    const source = record as Record<string, unknown>;
    const keys = Object.keys(source).filter((key) => !isSkipped(source[key]));
    return this.members(
      keys.length,
      room,
      (index, itemRoom) => {
        const key = keys[index] as string;
        // Quotes, colon and at least a null: a key too long for the room is not serialized at all.
        if (key.length + 7 > itemRoom) return undefined;
        const name = JSON.stringify(key);
        const item = this.value(source[key], key, itemRoom - name.length - 1, ancestors, depth + 1);
        return item === undefined ? undefined : `${name}:${item}`;
      },
      ["{", "}"],
      moreKeys,
      record,
      ancestors,
    );
  }

  /**
   * Members in order while they fit, each leaving room for the closing bracket and for the mark that would
   * stand for the members after it; the first that does not fit is replaced by that mark, with all after it.
   */
  private members(
    count: number,
    room: number,
    member: (index: number, room: number) => string | undefined,
    [open, close]: [string, string],
    mark: (count: number) => string,
    container: object,
    ancestors: Set<object>,
  ): string | undefined {
    if (room < 2) {
      this.cut = true;
      return undefined;
    }
    ancestors.add(container);
    let out = open;
    for (let index = 0; index < count; index++) {
      const separator = index > 0 ? 1 : 0;
      const after = count - index - 1;
      const reserve = 1 + (after > 0 ? 1 + mark(after).length : 0);
      const itemRoom = room - out.length - separator - reserve;
      const text = itemRoom > 0 ? member(index, itemRoom) : undefined;
      if (text === undefined) {
        this.cut = true;
        const rest = mark(count - index);
        if (out.length + separator + rest.length + 1 > room) return index === 0 ? undefined : out + close;
        out += (separator ? "," : "") + rest;
        break;
      }
      out += (separator ? "," : "") + text;
    }
    ancestors.delete(container);
    return out + close;
  }
}

/** A JSON string of `text` cut to at most `limit` characters, its mark inside the quotes; undefined below 2. */
function cutString(text: string, limit: number): string | undefined {
  if (limit < 2) return undefined;
  if (limit < 2 + truncationMark(text.length).length) return limit >= 3 ? '"…"' : '""';
  let keep = keepable(text, Math.min(text.length, limit - 2 - truncationMark(text.length).length));
  for (;;) {
    const quoted = JSON.stringify(text.slice(0, keep));
    const cut = `${quoted.slice(0, -1)}${truncationMark(text.length - keep)}"`;
    if (cut.length <= limit) return cut;
    // Escapes made the kept part longer than its characters: drop as many characters as it is over.
    keep = keepable(text, keep - (cut.length - limit));
  }
}
