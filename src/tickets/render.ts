/**
 * One ticket body, four notations: Markdown (GitHub, webhook), Jira wiki markup (Data Center, REST v2), Atlassian
 * Document Format (Jira Cloud, REST v3) and plain text (ServiceNow). Block text mixes snapaudit's words with cloud
 * text (snapshot names, tags, owners, error messages), so all of it is treated as hostile:
 *
 * - one line: line breaks become spaces, so a tag cannot add list items, headings or table rows;
 * - display-safe: control characters become U+FFFD, invisible format characters a visible `[U+202E]` marker;
 * - defanged (core/defang.ts): URLs, `www.` hosts, e-mail addresses, `mailto:`-style schemes, mentions and issue
 *   references cannot become links or pings in the ticket system, its e-mail notifications or a chat integration;
 * - escaped for the notation, so it cannot become markup.
 *
 * Code blocks (the finding's evidence as JSON) keep their lines and are fenced so nothing in them can close them.
 */
import { defang } from '../core/defang.ts';
import { markdownCodeBlock, markdownText } from '../core/markdown.ts';
import { clip, displayText, oneLine } from '../core/unicode.ts';
import type { Block, TicketDoc } from './model.ts';

/** Cloud text on one line, display-safe and defanged: the first step of every notation. */
export function inlineText(s: string): string {
  return defang(oneLine(s));
}

function mdBlock(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `### ${markdownText(b.text)}`;
    case 'paragraph':
      return markdownText(b.text);
    case 'list':
      return b.items.map((i) => `- ${markdownText(i)}`).join('\n');
    case 'checklist':
      return b.items.map((i) => `- [${i.done ? 'x' : ' '}] ${markdownText(i.text)}`).join('\n');
    case 'code':
      return markdownCodeBlock(displayText(b.text), b.language ?? '');
  }
}

export function toMarkdown(doc: TicketDoc): string {
  return `${doc.map(mdBlock).join('\n\n')}\n`;
}

/**
 * Characters Jira's wiki renderer un-escapes after a backslash (its BackslashEscapeRendererComponent); every other
 * character keeps a backslash literally, which is why a backslash itself is written as an entity.
 */
const WIKI_ESCAPABLE = /[-#*_+?^~|%{}[\]()!@]/g;

/**
 * Jira wiki text: effects (`*bold*`, `-deleted-`, `{{mono}}`), links and mentions (`[…]`, `[~user]`), images
 * (`!x!`), macros (`{code}`), tables (`|`) and emoticons (`(y)`, `:)`, `:P`) are escaped; `\\` (a forced line
 * break) cannot form; a leading `h1.`/`bq.` cannot make a heading or quote.
 */
export function jiraWikiText(s: string): string {
  return inlineText(s)
    .replace(/\\/g, '&#92;')
    .replace(WIKI_ESCAPABLE, '\\$&')
    .replace(/:(?=[PpDd])/g, '&#58;')
    .replace(/^(h[1-6]|bq)\./i, '$1&#46;');
}

function wikiBlock(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `h3. ${jiraWikiText(b.text)}`;
    case 'paragraph':
      return jiraWikiText(b.text);
    case 'list':
      return b.items.map((i) => `* ${jiraWikiText(i)}`).join('\n');
    case 'checklist':
      return b.items.map((i) => `* ${i.done ? '(/)' : '(x)'} ${jiraWikiText(i.text)}`).join('\n');
    case 'code':
      return `{noformat}\n${displayText(b.text).replace(/\{noformat\}/gi, '{ noformat}')}\n{noformat}`;
  }
}

export function toJiraWiki(doc: TicketDoc): string {
  return doc.map(wikiBlock).join('\n\n');
}

type AdfNode = Record<string, unknown>;
/** ADF text nodes carry no markup at all; they are still one line and defanged (Jira links bare URLs in some views). */
const text = (t: string, raw = false): AdfNode[] => {
  const s = raw ? displayText(t) : inlineText(t);
  return s === '' ? [] : [{ type: 'text', text: s }];
};
const para = (t: string): AdfNode => ({ type: 'paragraph', content: text(t) });

function adfBlock(b: Block): AdfNode {
  switch (b.kind) {
    case 'heading':
      return { type: 'heading', attrs: { level: 3 }, content: text(b.text) };
    case 'paragraph':
      return para(b.text);
    case 'list':
      return { type: 'bulletList', content: b.items.map((i) => ({ type: 'listItem', content: [para(i)] })) };
    case 'checklist':
      return {
        type: 'bulletList',
        content: b.items.map((i) => ({ type: 'listItem', content: [para(`${i.done ? '☑' : '☐'} ${i.text}`)] })),
      };
    case 'code':
      return { type: 'codeBlock', attrs: b.language ? { language: b.language } : {}, content: text(b.text, true) };
  }
}

/** Atlassian Document Format, version 1. */
export function toAdf(doc: TicketDoc): { type: 'doc'; version: 1; content: AdfNode[] } {
  return { type: 'doc', version: 1, content: doc.map(adfBlock) };
}

/**
 * ServiceNow plain text: one line per value, defanged, and no `[code]…[/code]` pair, which journal fields (work
 * notes, comments) would render as HTML.
 */
export function serviceNowText(s: string): string {
  return inlineText(s).replace(/\[(\/?)code\]/gi, '($1code)');
}

function plainBlock(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return serviceNowText(b.text).toUpperCase();
    case 'paragraph':
      return serviceNowText(b.text);
    case 'list':
      return b.items.map((i) => `- ${serviceNowText(i)}`).join('\n');
    case 'checklist':
      return b.items.map((i) => `[${i.done ? 'x' : ' '}] ${serviceNowText(i.text)}`).join('\n');
    case 'code':
      return displayText(b.text).replace(/\[(\/?)code\]/gi, '($1code)');
  }
}

export function toPlainText(doc: TicketDoc): string {
  return doc.map(plainBlock).join('\n\n');
}

/** At most `max` characters, with an ellipsis when cut (never through a surrogate pair). */
export const truncate = clip;

/** A ticket title (GitHub title, Jira summary, ServiceNow short description): one line, defanged, at most `max` long. */
export function ticketTitle(title: string, max: number): string {
  return truncate(inlineText(title), max);
}
