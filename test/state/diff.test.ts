import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffScans, renderDiffText, trendFor, trendFromDiff } from '../../src/store/diff.ts';
import { type ScanRecord, StateStore } from '../../src/store/state-store.ts';
import { tempDir } from '../support/cli.ts';
import { alice, bob, scriptedScan, snap } from './support.ts';

const T = (day: number) => `2026-11-${String(day).padStart(2, '0')}T02:00:00.000Z`;
const A = '111111111111';
const B = '222222222222';

describe('diff between scans', () => {
  let store: StateStore;
  const runs: ScanRecord[] = [];

  beforeAll(async () => {
    store = StateStore.open(join(tempDir(), 'state.sqlite'));
    const record = async (day: number, accounts: Parameters<typeof scriptedScan>[1]) => {
      const result = await scriptedScan(T(day), accounts, { previous: store.previousScan() });
      runs.push(store.record(result, { retain: 10 }).scan);
    };
    // 1: a public snapshot in A; alice can create; B holds one private snapshot
    await record(1, {
      [A]: { principals: [alice(['create'])], snapshots: [snap('snap-000000a1', { public: true })] },
      [B]: { snapshots: [snap('snap-000000b1')] },
    });
    // 2: A's snapshot fixed, a new public one appears, bob gains create and alice share; B's snapshot deleted
    await record(2, {
      [A]: {
        principals: [alice(['create', 'share']), bob(['create'])],
        snapshots: [snap('snap-000000a1'), snap('snap-000000a2', { public: true })],
      },
      [B]: { snapshots: [] },
    });
    // 3: A's first snapshot is public again (regression); B cannot be read
    await record(3, {
      [A]: {
        principals: [alice(['create', 'share']), bob(['create'])],
        snapshots: [snap('snap-000000a1', { public: true }), snap('snap-000000a2', { public: true })],
      },
      [B]: { unreadable: true },
    });
  });

  const publicIn = (list: Array<{ checkId: string; resource: string | null }>) =>
    list
      .filter((f) => f.checkId === 'snapshots.public')
      .map((f) => f.resource?.split('/').pop())
      .sort();

  it('1 → 2: a fixed snapshot is resolved, a new one is new, gained capabilities and created/deleted snapshots are listed', () => {
    const d = diffScans(store, runs[0]!, runs[1]!);
    expect(publicIn(d.findings.resolved)).toEqual(['snap-000000a1']);
    expect(publicIn(d.findings.new)).toEqual(['snap-000000a2']);
    expect(d.findings.regressed).toEqual([]);
    expect(d.newlyCapable.map((p) => [p.principalName, p.gained, p.before])).toEqual([
      ['bob', ['create'], []],
      ['alice', ['share'], ['create']],
    ]);
    expect(d.snapshots.created.map((s) => s.snapshotId)).toEqual(['snap-000000a2']);
    expect(d.snapshots.deleted.map((s) => [s.scopeId, s.snapshotId])).toEqual([[B, 'snap-000000b1']]);
    expect(d.findings.new.map((f) => f.checkId)).toContain('permissions.newly-granted');
  });

  it('2 → 3: a finding that comes back is regressed; an unreadable scope hides nothing as resolved or deleted', () => {
    const d = diffScans(store, runs[1]!, runs[2]!);
    expect(publicIn(d.findings.regressed)).toEqual(['snap-000000a1']);
    expect(publicIn(d.findings.unchanged)).toEqual(['snap-000000a2']);
    expect(publicIn(d.findings.new)).toEqual([]);
    expect(d.findings.resolved.filter((f) => f.scopeId === B)).toEqual([]);
    expect(d.findings.new.map((f) => [f.checkId, f.scopeId])).toContainEqual(['coverage.scope-unreadable', B]);
    expect(d.newlyCapable).toEqual([]);
    expect(d.snapshots).toEqual({ created: [], deleted: [] });
    // permissions.newly-granted from scan 2 is gone now that nothing new was granted: resolved
    expect(d.findings.resolved.map((f) => f.checkId)).toContain('permissions.newly-granted');
  });

  it('1 → 3 (any two scans): the snapshot fixed and broken again in between counts as unchanged', () => {
    const d = diffScans(store, runs[0]!, runs[2]!);
    expect(publicIn(d.findings.unchanged)).toEqual(['snap-000000a1']);
    expect(publicIn(d.findings.new)).toEqual(['snap-000000a2']);
    expect(d.snapshots.deleted).toEqual([]); // B was not read in scan 3
  });

  it('turns a diff into the Trend renderers consume', () => {
    const d = diffScans(store, runs[0]!, runs[1]!);
    const trend = trendFromDiff(d, runs[0]!);
    expect(trend).toMatchObject({
      previous: { scanId: runs[0]!.id, finishedAt: T(1), publicSnapshots: 1, externallySharedSnapshots: 0, loggingCoveragePct: 100 },
      newFindings: d.findings.new.length,
      resolvedFindings: d.findings.resolved.length,
      regressedFindings: 0,
      newlyCapablePrincipals: 2,
      snapshotsCreated: 1,
      snapshotsDeleted: 1,
    });
    expect(trend.previous.openBySeverity.critical).toBe(1);
    expect(trendFor(store, runs[0]!)).toBeNull();
    expect(trendFor(store, runs[1]!)).toEqual(trend);
  });

  it('prints a readable, deterministic text diff', () => {
    const text = renderDiffText(diffScans(store, runs[0]!, runs[1]!));
    expect(text).toMatch(/^diff \w+ \(2026-11-01T02:00:00.000Z\) → \w+ \(2026-11-02T02:00:00.000Z\)$/m);
    expect(text).toMatch(/^findings: \d+ new, \d+ resolved, 0 regressed, \d+ unchanged$/m);
    expect(text).toMatch(
      /^ {2}critical snapshots\.public {2}aws:111111111111\/us-east-1 {2}arn:aws:ec2:us-east-1::snapshot\/snap-000000a2/m,
    );
    expect(text).toMatch(/^principals that gained a snapshot capability: 2$/m);
    expect(text).toMatch(/^ {2}aws:111111111111 {2}user alice {2}\+share \(had create\)$/m);
    expect(text).toMatch(/^snapshots: 1 created, 1 deleted$/m);
    expect(renderDiffText(diffScans(store, runs[0]!, runs[1]!))).toBe(text);
  });
});
