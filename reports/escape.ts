/**
 * Escaping for every output format. Everything a cloud hands us (names, tags, descriptions, policy text, error
 * messages) is hostile until escaped for the place it goes.
 */
import { markdownText } from '../src/core/markdown.ts';
import { displayText } from '../src/core/unicode.ts';

/**
 * Every human-readable output gets display text (src/core/unicode.ts): well-formed, control characters and the
 * noncharacters XML 1.0 cannot carry replaced by U+FFFD, and invisible format characters — bidirectional overrides
 * that reorder what a reader sees ("Trojan Source": `U+202E gnp.exe` reads as `exe.png`), zero-width and tag
 * characters — shown as a visible marker such as `[U+202E]`. The JSON result keeps the original string.
 */
export function stripInvalidXmlChars(s: string): string {
  return displayText(s);
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
  // Every string as display text, as in the server-rendered cells: the client-side tables show U+FFFD for a control
  // character and a visible marker for an invisible format character, never the raw character.
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? displayText(v) : v))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Inline Markdown text (GitHub-flavoured, also safe in a table cell): src/core/markdown.ts — escaped, defanged (no
 * autolink, e-mail link, mention or issue reference) and on one line.
 */
export const escapeMarkdown: (value: unknown) => string = markdownText;

/**
 * A SARIF plain-text message (SARIF 2.1.0 §3.11.6, https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html):
 * `[text](target)` in a message is an embedded link that viewers such as GitHub code scanning render, so literal
 * square brackets — and the backslash that escapes them — are backslash-escaped, and cloud text cannot make a link.
 */
export function sarifText(value: unknown): string {
  return String(value ?? '').replace(/[\\[\]]/g, '\\$&');
}

/**
 * Cells that a spreadsheet (Excel, LibreOffice, Google Sheets) may run as a formula, after the OWASP CSV-injection
 * guidance (https://owasp.org/www-community/attacks/CSV_Injection): starting with `=`, `+`, `-`, `@`, tab or carriage
 * return — also after leading whitespace or `;` (separators some locales and importers split on), and in the
 * fullwidth and small forms East Asian input methods produce (＝ ＋ － ＠, ﹦ ﹢ ﹣ ﹫), which spreadsheets normalise.
 */
const FORMULA_START = /^[\s;]*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B]/;

/**
 * One CSV field (RFC 4180): strings that a spreadsheet would run as a formula get a leading apostrophe, and any
 * field with a comma, semicolon, tab, quote or line break is quoted with inner quotes doubled — so a file opened with
 * `;` or tab as the separator still sees one cell, never a second one starting with `=`. Numbers and booleans are
 * written as they are.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let s = stripInvalidXmlChars(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",;\t\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export type CsvValue = string | number | boolean | null | undefined;

/** One CSV row with its CRLF line end. */
export function csvRow(row: readonly CsvValue[]): string {
  return `${row.map((v) => csvField(v)).join(',')}\r\n`;
}

/** A whole CSV document: header row, CRLF line ends, trailing CRLF. */
export function csvDocument(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [...csvLines(header, rows)].join('');
}

/** A CSV document row by row (the header first), as csvDocument writes it whole. */
export function* csvLines(header: readonly string[], rows: Iterable<readonly CsvValue[]>): Generator<string> {
  yield csvRow(header);
  for (const r of rows) yield csvRow(r);
}
