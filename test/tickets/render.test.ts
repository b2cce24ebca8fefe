/**
 * Ticket bodies per notation with hostile cloud text in every block kind. GFM is rendered by cmark-gfm (what
 * GitHub runs) and must have exactly the structure of the same document with harmless text; Jira wiki, ADF and
 * ServiceNow text are checked against each notation's own special characters.
 */
import { describe, expect, it } from 'vitest';
import type { TicketDoc } from '../../src/tickets/model.ts';
import { jiraWikiText, serviceNowText, ticketTitle, toAdf, toJiraWiki, toMarkdown, toPlainText } from '../../src/tickets/render.ts';
import { renderGfm, tagCounts } from '../support/gfm.ts';
import { ALL, MARKUP, RAW_TERMINAL_CONTROL } from '../support/hostile.ts';

const docWith = (t: string): TicketDoc => [
  { kind: 'heading', text: t },
  { kind: 'paragraph', text: t },
  { kind: 'list', items: [t, `Owner: ${t}`] },
  {
    kind: 'checklist',
    items: [
      { text: t, done: false },
      { text: `${t} — resolved`, done: true },
    ],
  },
  { kind: 'code', language: 'json', text: JSON.stringify({ name: t }, null, 2) },
];

/** Linky text a renderer, mail client or chat integration could turn into a link or a ping. */
const LINKY = /(https?|ftp):\/\/|www\.|mailto:|xmpp:|javascript:|(^|[^\w[])@\w|#\d|\w@\w+\.\w/i;

describe('ticket bodies', () => {
  it('GitHub Markdown: the same elements as with harmless text, no link, image or raw HTML', () => {
    const clean = Object.fromEntries(tagCounts(renderGfm(toMarkdown(docWith('harmless')))));
    for (const h of ALL) {
      const html = renderGfm(toMarkdown(docWith(h)));
      expect(Object.fromEntries(tagCounts(html)), `${JSON.stringify(h)}\n${html}`).toEqual(clean);
    }
  });

  it('Jira wiki: every special character escaped, no line break, no forced break, no link, mention, image or heading', () => {
    for (const h of ALL) {
      const w = jiraWikiText(h);
      expect(w, h).not.toMatch(/\n|\r/);
      // Jira un-escapes these after a backslash; unescaped, each starts markup (effects, lists, tables, links, macros).
      expect(w.replace(/\\[-#*_+?^~|%{}[\]()!@]/g, ''), h).not.toMatch(/[-#*_+?^~|%{}[\]()!@]/);
      expect(w, h).not.toMatch(/\\\\|\\$/);
      expect(w, h).not.toMatch(/^(h[1-6]|bq)\./i);
      expect(w, h).not.toMatch(/:[PpDd]/);
      expect(w.replace(/\\/g, ''), h).not.toMatch(LINKY);
    }
    const wiki = toJiraWiki(docWith(MARKUP[8]!));
    expect(wiki.split('\n').filter((l) => l.startsWith('* ')).length).toBe(4);
    expect(wiki).not.toMatch(/^(#|h1\.|\|)/m);
  });

  it('Jira wiki code blocks cannot be closed from inside', () => {
    const wiki = toJiraWiki([{ kind: 'code', text: 'a {noformat} b {NOFORMAT} c' }]);
    expect(wiki.match(/\{noformat\}/gi)).toHaveLength(2);
  });

  it('Atlassian Document Format: text nodes only, each one line and defanged', () => {
    for (const h of ALL) {
      const adf = toAdf(docWith(h));
      const texts: string[] = [];
      const walk = (n: Record<string, unknown>) => {
        expect(['doc', 'heading', 'paragraph', 'bulletList', 'listItem', 'codeBlock', 'text']).toContain(n.type);
        expect(n.marks, h).toBeUndefined();
        if (n.type === 'text') texts.push(String(n.text));
        for (const c of (n.content as Record<string, unknown>[] | undefined) ?? []) walk(c);
      };
      walk(adf as unknown as Record<string, unknown>);
      const prose = texts.slice(0, -1);
      for (const t of prose) {
        expect(t, h).not.toMatch(/\n|\r/);
        expect(t, h).not.toMatch(LINKY);
        expect(t, h).not.toMatch(RAW_TERMINAL_CONTROL);
      }
    }
  });

  it('ServiceNow: one line per value, defanged, no [code] HTML passthrough', () => {
    for (const h of ALL) {
      const t = serviceNowText(h);
      expect(t, h).not.toMatch(/\n|\r/);
      expect(t, h).not.toMatch(/\[\/?code\]/i);
      expect(t, h).not.toMatch(LINKY);
    }
    const plain = toPlainText(docWith(MARKUP[8]!));
    expect(plain.split('\n').filter((l) => l.startsWith('- ')).length).toBe(2);
    expect(plain).not.toMatch(/\[\/?code\]/i);
  });

  it('titles: one line, defanged, cut to length', () => {
    expect(ticketTitle('[snapaudit] HIGH snap https://evil.example\n- x', 40)).toBe('[snapaudit] HIGH snap hxxps://evil[.]ex…');
    for (const h of ALL) expect(ticketTitle(h, 250), h).not.toMatch(/\n|\r|https?:\/\//);
  });
});
