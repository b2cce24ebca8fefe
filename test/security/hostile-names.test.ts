/**
 * A multi-cloud estate full of hostile strings — in account, subscription and project names, tags and labels,
 * snapshot descriptions, principal and policy names, alert, rule and trail names — scanned through the CLI into
 * every format. Nothing a cloud hands over may become markup, a formula, a live link, a broken table or invalid
 * XML/JSON, and the lab's credentials appear nowhere.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ajvDraft04 from 'ajv-draft-04';
import * as ajvFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Estate } from '../../lab/estate.ts';
import { startLab } from '../../lab/server.ts';
import type { ScanResult } from '../../src/core/model/result.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { parseCsv } from '../support/csv.ts';
import { NOW } from '../support/lab.ts';
import { sharedFixture } from '../support/shared-fixtures.ts';
import { configFile, demoEstate } from '../resilience/support.ts';
import { assertWellFormedXml, markup } from '../support/markup.ts';
import { readWrittenResult } from '../support/result.ts';

const LONG = `long-${'x'.repeat(5000)}`;
/** What every wire can carry (AWS answers in XML 1.0, which cannot hold most C0 controls). */
const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg/onload=alert(1)>',
  '=HYPERLINK("http://evil","x")',
  "+cmd|' /C calc'!A0",
  '@SUM(1)',
  '-2+3',
  '|pipes|',
  '`backticks`',
  '[links](javascript:alert(1))',
  'first line\nsecond line\r\n=third line',
  '\u202Egnp.exe',
  '\ttab-led',
  '\rcr-led',
  LONG,
];
/** JSON wires (Azure, GCP, AWS JSON 1.1) carry control characters too. */
const CONTROL = 'nul\u0000bell\u0007esc\u001b[31mred';

function hostile(i: number): string {
  return HOSTILE[i % HOSTILE.length]!;
}

/** The demo organisation with hostile strings wherever a cloud lets a user write one. */
function hostileEstate(): Estate {
  const e = structuredClone(demoEstate());
  let n = 0;
  const next = () => hostile(n++);
  for (const a of e.aws?.accounts ?? []) {
    a.name = `${a.name} ${next()}`;
    for (const s of a.snapshots) {
      s.tags = { ...s.tags, Name: next(), owner: next(), team: next() };
      if (!s.description || !/^(Created by|\[Copied)/.test(s.description)) s.description = next();
    }
    for (const t of a.trails) t.name = `${t.name}${next()}`;
    for (const r of a.eventRules) {
      r.name = `${r.name}${next()}`;
      r.description = `${next()} ${CONTROL}`;
    }
    a.iam.users.push({
      name: `evil${HOSTILE[0]}`,
      path: '/',
      groups: [],
      inlinePolicies: [
        {
          name: HOSTILE[2]!,
          document: { Version: '2012-10-17', Statement: [{ Sid: 'x', Effect: 'Allow', Action: 'ec2:CreateSnapshot', Resource: '*' }] },
        },
      ],
      managedPolicies: [],
      tags: { owner: HOSTILE[3]! },
    } as never);
  }
  for (const sub of e.azure?.subscriptions ?? []) {
    sub.name = `${sub.name} ${next()}`;
    for (const s of sub.snapshots) s.tags = { ...s.tags, owner: `${next()}`, note: `${next()} ${CONTROL}` };
    for (const al of sub.activityLogAlerts) al.description = `${next()} ${CONTROL}`;
  }
  for (const r of e.azure?.roleDefinitions ?? []) {
    const renamed = `${r.name} ${next()}`;
    for (const a of e.azure?.roleAssignments ?? []) if (a.role === r.name) a.role = renamed;
    r.name = renamed;
  }
  for (const p of e.gcp?.projects ?? []) {
    p.name = `${p.name ?? p.id} ${next()}`;
    for (const s of p.snapshots) {
      s.labels = { ...s.labels, owner: next(), note: `${next()} ${CONTROL}` };
      s.description = next();
    }
    for (const al of p.alertPolicies) al.displayName = `${al.displayName}${next()}`;
    p.iam.push({
      role: 'roles/compute.storageAdmin',
      members: [`user:${HOSTILE[2]}@evil.example`, `user:${HOSTILE[9]}@evil.example`],
    } as never);
  }
  return e;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)]));
}

