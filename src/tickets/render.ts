/**
 * One ticket body, four notations: Markdown (GitHub, webhook), Jira wiki markup (Data Center, REST v2), Atlassian
 * Document Format (Jira Cloud, REST v3) and plain text (ServiceNow). Finding text comes from the clouds (snapshot
 * names, tags) and is escaped for each notation, so it can never become markup, a mention or a link.
 */
import type { Block, TicketDoc } from './model.ts';

const mdSpecial = /[\\`*_{}[\]<>()#+!|~@]/g;
export const escapeMarkdown = (s: string) => s.replace(mdSpecial, '\\$&');

function mdBlock(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `### ${escapeMarkdown(b.text)}`;
    case 'paragraph':
      return escapeMarkdown(b.text);
    case 'list':
      return b.items.map((i) => `- ${escapeMarkdown(i)}`).join('\n');
    case 'checklist':
      return b.items.map((i) => `- [${i.done ? 'x' : ' '}] ${escapeMarkdown(i.text)}`).join('\n');
    case 'code': {
      const fence = b.text.includes('```') ? '~~~~' : '```';
      return `${fence}${b.language ?? ''}\n${b.text}\n${fence}`;
    }
  }
}

export function toMarkdown(doc: TicketDoc): string {
  return `${doc.map(mdBlock).join('\n\n')}\n`;
}

const wikiSpecial = /[\\{}[\]|*_^~!]/g;
const escapeWiki = (s: string) => s.replace(wikiSpecial, '\\$&');

function wikiBlock(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `h3. ${escapeWiki(b.text)}`;
    case 'paragraph':
      return escapeWiki(b.text);
    case 'list':
      return b.items.map((i) => `* ${escapeWiki(i)}`).join('\n');
    case 'checklist':
      return b.items.map((i) => `* ${i.done ? '(/)' : '(x)'} ${escapeWiki(i.text)}`).join('\n');
    case 'code':
      return `{noformat}\n${b.text.replace(/\{noformat\}/g, '{ noformat}')}\n{noformat}`;
  }
}

export function toJiraWiki(doc: TicketDoc): string {
  return doc.map(wikiBlock).join('\n\n');
}

type AdfNode = Record<string, unknown>;
const text = (t: string): AdfNode[] => (t === '' ? [] : [{ type: 'text', text: t }]);
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
      return { type: 'codeBlock', attrs: b.language ? { language: b.language } : {}, content: text(b.text) };
  }
}

/** Atlassian Document Format, version 1. */
export function toAdf(doc: TicketDoc): { type: 'doc'; version: 1; content: AdfNode[] } {
  return { type: 'doc', version: 1, content: doc.map(adfBlock) };
}

function plainBlock(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return b.text.toUpperCase();
    case 'paragraph':
      return b.text;
    case 'list':
      return b.items.map((i) => `- ${i}`).join('\n');
    case 'checklist':
      return b.items.map((i) => `[${i.done ? 'x' : ' '}] ${i.text}`).join('\n');
    case 'code':
      return b.text;
  }
}

export function toPlainText(doc: TicketDoc): string {
  return doc.map(plainBlock).join('\n\n');
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
