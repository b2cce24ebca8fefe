import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.ts';
import { NOW } from '../support/lab.ts';

const fixture = fileURLToPath(new URL('../fixtures/multi-cloud-result.json', import.meta.url));

describe('snapaudit report --from', () => {
  it('re-renders an earlier result in every format with a framework view, offline', async () => {
    const cwd = tempDir();
    copyFileSync(fixture, join(cwd, 'result.json'));
    const run = await runCli(
      ['report', '--from', 'result.json', '--format', 'html,csv,md,sarif,ocsf,junit', '--out', 'out', '--framework', 'cis-aws,nist-800-53'],
      { cwd },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(readdirSync(join(cwd, 'out')).sort()).toEqual(
      [
        'coverage.csv',
        'findings.csv',
        'findings.ocsf.json',
        'framework-cis-aws.csv',
        'framework-cis-aws.md',
        'framework-nist-800-53.csv',
        'framework-nist-800-53.md',
        'junit.xml',
        'principals.csv',
        'report.html',
        'results.sarif',
        'snapshots.csv',
        'summary.md',
      ].sort(),
    );
    expect(run.stdout).toMatch(/wrote 13 file\(s\)/);
    expect(readFileSync(join(cwd, 'out', 'report.html'), 'utf8')).toContain('id="framework-nist-800-53"');
  });

  it('writes every format but json by default', async () => {
    const cwd = tempDir();
    const run = await runCli(['report', '--from', fixture, '--out', 'out', '--quiet'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(readdirSync(join(cwd, 'out'))).toEqual(
      expect.arrayContaining(['report.html', 'summary.md', 'results.sarif', 'findings.ocsf.json', 'junit.xml', 'findings.csv']),
    );
    expect(existsSync(join(cwd, 'out', 'result.json'))).toBe(false);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['not JSON', '{"schemaVersion": "2.0.0",', /not valid JSON/],
    [
      'another schema version',
      JSON.stringify({ schemaVersion: '0.9.0' }),
      /schemaVersion "0\.9\.0" is not one this version reads \(2\.0\.0, 3\.0\.0, 4\.0\.0\)/,
    ],
    [
      'a result missing fields',
      JSON.stringify({ schemaVersion: '4.0.0', tool: { name: 'snapaudit', version: '0.1.0' } }),
      /does not match schema\/scan-result\.schema\.json: scan: /,
    ],
  ];
  for (const [what, content, message] of bad) {
    it(`rejects ${what}: exit 2, one clear message, nothing written`, async () => {
      const cwd = tempDir();
      writeFileSync(join(cwd, 'bad.json'), content);
      const run = await runCli(['report', '--from', 'bad.json', '--out', 'out'], { cwd });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(join(cwd, 'out'))).toBe(false);
    });
  }

  it('rejects a missing file, an unknown format and an unknown framework with exit 2', async () => {
    const cwd = tempDir();
    expect((await runCli(['report', '--from', 'nope.json'], { cwd })).stderr).toMatch(/cannot read the file \(ENOENT\)/);
    const fmt = await runCli(['report', '--from', fixture, '--format', 'pdf', '--out', 'out'], { cwd });
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toMatch(/--format: unknown value "pdf"/);
    const fw = await runCli(['report', '--from', fixture, '--framework', 'pci', '--out', 'out'], { cwd });
    expect(fw.code).toBe(2);
    expect(fw.stderr).toMatch(/--framework: unknown value "pci".*cis-aws/);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
    expect((await runCli(['report'], { cwd })).code).toBe(2);
  });
});

describe('snapaudit scan --format / --framework', () => {
  it('writes every format and the framework files from the demo scan in one go', async () => {
    const cwd = tempDir();
    const run = await runCli(
      ['scan', '--demo', '--out', 'out', '--now', NOW, '--format', 'html,csv,md,sarif,ocsf,junit', '--framework', 'cis-aws'],
      { cwd },
    );
    expect(run.code).toBe(0);
    const files = readdirSync(join(cwd, 'out'));
    expect(files).toEqual(
      expect.arrayContaining([
        'result.json',
        'report.html',
        'summary.md',
        'results.sarif',
        'findings.ocsf.json',
        'junit.xml',
        'framework-cis-aws.csv',
        'framework-cis-aws.md',
      ]),
    );
    // The same result re-rendered offline gives the same report.
    const again = await runCli(['report', '--from', 'out/result.json', '--out', 'again', '--format', 'html,md', '--framework', 'cis-aws'], {
      cwd,
    });
    expect(again.code).toBe(0);
    expect(readFileSync(join(cwd, 'again', 'report.html'), 'utf8')).toBe(readFileSync(join(cwd, 'out', 'report.html'), 'utf8'));
  });

  it('rejects an unknown framework before scanning', async () => {
    const cwd = tempDir();
    const run = await runCli(['scan', '--demo', '--out', 'out', '--framework', 'sox'], { cwd });
    expect(run.code).toBe(2);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });
});
