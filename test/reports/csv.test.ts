import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../reports/csv.ts';
import { csvField } from '../../reports/escape.ts';
import type { ScanResult } from '../../src/core/model/result.ts';
import { HOSTILE } from '../fixtures/build-multi-cloud-result.ts';
import { parseCsv } from '../support/csv.ts';
import { catalogue } from '../../checks/index.ts';

const result: ScanResult = JSON.parse(readFileSync(new URL('../fixtures/multi-cloud-result.json', import.meta.url), 'utf8'));
const files = Object.fromEntries(
  renderCsv(result, { trend: null, frameworks: ['cis-aws'], checks: catalogue }).map((f) => [f.name, String(f.content)]),
);

describe('CSV exports', () => {
  it('writes findings, snapshots, principals, coverage and the requested framework', () => {
    expect(Object.keys(files).sort()).toEqual(['coverage.csv', 'findings.csv', 'framework-cis-aws.csv', 'principals.csv', 'snapshots.csv']);
  });

  for (const name of ['findings.csv', 'snapshots.csv', 'principals.csv', 'coverage.csv', 'framework-cis-aws.csv']) {
    it(`${name} is RFC 4180 with a rectangular shape and no cell a spreadsheet would run as a formula`, () => {
      const rows = parseCsv(files[name]!);
      expect(rows.length).toBeGreaterThan(1);
      for (const r of rows) expect(r).toHaveLength(rows[0]!.length);
      for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    });
  }

  it('keeps hostile values readable: a leading apostrophe, the rest verbatim', () => {
    const snapshots = parseCsv(files['snapshots.csv']!);
    const header = snapshots[0]!;
    const byName = (v: string) => snapshots.find((r) => r[header.indexOf('name')] === v);
    expect(byName(`'${HOSTILE.formula}`)).toBeDefined();
    expect(byName(HOSTILE.html)).toBeDefined();
    const row = byName(`'${HOSTILE.formula}`)!;
    expect(row[header.indexOf('owner')]).toBe(`'${HOSTILE.atFormula}`);
    expect(row[header.indexOf('description')]).toBe(HOSTILE.markdown);
    const findings = parseCsv(files['findings.csv']!);
    const fh = findings[0]!;
    expect(findings.some((r) => r[fh.indexOf('suppression_reason')] === `accepted: ${HOSTILE.formula}`)).toBe(true);
    expect(findings.some((r) => r[fh.indexOf('owner')] === `'${HOSTILE.atFormula}`)).toBe(true);
  });

  it('guards every formula trigger and quotes per RFC 4180', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tx')).toBe(`"'\tx"`);
    expect(csvField('\rx')).toBe(`"'\rx"`);
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField(-1)).toBe('-1');
    expect(csvField(null)).toBe('');
    expect(csvField(true)).toBe('true');
  });

  // OWASP CSV injection: https://owasp.org/www-community/attacks/CSV_Injection
  it('guards formulas after leading spaces or semicolons, and in fullwidth and small forms', () => {
    expect(csvField(' =1+1')).toBe("' =1+1");
    expect(csvField(';=1+1')).toBe(`"';=1+1"`);
    expect(csvField(' ; @SUM(A1)')).toBe(`"' ; @SUM(A1)"`);
    expect(csvField('\n=1+1')).toBe(`"'\n=1+1"`);
    for (const c of ['＝', '＋', '－', '＠', '﹦', '﹢', '﹣', '﹫']) expect(csvField(`${c}1+1`)).toBe(`'${c}1+1`);
    expect(csvField('safe = 1')).toBe('safe = 1');
    expect(csvField('2026-11-26')).toBe('2026-11-26');
  });

  it('quotes a semicolon or tab inside a field, so a file opened with that separator still sees one cell', () => {
    expect(csvField('name;=HYPERLINK("http://evil")')).toBe('"name;=HYPERLINK(""http://evil"")"');
    expect(csvField('a\t=1')).toBe('"a\t=1"');
  });

  it('one principals row per grant, with the grant path', () => {
    const rows = parseCsv(files['principals.csv']!);
    const h = rows[0]!;
    const mallory = rows.filter((r) => r[h.indexOf('principal_name')] === 'mallory');
    expect(mallory).toHaveLength(2);
    expect(mallory[0]![h.indexOf('grant_path')]).toContain('policy:PowerUserAccess');
  });

  it('one coverage row per scope-region, unread regions as unknown', () => {
    const rows = parseCsv(files['coverage.csv']!);
    const h = rows[0]!;
    const partial = rows.find((r) => r[h.indexOf('scope_id')] === '222222222222' && r[h.indexOf('region')] === 'eu-west-1')!;
    expect(partial[h.indexOf('recorded')]).toBe('unknown');
    const failed = rows.find((r) => r[h.indexOf('scope_id')] === '333333333333')!;
    expect(failed[h.indexOf('read_status')]).toBe('failed');
  });
});
