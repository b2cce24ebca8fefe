import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from '../../reports/escape.ts';
import { renderMarkdownSummary } from '../../reports/markdown.ts';
import type { ScanResult } from '../../src/core/model/result.ts';
import { HOSTILE } from '../fixtures/build-multi-cloud-result.ts';
import { catalogue } from '../../checks/index.ts';

const result: ScanResult = JSON.parse(readFileSync(new URL('../fixtures/multi-cloud-result.json', import.meta.url), 'utf8'));
const md = renderMarkdownSummary(result, { trend: null, frameworks: [], checks: catalogue });

describe('Markdown summary', () => {
  it('fits a pull-request comment', () => {
    expect(md.length).toBeLessThan(65_000);
    expect(md).toMatch(/^## snapaudit/);
  });

  it('keeps every table row intact whatever the names contain (pipes, backticks, HTML, mentions)', () => {
    for (const table of md.split('\n\n').filter((b) => b.startsWith('|'))) {
      const rows = table.split('\n');
      const cells = (r: string) => r.replace(/\\\|/g, '').split('|').length;
      for (const r of rows) expect(cells(r), r).toBe(cells(rows[0]!));
    }
    expect(md).not.toContain(HOSTILE.html);
    expect(md).not.toContain('<script>');
    expect(md).not.toMatch(/(^|[^\\])`rm -rf/);
    expect(md).not.toContain('@channel');
    expect(md).not.toMatch(/[^\\]\[link\]\(/);
  });

  it('escapes markdown syntax but keeps text readable', () => {
    expect(escapeMarkdown('a|b')).toBe('a\\|b');
    expect(escapeMarkdown('`x`')).toBe('\\`x\\`');
    expect(escapeMarkdown('<img src=x>')).toBe('&lt;img src=x&gt;');
    expect(escapeMarkdown('@team #12')).toBe('\\[@\\]team \\[\\#\\]12');
    expect(escapeMarkdown('see https://evil.example or alice@corp.example')).toBe(
      'see hxxps://evil\\[.\\]example or alice@corp\\[.\\]example',
    );
    expect(escapeMarkdown('1. item')).toBe('1\\. item');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('two\nlines')).toBe('two lines');
    expect(escapeMarkdown('eu-west-1 2026-11-26T00:00:00.000Z')).toBe('eu-west-1 2026-11-26T00:00:00.000Z');
  });

  it('answers the three questions and names what could not be read', () => {
    expect(md).toContain(
      '| **Would we see it?** (recorded and alerted) | 12.5% of 8 scope-regions record snapshot creation and alert on it; 5 record it (62.5%)',
    );
    expect(md).toContain(
      '| **Who could do it?** | 6 principals can create, copy, share, export or restore snapshots; 4 outside the baseline, 2 reachable by an external identity |',
    );
    expect(md).toContain('| **What exists?** | 7 items: 7 snapshots |');
    expect(md).toContain('| **What is exposed?** | 2 public (+1 unknown), 3 shared outside the organisation |');
    expect(md).toContain('No previous scan');
    expect(md).toContain('### Blind spots');
    expect(md).toContain('sandbox (333333333333): failed');
    expect(md).toContain('2 suppressed finding(s)');
    expect(md).toMatch(/1\. \*\*critical\*\* · \*\*No snapshot is public\*\*/);
  });
});
