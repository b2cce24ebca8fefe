/**
 * Escaping for every output format. Everything a cloud hands us (names, tags, descriptions, policy text, error
 * messages) is hostile until escaped for the place it goes.
 */

/** Characters XML 1.0 cannot carry at all (and HTML should not): C0 controls except tab, LF, CR; lone surrogates. */
const INVALID_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Bidirectional embedding, override and isolate controls. Raw, they reorder what a reader sees ("Trojan Source":
 * `U+202E gnp.exe` reads as `exe.png`), so in human-readable outputs they become a visible marker such as
 * `[U+202E]`. The JSON result keeps the original string.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

function markBidi(s: string): string {
  return s.replace(BIDI_CONTROLS, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

export function stripInvalidXmlChars(s: string): string {
  return markBidi(s.replace(INVALID_XML, '\uFFFD'));
}

/** Text or attribute value in HTML. */
export function escapeHtml(value: unknown): string {
  return stripInvalidXmlChars(String(value ?? ''))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Text or attribute value in XML (JUnit). */
export function escapeXml(value: unknown): string {
  return escapeHtml(value).replace(/&#39;/g, '&apos;');
}

/**
 * JSON embedded in an HTML `<script type="application/json">`: nothing in it can close the script element or
 * start a comment, and line separators cannot break old parsers.
 */
export function jsonForScript(value: unknown): string {
  // Raw bidi controls can only stand inside JSON strings: marked there, the client-side tables show the marker too.
  return markBidi(JSON.stringify(value))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Inline Markdown text (GitHub-flavoured, also safe in a table cell): characters that start emphasis, code, links,
 * strikethrough or tables are backslash-escaped, HTML is neutralised as entities, `@` and `#` cannot mention people
 * or link issues, a leading list or heading marker is escaped, and line breaks cannot end a table row.
 */
export function escapeMarkdown(value: unknown): string {
  return stripInvalidXmlChars(String(value ?? ''))
    .replace(/[\\`*_[\]|#~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;')
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/^(\s*)([-+=])/, '$1\\$2')
    .replace(/^(\s*)(\d+)([.)])/, '$1$2\\$3');
}

/** Cells starting with these are formulas to Excel, LibreOffice and Google Sheets. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field (RFC 4180): strings that a spreadsheet would run as a formula get a leading apostrophe, and any
 * field with a comma, quote or line break is quoted with inner quotes doubled. Numbers and booleans are written
 * as they are.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let s = stripInvalidXmlChars(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export type CsvValue = string | number | boolean | null | undefined;

/** A whole CSV document: header row, CRLF line ends, trailing CRLF. */
export function csvDocument(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [header.map((h) => csvField(h)).join(','), ...rows.map((r) => r.map((v) => csvField(v)).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
