/**
 * Recording a scan of a large organisation: the lifecycle of every finding is updated without holding the finding
 * history in memory (issue #23: the ×10 pipeline's scan died out of heap at its very end, while recording, with every
 * open finding read into one array beside a set of every fingerprint of the scan).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding, ScanResult, ScopeResult } from '../../src/core/model/result.ts';
import { StateStore } from '../../src/store/state-store.ts';
import { tempDir } from '../support/cli.ts';
import { scriptedScan } from './support.ts';

const T = (day: number) => `2026-11-${String(day).padStart(2, '0')}T02:00:00.000Z`;

/** One account's scan, its first finding copied `count` times over distinct resources (fingerprints `fp(scope, i)`). */
function manyFindings(template: ScopeResult, scopeId: string, count: number, first = 0): ScopeResult {
  const f0 = template.findings[0]!;
  const findings: Finding[] = [];
  for (let i = first; i < first + count; i++) {
    findings.push({ ...f0, fingerprint: fp(scopeId, i), scopeId, resource: { kind: 'snapshot', id: `snap-${i}`, name: null } });
  }
  return { ...template, scope: { ...template.scope, id: scopeId, name: `acct-${scopeId}` }, findings };
}

function fp(scopeId: string, i: number): string {
  return `${scopeId.slice(-6)}${i.toString(16).padStart(18, '0')}`;
}

/** Records `scopes` as one scan at `at`, staged scope by scope as the CLI does. */
function record(store: StateStore, header: ScanResult, at: string, scopes: ScopeResult[]) {
  const stage = store.stage();
  for (const s of scopes) stage.add(s);
  const scan = { ...header.scan, id: `scan-${at}`, startedAt: at, finishedAt: at };
  return store.recordStaged({ ...header, scan, scopes: [], findings: [] }, stage, { retain: 10 });
}

describe('recording the lifecycle of many findings', () => {
  it('opens, keeps, resolves and brings back findings across more than one page of open findings', async () => {
    // an account without logging: one finding per account, copied over many resources below
    const base = await scriptedScan(T(1), { '111111111111': { logging: false } });
    const template = base.scopes[0]!;
    expect(template.findings.length).toBeGreaterThan(0);
    const store = StateStore.open(join(tempDir('snapaudit-state-'), 'state.sqlite'));
    try {
      const a = '111111111111';
      const b = '222222222222';
      // scan 1: 2,500 findings in A and 1,200 in B, all new
      const first = record(store, base, T(1), [manyFindings(template, a, 2500), manyFindings(template, b, 1200)]);
      expect([first.opened, first.resolved, first.regressed]).toEqual([3700, 0, 0]);

      // scan 2: A keeps its first 500 (the other 2,000 are resolved: A was read completely); B keeps 200 and gains 100
      const second = record(store, base, T(2), [manyFindings(template, a, 500), manyFindings(template, b, 300, 1000)]);
      expect([second.opened, second.resolved, second.regressed]).toEqual([100, 2000 + 1000, 0]);
      const life = store.lifecycles();
      expect([...life.values()].filter((l) => l.state === 'open')).toHaveLength(500 + 300);
      expect(life.get(fp(a, 499))).toMatchObject({ state: 'open', firstSeenSeq: 1, lastSeenSeq: 2 });
      expect(life.get(fp(a, 500))).toMatchObject({ state: 'resolved', lastSeenSeq: 1, resolvedSeq: 2 });
      expect(life.get(fp(b, 1299))).toMatchObject({ state: 'open', firstSeenSeq: 2 });

      // scan 3: A's resolved ones come back (regressed); B is not read at all, so its findings stay open, unassessed
      const third = record(store, base, T(3), [manyFindings(template, a, 2500)]);
      expect([third.opened, third.resolved, third.regressed]).toEqual([0, 0, 2000]);
      expect(store.lifecycle(fp(a, 2499))).toMatchObject({ state: 'open', regressions: 1, lastRegressedAt: T(3), lastSeenSeq: 3 });
      expect(store.lifecycle(fp(b, 1299))).toMatchObject({ state: 'open', lastSeenSeq: 2 });
      expect(store.lifecycle(fp(a, 0))).toMatchObject({ state: 'open', firstSeenSeq: 1, lastSeenSeq: 3, regressions: 0 });
    } finally {
      store.close();
    }
  });

  it('records a first scan of 150,000 findings, and the scan that resolves them all, within a 48 MiB heap', () => {
    // The child stages the scan scope by scope (as a spooled scan does) and records it; the finding history is only
    // ever in the store. On the code before the fix it died out of heap in the recording transaction.
    const dir = tempDir('snapaudit-state-');
    const script = `
      const { StateStore } = await import(${JSON.stringify(new URL('../../src/store/state-store.ts', import.meta.url).href)});
      const { scriptedScan } = await import(${JSON.stringify(new URL('./support.ts', import.meta.url).href)});
      const base = await scriptedScan('2026-11-01T02:00:00.000Z', { '111111111111': { logging: false } });
      const template = base.scopes[0];
      const f0 = template.findings[0];
      const store = StateStore.open(process.argv[1]);
      const scan = (at, scopes, perScope) => {
        const stage = store.stage();
        for (let s = 0; s < scopes; s++) {
          const scopeId = String(100000000000 + s);
          const findings = [];
          for (let i = 0; i < perScope; i++) {
            findings.push({ ...f0, fingerprint: scopeId.slice(-6) + i.toString(16).padStart(18, '0'), scopeId, resource: { kind: 'snapshot', id: 'snap-' + i, name: null } });
          }
          stage.add({ ...template, scope: { ...template.scope, id: scopeId }, findings });
        }
        const o = store.recordStaged({ ...base, scan: { ...base.scan, id: 'scan-' + at, startedAt: at, finishedAt: at }, scopes: [], findings: [] }, stage, { retain: 10 });
        return [o.opened, o.resolved, o.regressed];
      };
      const first = scan('2026-11-01T02:00:00.000Z', 150, 1000);
      const second = scan('2026-11-02T02:00:00.000Z', 150, 0);
      store.close();
      process.stdout.write(JSON.stringify({ first, second }));
    `;
    const run = spawnSync(process.execPath, ['--max-old-space-size=48', '--input-type=module', '-e', script, join(dir, 'state.sqlite')], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.stderr.split('\n').filter((l) => /heap|FATAL/i.test(l))).toEqual([]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ first: [150_000, 0, 0], second: [0, 150_000, 0] });
  }, 150_000);
});
