/**
 * Unicode hygiene for text that came from a cloud. Two hazards: lone UTF-16 surrogates, which no UTF-8 output (JSON
 * files, SARIF, OCSF, ticket APIs) can carry, and the invisible format characters — bidirectional overrides and
 * isolates, zero-width characters, tag characters — that make text read differently from what it is ("Trojan
 * Source", CVE-2021-42574).
 */

/** The string with every lone surrogate replaced by U+FFFD (the WHATWG/ECMAScript `toWellFormed` rule). */
export function wellFormed(s: string): string {
  return s.isWellFormed() ? s : s.toWellFormed();
}

/**
 * `value` with every string in it (object keys too) made well-formed. Plain objects and arrays are rebuilt only
 * where something changed, so a clean collection is returned as it is.
 */
export function wellFormedDeep<T>(value: T): T {
  return fix(value) as T;
}

function fix(v: unknown): unknown {
  if (typeof v === 'string') return wellFormed(v);
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const x = fix(v[i]);
      if (x !== v[i]) {
        out ??= v.slice();
        out[i] = x;
      }
    }
    return out ?? v;
  }
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    let out: Record<string, unknown> | null = null;
    // keys, not entries: no pair array per field of every object a scope's collection holds
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      const key = wellFormed(k);
      const y = fix(x);
      if (y !== x || key !== k) {
        out ??= { ...(v as Record<string, unknown>) };
        if (key !== k) delete out[k];
        out[key] = y;
      }
    }
    return out ?? v;
  }
  return v;
}

/** `U+202E` for a character (its code point, at least four hex digits). */
export function codePointLabel(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Invisible format characters (Unicode general category Cf: bidi embeddings, overrides and isolates, zero-width
 * space and joiners, word joiner, BOM, soft hyphen, tag characters…) and the line and paragraph separators.
 */
const INVISIBLE = /[\p{Cf}\u2028\u2029]/gu;

/** Each invisible format character becomes a visible marker such as `[U+202E]`. */
export function markInvisible(s: string): string {
  return s.replace(INVISIBLE, (c) => `[${codePointLabel(c)}]`);
}

/**
 * C0 and C1 control characters and DEL (except tab, line feed and carriage return), and the noncharacters U+FFFE and
 * U+FFFF: nothing a reader should see, and most of it illegal in XML 1.0.
 */
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g;

/**
 * Text for a human-readable document (HTML, Markdown, CSV, ticket bodies): well-formed, control characters replaced
 * by U+FFFD, invisible format characters shown as markers. Line breaks and tabs are left to the format's escaper.
 */
export function displayText(s: string): string {
  return markInvisible(wellFormed(s).replace(CONTROLS, '\uFFFD'));
}

/**
 * The first `max` UTF-16 units of `s` (an ellipsis in the last place when it was longer), never cutting a surrogate
 * pair in two.
 */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = Math.max(0, max - 1);
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}

/** Line breaks of every kind (CR, LF, CRLF, VT, FF, NEL, U+2028, U+2029). */
export const LINE_BREAKS = /\r\n|[\n\r\u000B\u000C\u0085\u2028\u2029]/g;

/** Display text on one line: line breaks and tabs become single spaces, so a value can never start a line of its own. */
export function oneLine(value: unknown): string {
  return displayText(
    String(value ?? '')
      .replace(LINE_BREAKS, ' ')
      .replace(/\t/g, ' '),
  );
}
