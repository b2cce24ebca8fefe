/**
 * Refined needs (src/core/model/needs.ts): the AWS adapter makes only the calls the selected checks need. Proven
 * from the lab's request log on the demo organisation, with every per-item lookup switched on.
 */
import { describe, expect, it } from 'vitest';
import type { Lab } from '../../lab/server.ts';
import { scanAws } from './support.ts';

const lookupsOn = { shareLookup: { enabled: true, concurrency: 4 }, creatorLookup: true };

/** Operation → how many times the scan called it; the public listing counted apart from the owned listing. */
function calls(lab: Lab): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of lab.log.entries) {
    const publicListing = e.operation === 'DescribeSnapshots' && e.bodies?.request.includes('RestorableBy') === true;
    const key = `${e.service}:${e.operation}${publicListing ? ' RestorableByUserIds=all' : ''}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

const refined = {
  sharing: [
    'ec2:DescribeSnapshotAttribute',
    'ec2:DescribeSnapshots RestorableByUserIds=all',
    'ec2:DescribeImageAttribute',
    'rds:DescribeDBSnapshotAttributes',
    'rds:DescribeDBClusterSnapshotAttributes',
    'backup:GetBackupVaultAccessPolicy',
    'backup:ListCopyJobs',
  ],
  creators: ['cloudtrail:LookupEvents'],
  sources: ['ec2:DescribeVolumes'],
  keys: ['kms:ListAliases'],
};

async function scanChecks(include: string[]) {
  const { lab, result } = await scanAws('demo', {
    aws: lookupsOn,
    config: { scan: { checks: { include, exclude: [] } } },
    keepBodies: true,
  });
  return { ops: calls(lab), result };
}

describe('refined needs', () => {
  it('snapshots.stale lists snapshots and makes no sharing, creator, source or key reads', async () => {
    const { ops, result } = await scanChecks(['snapshots.stale']);
    expect(ops.get('ec2:DescribeSnapshots')).toBeGreaterThan(0);
    expect(
      Object.values(refined)
        .flat()
        .filter((op) => ops.has(op)),
    ).toEqual([]);
    // What was not read is said so, never guessed: sharing stays unknown with the reason.
    const snaps = result.scopes.flatMap((s) => s.snapshots).filter((s) => s.kind === 'disk-snapshot');
    expect(snaps.length).toBeGreaterThan(0);
    expect(new Set(snaps.map((s) => s.sharing.public))).toEqual(new Set(['unknown']));
    expect(snaps[0]?.sharing.notes).toContain('shares with specific accounts not looked up (no selected check needs them)');
  });

  it('each snapshot check makes the reads its needs name, and only those', async () => {
    const cases: Array<[string, Array<keyof typeof refined>]> = [
      ['snapshots.public', ['sharing']],
      ['snapshots.unencrypted', ['keys']],
      ['snapshots.unapproved-creator', ['creators']],
      ['snapshots.sensitive-source', ['sources']],
    ];
    for (const [check, needs] of cases) {
      const { ops } = await scanChecks([check]);
      const made = Object.entries(refined)
        .filter(([, list]) => list.some((op) => ops.has(op)))
        .map(([need]) => need)
        .sort();
      expect(made, check).toEqual([...needs].sort());
    }
  });

  it('running every check makes every refined read (the public listing only where no attribute is read)', async () => {
    const listing = 'ec2:DescribeSnapshots RestorableByUserIds=all';
    const { ops } = await scanAws('demo', { aws: lookupsOn, keepBodies: true }).then(({ lab }) => ({ ops: calls(lab) }));
    for (const op of Object.values(refined).flat()) if (op !== listing) expect(ops.get(op) ?? 0, op).toBeGreaterThan(0);
    // Every snapshot's createVolumePermission was read, and it decides: the listing would only be overruled.
    expect(ops.get(listing) ?? 0).toBe(0);
    const off = await scanAws('demo', { aws: { ...lookupsOn, shareLookup: { enabled: false } }, keepBodies: true });
    expect(calls(off.lab).get(listing) ?? 0).toBeGreaterThan(0);
  });
});
