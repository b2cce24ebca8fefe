import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applySuppressions, isExpired, suppressionNotes } from '../../src/core/baseline/suppressions.ts';
import { type ConfigError, parseConfig } from '../../src/core/config/load.ts';
import { knownChecks } from '../../checks/index.ts';
import { exitCodeFor } from '../../src/cli/scan-command.ts';
import type { Finding } from '../../src/core/model/result.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { NOW } from '../support/lab.ts';
import { scriptedScan, snap } from './support.ts';

const rule = (o: Record<string, unknown>) => ({ reason: 'accepted risk', owner: 'alice', expires: '2026-12-31', ...o });

async function publicFindings(decorate?: (f: Finding[]) => Finding[]) {
  const result = await scriptedScan(
    NOW,
    { '111111111111': { snapshots: [snap('snap-000000a1', { public: true }), snap('snap-000000a2', { public: true })] } },
    decorate ? { decorate } : {},
  );
  return { result, findings: result.scopes.flatMap((s) => s.findings).filter((f) => f.checkId === 'snapshots.public') };
}

describe('suppressions: matching', () => {
  it('matches by fingerprint, or by check with scope and resource globs; every criterion given must match', async () => {
    const { findings } = await publicFindings();
    const [a1, a2] = findings.sort((x, y) => (x.resource!.id < y.resource!.id ? -1 : 1)) as [Finding, Finding];
    const now = new Date(NOW);
    const status = (rules: object[]) => applySuppressions([a1, a2], rules as never, now).map((f) => f.status);
    expect(status([rule({ fingerprint: a1.fingerprint })])).toEqual(['suppressed', 'open']);
    expect(status([rule({ check: 'snapshots.public', scope: 'aws:111111111111' })])).toEqual(['suppressed', 'suppressed']);
    expect(status([rule({ check: 'snapshots.*', resource: '*snap-000000a2' })])).toEqual(['open', 'suppressed']);
    expect(status([rule({ check: 'snapshots.public', scope: 'aws:222*' })])).toEqual(['open', 'open']);
    expect(status([rule({ check: 'snapshots.stale', scope: '*' })])).toEqual(['open', 'open']);
    expect(status([rule({ fingerprint: a1.fingerprint, check: 'snapshots.stale' })])).toEqual(['open', 'open']);
  });

  it('keeps suppressed findings in the result with the suppression attached; they do not count for the exit code', async () => {
    const rules = [rule({ check: 'snapshots.public', scope: 'aws:*' })];
    const { result, findings } = await publicFindings((f) => applySuppressions(f, rules, new Date(NOW)));
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatchObject({
      status: 'suppressed',
      suppression: { reason: 'accepted risk', owner: 'alice', expires: '2026-12-31', expired: false },
    });
    expect(exitCodeFor(result, 'critical', 0)).toBe(0);
    expect(suppressionNotes(result)).toEqual([expect.stringMatching(/^suppressed: 2 finding\(s\) muted/)]);
  });

  it('resurfaces a finding whose suppression expired (the expiry day itself is still muted) and says so', async () => {
    expect(isExpired({ expires: '2026-11-25' }, new Date('2026-11-25T23:59:59Z'))).toBe(false);
    expect(isExpired({ expires: '2026-11-25' }, new Date('2026-11-26T00:00:00Z'))).toBe(true);
    const rules = [rule({ check: 'snapshots.public', scope: 'aws:*', expires: '2026-11-25' })];
    const { result, findings } = await publicFindings((f) => applySuppressions(f, rules, new Date(NOW)));
    expect(findings[0]).toMatchObject({ status: 'open', suppression: { expired: true, expires: '2026-11-25' } });
    expect(exitCodeFor(result, 'critical', 0)).toBe(1);
    const notes = suppressionNotes(result);
    expect(notes[0]).toBe('suppressions expired: 2 finding(s) open again');
    expect(notes[1]).toMatch(
      /snapshots\.public aws:111111111111 arn:aws:ec2:us-east-1::snapshot\/snap-000000a1: suppression by alice expired 2026-11-25 \("accepted risk"\)/,
    );
  });

  it('prefers a live suppression over an expired one for the same finding', async () => {
    const { findings } = await publicFindings();
    const out = applySuppressions(
      findings,
      [
        rule({ check: 'snapshots.public', scope: '*', expires: '2020-01-01' }),
        rule({ check: 'snapshots.public', scope: '*', owner: 'bob' }),
      ] as never,
      new Date(NOW),
    );
    expect(out[0]).toMatchObject({ status: 'suppressed', suppression: { owner: 'bob', expired: false } });
  });
});

describe('suppressions: validation (exit 2, one message per problem)', () => {
  const problems = (suppressions: unknown[]) => {
    try {
      parseConfig({ version: 1, suppressions }, 'cfg.yaml', knownChecks);
      return [];
    } catch (err) {
      return (err as ConfigError).problems;
    }
  };
  it('rejects unknown checks, blanket suppressions, bad scopes, bad dates and missing reason/owner', () => {
    expect(problems([rule({ check: 'snapshot.public', scope: '*' })])).toEqual([
      expect.stringMatching(
        /^cfg\.yaml: suppressions\.0\.check: no check is called "snapshot\.public"; use an id from `snapaudit checks list`/,
      ),
    ]);
    expect(problems([rule({ check: 'snapshots.public' })])).toEqual([
      expect.stringMatching(/suppressions\.0: a check-wide suppression needs a scope or resource pattern/),
    ]);
    expect(problems([rule({ check: 'snapshots.public', scope: '111111111111' })])).toEqual([
      expect.stringMatching(/suppressions\.0\.scope: "111111111111" is not provider:scope; write e\.g\. aws:111111111111/),
    ]);
    expect(problems([rule({ fingerprint: 'abc', expires: '31/12/2026' })])).toEqual([
      expect.stringMatching(/suppressions\.0\.fingerprint: a 24-character finding fingerprint/),
      expect.stringMatching(/suppressions\.0\.expires: an ISO date such as 2027-03-31 \(got "31\/12\/2026"\)/),
    ]);
    expect(problems([{ check: 'snapshots.public', scope: '*', expires: '2026-12-31' }]).join('\n')).toMatch(
      /suppressions\.0\.reason[\s\S]*suppressions\.0\.owner/,
    );
    expect(problems([rule({ check: 'snapshots.*', scope: 'gcp:*-sandbox' }), rule({ fingerprint: '0123456789abcdef01234567' })])).toEqual(
      [],
    );
  });

  it('makes `snapaudit scan` exit 2 before anything is scanned or written', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'bad.yaml'),
      'version: 1\nsuppressions:\n  - check: snapshots.public\n    reason: ok\n    owner: me\n    expires: 2027-01-01\n',
    );
    const run = await runCli(['scan', '--demo', '--config', 'bad.yaml', '--out', 'out'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad\.yaml: suppressions\.0: a check-wide suppression needs a scope or resource pattern/);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(cwd, 'out'))).toBe(false);
    expect(existsSync(join(cwd, '.snapaudit'))).toBe(false);
  });
});
