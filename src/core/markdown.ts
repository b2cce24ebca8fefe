/**
 * Cloud text inside GitHub-flavoured Markdown (the Markdown summary, GitHub issues, webhook bodies). One line of
 * inline text that renders as exactly those characters: no emphasis, code, link, image, autolink, e-mail link,
 * mention, issue reference, raw HTML, entity, table break, list, heading or quote can start from it. Safe inside a
 * paragraph, a list item, a heading and a table cell.
 */
import { defang } from './defang.ts';
import { oneLine } from './unicode.ts';

/**
 * The ASCII punctuation that can start inline structure in GFM (emphasis, code, links and images — `(` and `!` mean
 * nothing without an unescaped `[` —, tables, headings, strikethrough, math), backslash-escaped.
 */
const INLINE_SPECIAL = /[\\`*_[\]|#~$]/g;

export function markdownText(value: unknown): string {
  return (
    defang(oneLine(value))
      .replace(INLINE_SPECIAL, '\\$&')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // Block structure only starts at the beginning of a line: leading spaces (indented code) become entities, a
      // leading list or setext marker and an ordered-list number are escaped.
      .replace(/^ +/, (m) => '&#32;'.repeat(m.length))
      .replace(/^([-+=])/, '\\$1')
      .replace(/^(\d+)([.)])/, '$1\\$2')
  );
}

/**
 * A fenced code block whose fence is longer than any run of backticks in the text, so nothing in it can close the
 * block early (CommonMark: a closing fence needs at least as many backticks as the opening one).
 */
export function markdownCodeBlock(text: string, language = ''): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language.replace(/[^A-Za-z0-9+-]/g, '')}\n${text}\n${fence}`;
}