describe('hostile names, tags and policy text', () => {
  let cwd = '';
  let estateDir = '';
  let out = '';
  let cleanOut = '';
  let texts: Array<{ file: string; text: string }> = [];
  let result: ScanResult;
  let secrets: string[] = [];
  let run: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    cwd = tempDir();
    estateDir = tempDir('snapaudit-hostile-');
    writeFileSync(join(estateDir, 'estate.json'), JSON.stringify(hostileEstate()));
    const config = configFile(cwd);
    const args = (estate: string[], dir: string) => [
      'scan',
      '--demo',
      ...estate,
      '--config',
      config,
      '--no-state',
      '--format',
      'html,csv,md,sarif,ocsf,junit',
      '--fail-on',
      'none',
      '--out',
      dir,
      '--now',
      NOW,
      '--log-format',
      'json',
    ];
    run = await runCli(args(['--estate', estateDir], 'out'), { cwd });
    await runCli(args([], 'clean'), { cwd });
    out = join(cwd, 'out');
    cleanOut = join(cwd, 'clean');
    texts = filesUnder(out).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
    result = readWrittenResult(join(out, 'result.json'));
    const lab = await startLab({ estate: demoEstate() });
    secrets = Object.values(lab.credentials)
      .flatMap((c) => Object.values(c ?? {}))
      .filter((v) => v.length >= 8);
    await lab.close();
  }, 60_000);

  afterAll(() => {
    for (const dir of [cwd, estateDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('scans the hostile estate completely, and the hostile strings are in the result', () => {
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    expect(result.scan.complete).toBe(true);
    const json = JSON.stringify(result);
    for (const h of HOSTILE) expect(json, h.slice(0, 40)).toContain(JSON.stringify(h).slice(1, -1));
    expect(json).toContain(JSON.stringify(CONTROL).slice(1, -1));
  });

  it('HTML: no markup from data — the same elements and attributes as a clean report, the strings as escaped text', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const clean = markup(readFileSync(join(cleanOut, 'report.html'), 'utf8'));
    const dirty = markup(html);
    expect([...dirty.tags.keys()].filter((t) => !clean.tags.has(t))).toEqual([]);
    expect([...dirty.attributes].filter((a) => !clean.attributes.has(a))).toEqual([]);
    expect(dirty.tags.get('script')).toBe(clean.tags.get('script'));
    expect(html).not.toMatch(/<script>alert|<img src=x|<svg\/onload|(href|src|action)\s*=\s*["']?\s*javascript:/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  });

  it('CSV: every file parses, and no cell starts with = + - @ tab or CR', () => {
    const csvs = texts.filter((t) => t.file.endsWith('.csv'));
    expect(csvs.length).toBeGreaterThan(3);
    for (const { file, text } of csvs) {
      const rows = parseCsv(text);
      const width = rows[0]?.length;
      for (const [i, row] of rows.entries()) {
        expect(row.length, `${file} row ${i}`).toBe(width);
        for (const cell of row) expect(cell, `${file} row ${i}: ${cell.slice(0, 60)}`).not.toMatch(/^[=+\-@\t\r]/);
      }
    }
    const all = csvs.map((c) => c.text).join('\n');
    expect(all).toContain(`'=HYPERLINK`);
    expect(all).toContain(`'-2+3`);
  });

  it('Markdown: no raw HTML, no live javascript: links, tables keep their shape', () => {
    for (const { file, text } of texts.filter((t) => t.file.endsWith('.md'))) {
      expect(text, file).not.toMatch(/<(script|img|svg)/i);
      expect(text, file).not.toMatch(/\]\(javascript:/i);
      const cleanText = readFileSync(join(cleanOut, file.slice(out.length + 1)), 'utf8');
      expect(text.split('<').length, `${file}: raw "<"`).toBe(cleanText.split('<').length);
      expect(text, file).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
      let width: number | null = null;
      for (const line of text.split('\n')) {
        if (!line.startsWith('|')) {
          width = null;
          continue;
        }
        const cells = line.replace(/\\\|/g, '').split('|').length;
        width ??= cells;
        expect(cells, `${file}: ${line.slice(0, 120)}`).toBe(width);
      }
    }
  });

  it('JUnit is well-formed XML; SARIF validates against its schema; OCSF and JSON parse', () => {
    const junit = texts.filter((t) => t.file.endsWith('.xml'));
    expect(junit.length).toBeGreaterThan(0);
    for (const { text } of junit) assertWellFormedXml(text);
    const sarif = JSON.parse(readFileSync(join(out, texts.find((t) => t.file.endsWith('.sarif'))!.file.slice(out.length + 1)), 'utf8'));
    const schema = JSON.parse(readFileSync(sharedFixture('sarif', 'sarif-schema-2.1.0.json'), 'utf8'));
    type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };
    const Ajv04 = ajvDraft04.default as unknown as new (opts: object) => { compile(schema: object): Validate };
    const addFormats = ajvFormats.default as unknown as (ajv: unknown) => void;
    const ajv = new Ajv04({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    for (const { file, text } of texts.filter((t) => t.file.endsWith('.json'))) expect(() => JSON.parse(text), file).not.toThrow();
  });

  it('bidirectional overrides cannot reorder what a reader sees (Trojan Source): shown as a visible marker', () => {
    for (const { file, text } of texts.filter((t) => /\.(html|md|csv)$/.test(t.file))) {
      expect(text, file).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    }
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('[U+202E]gnp.exe');
  });

  it('the lab credentials appear in no output file, log line or summary', () => {
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      for (const { file, text } of texts) expect(text.includes(secret), file).toBe(false);
      expect(run.stdout.includes(secret)).toBe(false);
      expect(run.stderr.includes(secret)).toBe(false);
    }
  });
});
