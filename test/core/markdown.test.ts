/**
 * Cloud text in GitHub-flavoured Markdown, rendered by cmark-gfm (what GitHub runs): in every position a value can
 * take — paragraph, list item, heading, table cell — it renders as text only.
 */
import { describe, expect, it } from 'vitest';
import { defang } from '../../src/core/defang.ts';
import { markdownCodeBlock, markdownText } from '../../src/core/markdown.ts';
import { renderGfm, tagCounts } from '../support/gfm.ts';
import { ALL, MARKUP } from '../support/hostile.ts';

const contexts: Array<{ name: string; wrap: (s: string) => string; tags: Record<string, number> }> = [
  { name: 'paragraph', wrap: (s) => s, tags: { p: 1 } },
  { name: 'list item', wrap: (s) => `- ${s}`, tags: { ul: 1, li: 1 } },
  { name: 'checklist item', wrap: (s) => `- [ ] ${s}`, tags: { ul: 1, li: 1, input: 1 } },
  { name: 'heading', wrap: (s) => `### ${s}`, tags: { h3: 1 } },
  {
    name: 'table cell',
    wrap: (s) => `| a | b |\n| --- | --- |\n| ${s} | z |`,
    tags: { table: 1, thead: 1, tbody: 1, tr: 2, th: 2, td: 2 },
  },
];

describe('Markdown text from a cloud', () => {
  for (const ctx of contexts) {
    it(`renders as text only in a ${ctx.name}: no link, image, raw HTML, extra list item, heading or cell`, () => {
      for (const h of ALL) {
        const html = renderGfm(ctx.wrap(markdownText(h)));
        expect(Object.fromEntries(tagCounts(html)), `${JSON.stringify(h)} → ${html}`).toEqual(ctx.tags);
      }
    });
  }

  it('keeps the words readable', () => {
    const html = renderGfm(markdownText('see https://evil.example/x and alice@corp.example, @team #12'));
    expect(html).toBe('<p>see hxxps://evil[.]example/x and alice@corp[.]example, [@]team [#]12</p>\n');
  });

  it('code blocks: a fence longer than any backtick run in the text, so nothing inside can close it', () => {
    const text = 'a ``` b ```` c\n```\n<script>';
    const html = renderGfm(`${markdownCodeBlock(text, 'json')}\n\nafter`);
    expect(tagCounts(html).get('pre')).toBe(1);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toMatch(/<p>after<\/p>/);
  });
});

describe('defang', () => {
  it.each([
    ['https://evil.example/x', 'hxxps://evil[.]example/x'],
    ['HTTP://Evil.Example', 'HxxP://Evil[.]Example'],
    ['ftp://evil.example', 'fxp://evil[.]example'],
    ['ssh://git@evil.example', 'ssh[:]//git[@]evil[.]example'],
    ['http://user:pw@evil.example:8080/p', 'hxxp://user[:]pw[@]evil[.]example[:]8080/p'],
    ['www.evil.example', 'www[.]evil[.]example'],
    ['_www.evil.example_', '_www[.]evil[.]example_'],
    ['alice@corp.example', 'alice@corp[.]example'],
    ['mailto:a@b.example', 'mailto[:]a@b[.]example'],
    ['xmpp:a@b.example', 'xmpp[:]a@b[.]example'],
    ['javascript:alert(1)', 'javascript[:]alert(1)'],
    ['@alice and @org/team', '[@]alice and [@]org/team'],
    ['fixes #12, o/r#3, GH-7', 'fixes [#]12, o/r[#]3, GH[-]7'],
    ['arn:aws:iam::123456789012:role/x', 'arn:aws:iam::123456789012:role/x'],
    ['snapshots.public in eu-west-1', 'snapshots.public in eu-west-1'],
  ])('%s → %s', (input, output) => {
    expect(defang(input)).toBe(output);
  });

  it('no defanged text autolinks in cmark-gfm', () => {
    for (const h of MARKUP) expect(renderGfm(defang(h).replace(/[[\]\\]/g, '\\$&')), h).not.toContain('<a ');
  });
});
