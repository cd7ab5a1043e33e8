/**
 * What a configuration message may quote of a value it refuses. A refused value is often a secret in the wrong
 * place (an API key pasted into `MODA_SAMPLE_RATE`), and config messages reach logs: a value is quoted only when
 * it is short and plainly not a key, and never when it overlaps the key or a header value configured next to it;
 * otherwise it is described by its kind and length.
 */

/** Text this short is a typo ("10%", "yes please"), not a credential. */
const SHORT = 12;
/** Up to this long, text without digits is a word or a name ("Authorization", "disabled"); keys have digits. */
const WORDLIKE = 32;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** A part of a secret this short says nothing of it. */
const MIN_SECRET_PART = 4;

/** Shows a refused value: quoted, or described. */
export interface ShowValue {
  (value: unknown): string;
  /** Whether `text` may be quoted. */
  quotes(text: string): boolean;
  /** Whether `text` overlaps a secret: not to be quoted however plain it looks (a host name, say). */
  overlapsSecret(text: string): boolean;
}

/** A `ShowValue` that never quotes text overlapping one of `secrets` (the configured key and header values). */
export function valueShower(secrets: readonly string[]): ShowValue {
  const known = secrets.filter((secret) => secret.length >= MIN_SECRET_PART);
  return Object.assign((value: unknown) => shown(value, known), {
    quotes: (text: string) => quotable(text, known),
    overlapsSecret: (text: string) => overlaps(text, known),
  });
}

function shown(value: unknown, secrets: readonly string[]): string {
  switch (typeof value) {
    case "number":
    case "boolean":
      return String(value);
    case "string":
      return quotable(value, secrets) ? JSON.stringify(value) : `a text of ${value.length} characters (not shown)`;
    case "object":
      if (value === null) return "null";
      return Array.isArray(value) ? "an array" : "an object";
    case "undefined":
      return "undefined";
    default:
      return `a ${typeof value}`;
  }
}

function quotable(text: string, secrets: readonly string[]): boolean {
  if (!PRINTABLE_ASCII.test(text)) return false;
  if (text.length > WORDLIKE || (text.length > SHORT && /\d/.test(text))) return false;
  return !overlaps(text, secrets);
}

function overlaps(text: string, secrets: readonly string[]): boolean {
  const core = text.trim();
  return secrets.some((secret) => text.includes(secret) || (core.length >= MIN_SECRET_PART && secret.includes(core)));
}
