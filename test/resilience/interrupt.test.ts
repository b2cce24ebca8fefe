import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/core/model/result.ts';
import { StateStore } from '../../src/store/state-store.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { assertValidResult } from '../support/lab.ts';
import { configFile, estateFolder, fault } from './support.ts';
import { readWrittenResult } from '../support/result.ts';

const readResult = (cwd: string, out: string) => readWrittenResult(join(cwd, out, 'result.json')) as ScanResult;

describe.each(['SIGINT', 'SIGTERM'])('%s mid-scan with the state store', (signal) => {
  it('writes a valid partial result, keeps the store intact, and the next scan and diff are sane', async () => {
    const cwd = tempDir();
    // One scope per provider is slow to list its snapshots, so the signal lands with those in flight and the
    // rest of the organisation done.
    const slow = estateFolder([
      fault({ provider: 'aws', scope: '222222222222', operation: 'ec2:DescribeSnapshots', kind: 'latency', ms: 4000 }),
      fault({ provider: 'azure', scope: '*9c02', operation: 'Microsoft.Compute:ListSnapshots', kind: 'latency', ms: 4000 }),
      fault({ provider: 'gcp', scope: 'prod-web', operation: 'compute:snapshots.list', kind: 'latency', ms: 4000 }),
    ]);
    const fast = estateFolder([]);
    const config = configFile(cwd);
    const scan = (estate: string, now: string, out: string, opts: Parameters<typeof runCli>[1] = {}) =>
      runCli(
        [
          'scan',
          '--demo',
          '--estate',
          estate,
          '--config',
          config,
          '--state',
          'state.sqlite',
          '--fail-on',
          'none',
          '--out',
          out,
          '--now',
          now,
        ],
        { cwd, ...opts },
      );

    const first = await scan(fast, '2026-11-24T02:00:00Z', 'out1');
    expect(first.code).toBe(0);
    const full = readResult(cwd, 'out1');

    const started = Date.now();
    // Interrupt once the first scope has finished (the JSON log says so), while the slow ones are still reading:
    // a fixed delay would race the machine's load.
    let fire: ((sig: string) => void) | null = null;
    const cut = await scan(slow, '2026-11-25T02:00:00Z', 'out2', {
      onSignal: (f) => {
        fire = f;
      },
      onStderr: (text) => {
        if (fire && /"event":"scope\.done"[^\n]*"status":"complete"/.test(text)) {
          const f = fire;
          fire = null;
          f(signal);
        }
      },
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(cut.code).toBe(3);
    const partial = readResult(cwd, 'out2');
    assertValidResult(partial);
    expect(partial.scan).toMatchObject({ interrupted: true, complete: false });
    console.log(
      Date.now() - started,
      JSON.stringify(partial.stats.scopes),
      partial.discovery.map((x) => x.status),
    );
    const interrupted = partial.scopes.filter((x) => x.coverage.status === 'interrupted').map((x) => `${x.scope.provider}:${x.scope.id}`);
    expect(interrupted).toEqual(expect.arrayContaining(['aws:222222222222', 'azure:6a1f3c52-8d4e-4b7a-9c2f-1e5d7b3a9c02', 'gcp:prod-web']));
    expect(partial.stats.scopes.complete).toBeGreaterThan(0);
    expect(partial.stats.scopes.total).toBe(partial.scopes.length);
    for (const s of partial.scopes.filter((x) => x.coverage.status === 'interrupted')) {
      expect(s.coverage.gaps).toEqual([expect.objectContaining({ code: 'interrupted' })]);
      expect(s.coverage.regions.every((r) => ['interrupted', 'not_enabled', 'excluded'].includes(r.status))).toBe(true);
    }
    // What did finish is what the full scan found for those scopes (the demo estate's dates move with --now, so
    // compare identities: coverage, principals, snapshot ids, finding fingerprints).
    const shape = (x: ScanResult['scopes'][number] | undefined) => ({
      coverage: x?.coverage,
      principals: x?.principals,
      snapshots: x?.snapshots.map((y) => y.id),
      findings: x?.findings.map((f) => f.fingerprint),
    });
    for (const s of partial.scopes.filter((x) => x.coverage.status === 'complete')) {
      const before = full.scopes.find((x) => x.scope.provider === s.scope.provider && x.scope.id === s.scope.id);
      expect(shape(s)).toEqual(shape(before));
    }
    expect(cut.stdout).toMatch(/INCOMPLETE/);
    expect(cut.stderr).toMatch(new RegExp(`scan\\.interrupt.*${signal}`));

    // The store: intact, unlocked, the interrupted scan recorded as such, nothing resolved by it.
    const db = new DatabaseSync(join(cwd, 'state.sqlite'), { readOnly: true });
    try {
      expect(db.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
      expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
      expect(db.prepare('SELECT COUNT(*) AS n FROM writer_lock').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    const store = StateStore.open(join(cwd, 'state.sqlite'), { create: false });
    try {
      expect(store.scans().map((s) => [s.id, s.complete, s.interrupted])).toEqual([
        [full.scan.id, true, false],
        [partial.scan.id, false, true],
      ]);
      expect([...store.lifecycles().values()].filter((l) => l.state !== 'open')).toEqual([]);
    } finally {
      store.close();
    }

    // The next full scan works. Against the interrupted scan nothing is new or regressed, and the only findings
    // resolved are the interrupted scan's own "not finished" blind spots; against the last full scan, nothing moved.
    const next = await scan(fast, '2026-11-26T02:00:00Z', 'out3');
    expect(next.code).toBe(0);
    expect(readResult(cwd, 'out3').scan.complete).toBe(true);
    const diff = await runCli(['diff', '--state', 'state.sqlite', '--json'], { cwd });
    expect(diff.code).toBe(0);
    const d = JSON.parse(diff.stdout);
    expect(d.from.id).toBe(partial.scan.id);
    expect({ new: d.findings.new, regressed: d.findings.regressed }).toEqual({ new: [], regressed: [] });
    const notFinished = [
      ...partial.scopes.filter((x) => x.coverage.status === 'interrupted').map((x) => `${x.scope.provider}:${x.scope.id}`),
      ...partial.discovery.filter((x) => x.gaps.some((g) => g.code === 'interrupted')).map((x) => `${x.provider}:${x.provider}:discovery`),
    ];
    const resolved = d.findings.resolved as Array<{ checkId: string; provider: string; scopeId: string }>;
    expect(resolved.map((f) => `${f.checkId} ${f.provider}:${f.scopeId}`).sort()).toEqual(
      notFinished.map((k) => `coverage.scope-unreadable ${k}`).sort(),
    );
    const overall = JSON.parse((await runCli(['diff', '--state', 'state.sqlite', '--from', full.scan.id, '--json'], { cwd })).stdout);
    expect({ new: overall.findings.new, resolved: overall.findings.resolved, regressed: overall.findings.regressed }).toEqual({
      new: [],
      resolved: [],
      regressed: [],
    });
  }, 40_000);
});
