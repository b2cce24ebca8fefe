import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { budgetFor } from '../../src/cli/heap-policy.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { assertValidResult, NOW } from '../support/lab.ts';
import { readWrittenResult } from '../support/result.ts';

function file(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('snapaudit scan --demo', () => {
  it('scans the built-in estate through the lab and writes a result that matches the schema', async () => {
    const cwd = tempDir();
    const run = await runCli(['scan', '--demo', '--out', 'out', '--now', NOW], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/scopes: \d+ \(\d+ complete/);
    expect(run.stdout).toMatch(/wrote \d+ file\(s\) to .*out: .*result\.json/);
    const result = readWrittenResult(join(cwd, 'out', 'result.json'));
    assertValidResult(result);
    expect(result.scan.complete).toBe(true);
    expect(result.scopes.length).toBeGreaterThan(0);
  });

  it('writes structured JSON log lines when stderr is not a terminal', async () => {
    const run = await runCli(['scan', '--demo', '--now', NOW]);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('{'));
    const events = lines.map((l) => JSON.parse(l).event);
    expect(events).toContain('discovery.done');
    expect(events).toContain('scope.done');
    expect(events).toContain('scan.done');
  });

  it('shows a progress line on a terminal', async () => {
    const run = await runCli(['scan', '--demo', '--now', NOW], { isTTY: true });
    expect(run.stderr).toMatch(/\d+\/\d+ scopes · \d+ calls · \d+ throttled · \d+ errors/);
    expect(run.stderr).not.toMatch(/"event"/);
  });

  it('exits 1 when --fail-on is met', async () => {
    const run = await runCli(['scan', '--demo', '--fail-on', 'critical', '--quiet']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
  });

  it('on SIGINT writes a valid partial result marked incomplete and exits 3', async () => {
    const cwd = tempDir();
    const estateDir = tempDir();
    const demo = readFileSync(new URL('../../lab/estates/demo/aws.yaml', import.meta.url), 'utf8');
    file(estateDir, 'aws.yaml', demo);
    file(estateDir, 'estate.yaml', 'estateVersion: 1\nfaults:\n  - kind: latency\n    ms: 40\n');
    const run = await runCli(['scan', '--demo', '--estate', estateDir, '--out', 'out', '--now', NOW], {
      cwd,
      onSignal: (fire) => setTimeout(() => fire('SIGINT'), 150),
    });
    expect(run.code).toBe(3);
    const result = readWrittenResult(join(cwd, 'out', 'result.json'));
    assertValidResult(result);
    expect(result.scan).toMatchObject({ interrupted: true, complete: false });
    expect(run.stderr).toMatch(/scan.interrupt/);
  });
});

describe('configuration errors', () => {
  it('names the field, the bad value and the fix, exits 2 and writes nothing', async () => {
    const cwd = tempDir();
    file(cwd, 'bad.yaml', 'version: 1\nproviders:\n  aws:\n    roleName: 42\n');
    const run = await runCli(['scan', '--config', 'bad.yaml', '--out', 'out'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad\.yaml: providers\.aws\.roleName: .*string.*\(got 42\)\. Fix: /);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });

  it('reports a misspelt key as unknown', async () => {
    const cwd = tempDir();
    file(cwd, 'typo.yaml', 'version: 1\nproviders:\n  aws:\n    rolename: Scanner\n');
    const run = await runCli(['config', 'validate', 'typo.yaml'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/providers\.aws\.rolename: unknown field/);
  });

  it('reports invalid YAML with its line', async () => {
    const cwd = tempDir();
    file(cwd, 'broken.yaml', 'version: 1\nproviders:\n  aws: [\n');
    const run = await runCli(['config', 'validate', 'broken.yaml'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not valid YAML at line \d/);
  });

  it('accepts a valid config', async () => {
    const cwd = tempDir();
    file(
      cwd,
      'ok.yaml',
      'version: 1\nproviders:\n  aws:\n    mode: organization\n    roleName: SnapauditReadOnly\npolicy:\n  minRetentionDays: 400\n',
    );
    const run = await runCli(['config', 'validate', 'ok.yaml'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ok\.yaml: valid \(providers: aws\)/);
  });

  it('scan --help lists the valid formats and frameworks', async () => {
    const run = await runCli(['scan', '--help']);
    expect(run.code).toBe(0);
    const help = run.stdout.replace(/\s+/g, ' ');
    expect(help).toContain('output formats, comma-separated: activity-csv, activity-ocsf, csv, html, json, junit, md, ndjson, ocsf, sarif');
    for (const id of ['nist-800-53', 'cis-aws', 'cis-azure', 'cis-gcp', 'mitre-attack']) expect(help).toContain(id);
  });

  it('report and merge --help name the budget they run under when none is given (512 MiB: every format streams)', async () => {
    // the launcher's rule (src/cli/heap-policy.ts budgetFor): 512 MiB when every output streams, which every format does
    expect(await budgetFor(['report', '--from', 'result.json'], process.cwd())).toBe(512);
    for (const command of ['report', 'merge']) {
      const help = (await runCli([command, '--help'])).stdout.replace(/\s+/g, ' ');
      expect(help).toContain('--memory-budget <MiB> memory budget: V8 heap sized for it (default: 512 when every output streams)');
    }
  });

  it('rejects bad flags with exit 2', async () => {
    expect((await runCli(['scan', '--provider', 'oracle'])).code).toBe(2);
    expect((await runCli(['scan', '--shard', '4/4'])).stderr).toMatch(/--shard: "4\/4" is not a shard/);
    expect((await runCli(['scan', '--format', 'pdf'])).code).toBe(2);
    expect((await runCli(['scan', '--now', 'yesterday'])).code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
  });
});

describe('snapaudit checks list', () => {
  it('lists every check id with its severity', async () => {
    const run = await runCli(['checks', 'list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^snapshots\.public\s+critical\s+No snapshot is public/m);
    expect(run.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(18);
  });
});
