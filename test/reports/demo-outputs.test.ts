/**
 * The demo as a new user meets it (issue #21): it looks like a real organisation, two runs minutes apart diff clean,
 * a config given with --demo keeps the demo's organisation and exit code and adds its own suppressions — and what
 * those suppressions did (muted, expired and open again) reaches every written report and the terminal.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/core/model/result.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { readWrittenResult } from '../support/result.ts';

const T1 = '2026-11-26T02:15:00.000Z';
/** Seven minutes and some seconds later, the same day. */
const T2 = '2026-11-26T02:22:41.000Z';

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
  return out;
}

/** A config with one suppression still running and one that expired the day before the scan. */
const SUPPRESSIONS = `version: 1
providers:
  aws: {}
  azure: {}
  gcp: {}
suppressions:
  - check: snapshots.public
    scope: "gcp:*"
    reason: Public marketing image, reviewed
    owner: cloud-security
    expires: "2027-06-30"
  - check: snapshots.shared-outside-org
    scope: "aws:*"
    reason: Vendor migration
    owner: platform-team
    expires: "2026-11-25"
`;

// Each test runs one to three demo scans end to end: under a loaded machine that takes longer than one scan's budget.
describe('the demo organisation', { timeout: 240_000 }, () => {
  it('has realistic names: no markup, control characters or script links anywhere in what it serves', async () => {
    const cwd = tempDir();
    const run = await runCli(['scan', '--demo', '--no-state', '--now', T1, '--out', 'out', '--format', 'json,md', '--quiet'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    const result = readWrittenResult(join(cwd, 'out', 'result.json')) as ScanResult;
    const hostile = strings(result.scopes).filter((s) =>
      /[<>\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]|javascript:/.test(s),
    );
    expect(hostile).toEqual([]);
    const summary = readFileSync(join(cwd, 'out', 'summary.md'), 'utf8');
    expect(summary).not.toMatch(/&lt;|onerror/);

    // result.json writes each finding once (jq '[.findings[], .scopes[].findings[]] | length'): the top level holds
    // those of no scope, each scope its own; re-rendering counts each once.
    const scoped = result.scopes.flatMap((s) => s.findings).map((f) => f.fingerprint);
    expect(scoped.length).toBeGreaterThan(50);
    expect(result.findings.filter((f) => scoped.includes(f.fingerprint))).toEqual([]);
    const every = [...result.findings, ...result.scopes.flatMap((s) => s.findings)].map((f) => f.fingerprint);
    expect(new Set(every).size).toBe(every.length);
    const again = await runCli(['report', '--from', 'out/result.json', '--out', 'again', '--format', 'md', '--quiet'], { cwd });
    expect(again.code, again.stderr).toBe(0);
    const openRow = (md: string) => /^\| Open findings \| .* \|$/m.exec(md)![0];
    expect(openRow(readFileSync(join(cwd, 'again', 'summary.md'), 'utf8'))).toBe(openRow(summary));
  });

  it('two runs minutes apart on the same day diff clean: no new, resolved or evidence-changed finding', async () => {
    const cwd = tempDir();
    for (const now of [T1, T2]) {
      const run = await runCli(['scan', '--demo', '--now', now, '--out', 'out', '--quiet'], { cwd });
      expect(run.code, run.stderr).toBe(0);
    }
    const diff = await runCli(['diff', '--json'], { cwd });
    expect(diff.code, diff.stderr).toBe(0);
    const d = JSON.parse(diff.stdout) as { findings: Record<string, Array<{ evidenceChanged?: boolean }>> };
    expect(d.findings.new).toEqual([]);
    expect(d.findings.resolved).toEqual([]);
    expect(d.findings.unchanged!.length).toBeGreaterThan(50);
    expect(d.findings.unchanged!.filter((f) => f.evidenceChanged)).toEqual([]);
  });

  it('--demo with --config: the same organisation (AWS as an organisation) and exit code as --demo, with the config suppressions applied', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'suppress.yaml'), SUPPRESSIONS);
    const plain = await runCli(['scan', '--demo', '--no-state', '--now', T1, '--out', 'plain', '--quiet'], { cwd });
    const withConfig = await runCli(
      ['scan', '--demo', '--config', 'suppress.yaml', '--no-state', '--now', T1, '--out', 'out', '--format', 'json,md,html'],
      { cwd },
    );
    expect(withConfig.code, withConfig.stderr).toBe(plain.code);
    expect(withConfig.code).toBe(0);
    const read = (dir: string) => readWrittenResult(join(cwd, dir, 'result.json')) as ScanResult;
    expect(read('out').scopes.map((s) => s.scope.id)).toEqual(read('plain').scopes.map((s) => s.scope.id));
    expect(read('out').scan.providers).toEqual(['aws', 'azure', 'gcp']);

    // A config that names fewer clouds scans those (AWS still as an organisation) and says what it left out.
    writeFileSync(join(cwd, 'aws-only.yaml'), 'version: 1\nproviders:\n  aws: {}\n');
    const awsOnly = await runCli(['scan', '--demo', '--config', 'aws-only.yaml', '--no-state', '--now', T1, '--out', 'aws'], { cwd });
    expect(awsOnly.code, awsOnly.stderr).toBe(0);
    expect(awsOnly.stderr).toContain('lab: the estate also holds azure, gcp, not scanned: the config (or --provider) leaves them out');
    expect(read('aws').scopes.map((s) => s.scope.id)).toEqual(
      read('plain')
        .scopes.filter((s) => s.scope.provider === 'aws')
        .map((s) => s.scope.id),
    );

    // Expired suppressions: said on the terminal, in summary.md and in the HTML report.
    expect(withConfig.stdout).toMatch(/^suppressions expired: (\d+) finding\(s\) open again$/m);
    const expired = Number(/^suppressions expired: (\d+)/m.exec(withConfig.stdout)![1]);
    expect(expired).toBeGreaterThan(0);
    const md = readFileSync(join(cwd, 'out', 'summary.md'), 'utf8');
    expect(md).toMatch(
      new RegExp(
        `\\| Suppressions \\| \\d+ suppressed \\(accepted, not counted\\) · ${expired} open again: suppression expired \\(counted\\) \\|`,
      ),
    );
    expect(md).toContain('### Suppressions that expired');
    expect(md).toContain(`${expired} finding(s) open again because their suppression expired`);
    const html = readFileSync(join(cwd, 'out', 'report.html'), 'utf8');
    expect(html).toContain(`${expired} open again: their suppression expired`);
    expect(html).toMatch(/<td><span class="badge status-openagain">open again<\/span><\/td>/);
  });

  it('--format json --no-state (the streamed result) still names the expired suppressions on the terminal', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'suppress.yaml'), SUPPRESSIONS);
    const run = await runCli(
      ['scan', '--demo', '--config', 'suppress.yaml', '--no-state', '--now', T1, '--format', 'json', '--out', 'out'],
      {
        cwd,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^suppressed: \d+ finding\(s\) muted by config suppressions/m);
    expect(run.stdout).toMatch(/^suppressions expired: \d+ finding\(s\) open again$/m);
    expect(run.stdout).toMatch(/^ {2}- snapshots\.shared-outside-org aws:\d+ .*suppression by platform-team expired 2026-11-25/m);
  });

  it('config validate runs the checks scan runs: a file scan rejects is not "valid"', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'empty.yaml'), 'version: 1\n');
    const scan = await runCli(['scan', '--config', 'empty.yaml', '--no-state', '--out', 'out'], { cwd });
    const validate = await runCli(['config', 'validate', 'empty.yaml'], { cwd });
    expect(scan.code).toBe(2);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toBe(scan.stderr);
    expect(validate.stderr).toMatch(/no provider is enabled\. Fix: add a providers\.aws/);
    writeFileSync(join(cwd, 'formats.yaml'), 'version: 1\nproviders:\n  gcp: {}\noutput:\n  formats: [json, pdf]\n');
    const formats = await runCli(['config', 'validate', 'formats.yaml'], { cwd });
    expect(formats.code).toBe(2);
    expect(formats.stderr).toMatch(/output\.formats\.1: .*\(got "pdf"\)/);
  });
});
