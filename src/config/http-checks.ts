import type { ShowValue } from "./shown-values";

/**
 * What an export request can carry: the checks behind the `apiKey`, `headers` and `baseUrl` options. Each says
 * why a value would lose every span (fetch refuses it, or the ingest would never recognise it) without ever
 * quoting a secret: a problem names a character by its code point and position, a header by its name, cut
 * before the first character a name cannot have, and quoted only as shown-values.ts allows.
 */

/** RFC 9110's token: what a header name may be made of. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const NOT_HEADER_NAME = /[^!#$%&'*+\-.^_`|~0-9A-Za-z]/;
/** What `fetch` refuses in a header value: NUL, CR, LF, and anything that is not a byte (a ByteString). */
const NOT_HEADER_VALUE = /[\0\r\n]|[^\0-\xff]/;
/** A bearer token is printable ASCII; anything else is invisible, or changed on the way. */
const NOT_PRINTABLE_ASCII = /[^\x21-\x7e]/;
/** What HTTP drops around a header value (a key read from a file often ends in a newline). */
const SURROUNDING_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/** "U+200B at character 13": what a character is, never the text around it. */
function describeCharacterAt(text: string, index: number): string {
  return `U+${(text.codePointAt(index) ?? 0).toString(16).toUpperCase().padStart(4, "0")} at character ${index + 1}`;
}

/** The key as it is sent: without the whitespace HTTP would drop around it anyway. */
export function trimApiKey(key: string): string {
  return key.replace(SURROUNDING_WHITESPACE, "");
}

/** Why `key` (trimmed) cannot be a bearer token, or undefined. */
export function apiKeyProblem(key: string): string | undefined {
  if (/^bearer\s/i.test(key)) return 'starts with "Bearer ": give the key alone, moda-edge adds "Bearer "';
  const bad = NOT_PRINTABLE_ASCII.exec(key);
  if (!bad) return undefined;
  return `has ${describeCharacterAt(key, bad.index)}, not printable ASCII (an invisible character?): copy the key again`;
}

/** A header name as far as it is a name: cut before the first character a name cannot have; described if `show` says. */
export function shownHeaderName(name: string, show: ShowValue): string {
  const bad = NOT_HEADER_NAME.exec(name);
  const cut = bad ? name.slice(0, bad.index) : name;
  if (!show.quotes(cut)) return `a name of ${cut.length} characters (not shown)`;
  return JSON.stringify(bad ? `${cut}…` : cut);
}

/** Why fetch would refuse the header, or undefined. The value is never quoted: it is often a secret. */
export function headerProblem(name: string, value: string, show: ShowValue): string | undefined {
  if (!HEADER_NAME.test(name)) {
    if (name === "") return "a header has an empty name";
    const bad = NOT_HEADER_NAME.exec(name)?.index ?? 0;
    return `the header name ${shownHeaderName(name, show)} has ${describeCharacterAt(name, bad)}, which a header name cannot have`;
  }
  const bad = NOT_HEADER_VALUE.exec(value);
  if (bad) {
    return `the value of the header "${name}" has ${describeCharacterAt(value, bad.index)}, which fetch refuses (the value is not shown)`;
  }
  try {
    new Headers().set(name, value);
    return undefined;
  } catch {
    return `this runtime's fetch refuses the header "${name}" (the value is not shown)`;
  }
}

/**
 * `MODA_HEADERS` (`name=value,name2=value2`, each percent-encoded, as OTEL_EXPORTER_OTLP_HEADERS) as an object,
 * or why it cannot be read.
 */
export function parseHeaderList(
  list: string,
  show: ShowValue,
): { headers: Record<string, string> } | { problem: string } {
  const headers: Record<string, string> = {};
  for (const [index, entry] of list.split(",").entries()) {
    if (entry.trim() === "") continue;
    const eq = entry.indexOf("=");
    if (eq <= 0) {
      return {
        problem:
          `entry ${index + 1} of MODA_HEADERS (${shownHeaderName(entry.trim(), show)}) is not name=value: write ` +
          "Authorization=Bearer%20<token>, not Authorization: Bearer <token> (the entry is not shown)",
      };
    }
    const name = percentDecoded(entry.slice(0, eq).trim());
    const value = percentDecoded(entry.slice(eq + 1).trim());
    if (name === undefined || value === undefined) {
      const shown = shownHeaderName(name ?? entry.slice(0, eq).trim(), show);
      return {
        problem: `entry ${index + 1} of MODA_HEADERS (${shown}) is not valid percent-encoding: a "%" starts a %XX escape`,
      };
    }
    headers[name] = value;
  }
  return { headers };
}

function percentDecoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * The values of a `MODA_HEADERS` list (as written and decoded), to be kept out of messages; of an entry that is not
 * name=value, each word after its first.
 */
export function headerListValues(list: string): string[] {
  return list.split(",").flatMap((entry) => {
    const eq = entry.indexOf("=");
    if (eq < 0)
      return entry
        .trim()
        .split(/[\s:]+/)
        .slice(1);
    const value = entry.slice(eq + 1).trim();
    return [value, percentDecoded(value) ?? value];
  });
}

/** A parsed URL as it may be shown: its scheme and host, with a mark for what follows ("https://host/…"). */
export function shownOrigin(url: URL, show: ShowValue): string {
  const rest = url.href.length > url.origin.length + 1 ? "/…" : "";
  const credentials = url.username || url.password ? "…@" : "";
  return !show.overlapsSecret(url.host) ? JSON.stringify(`${url.protocol}//${credentials}${url.host}${rest}`) : "a URL";
}
