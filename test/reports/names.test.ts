/**
 * Identities people recognise in the reports (issue #17): the demo's reports name what has a name — principals the
 * directory named, roles, scopes — and give the id beside it ("Name (id)") or on hover (a title attribute), never a
 * bare GUID where a name exists; the CSV keeps both columns.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/core/model/result.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { readWrittenResult } from '../support/result.ts';

const T1 = '2026-11-26T02:15:00.000Z';
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** GUID (lower case) → the name the scan read for it: principals a directory named, roles, scopes. */
function namesOf(result: ScanResult): Map<string, string> {
  const names = new Map<string, string>();
  const add = (id: string, name: string | null | undefined) => {
    const guid = id.match(GUID)?.at(-1)?.toLowerCase();
    if (guid && name && !GUID.test(name)) names.set(guid, name);
    GUID.lastIndex = 0;
  };
  for (const s of result.scopes) {
    add(s.scope.id, s.scope.name);
    for (const p of s.principals) {
      if (p.name !== p.id) add(p.id, p.name);
      for (const g of p.grants) for (const step of g.path) if (step.kind === 'role') add(step.id, step.label?.replace(/ \(custom\)$/, ''));
    }
  }
  return names;
}

/** What a reader sees of an HTML page: no scripts, styles, tags or attributes; entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Every GUID in `text` that has a name but is not shown right after it ("Name (GUID)"), with its context. */
function bare(text: string, names: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(GUID)) {
    const name = names.get(m[0].toLowerCase());
    if (!name) continue;
    const i = m.index ?? 0;
    if (text.slice(Math.max(0, i - name.length - 2), i) !== `${name} (`)
      out.push(`${m[0]} (${name}): …${text.slice(Math.max(0, i - 60), i + 40)}…`);
  }
  return out;
}

describe('names first in the demo reports', { timeout: 240_000 }, () => {
  it('shows no bare GUID where a name exists, in HTML and Markdown; the CSV keeps id and name', async () => {
    const cwd = tempDir();
    const run = await runCli(['scan', '--demo', '--no-state', '--now', T1, '--out', 'out', '--format', 'json,html,md,csv', '--quiet'], {
      cwd,
    });
    expect(run.code, run.stderr).toBe(0);
    const result = readWrittenResult(join(cwd, 'out', 'result.json')) as ScanResult;
    const names = namesOf(result);
    // The directory named the demo's Azure principals, and custom roles have names: there is something to check.
    expect(names.get('a11ce000-0000-4000-8000-000000000001')).toBe('Alice Martin');
    expect(names.get('5a0b0000-0000-4000-8000-00000000c0de')).toBe('Snapshot Operator');

    const html = readFileSync(join(cwd, 'out', 'report.html'), 'utf8');
    expect(bare(visibleText(html), names)).toEqual([]);
    // The id is still there for whoever needs it: on hover.
    expect(html).toContain('title="a11ce000-0000-4000-8000-000000000001"');
    const md = readFileSync(join(cwd, 'out', 'summary.md'), 'utf8');
    expect(bare(md.replace(/\\/g, ''), names)).toEqual([]);

    const csv = readFileSync(join(cwd, 'out', 'principals.csv'), 'utf8').split(/\r?\n/);
    const header = csv[0]?.split(',') ?? [];
    expect(header).toEqual(expect.arrayContaining(['principal_id', 'principal_name']));
    const alice = csv.find((l) => l.includes('a11ce000-0000-4000-8000-000000000001'))?.split(',') ?? [];
    expect(alice[header.indexOf('principal_name')]).toBe('Alice Martin');
  });
});
