/**
 * The snapshot inventory: the listing (`snapshots`), and only the reads the selected checks refine it with — the
 * source disks' tags (`sources`), the disk accesses private exports go through (`sharing`), and one filtered
 * activity-log listing for creators (`creators`) and SAS exports (`sharing`). Each read is made only when some
 * snapshot can use it.
 */
import type { Disk, DiskAccess, Snapshot as AzSnapshot } from '@azure/arm-compute';
import type { EventData } from '@azure/arm-monitor';
import { resolveOwner } from '../../../src/core/model/owner.ts';
import type { Snapshot } from '../../../src/core/model/result.ts';
import { armId, subscriptionOf } from '../ids.ts';
import { activityFacts } from '../normalise/activity.ts';
import { normaliseSnapshot } from '../normalise/snapshots.ts';
import type { AzureScopeIO } from '../scope-io.ts';
import type { AzureScopeContext } from './context.ts';

const DAY = 86_400_000;
/** The activity log keeps 90 days of events. */
export const ACTIVITY_LOG_DAYS = 90;

const byId = <T extends { id?: string }>(items: readonly T[]) =>
  new Map(items.filter((x) => x.id).map((x) => [armId(x.id ?? '').toLowerCase(), x]));

/** Was some snapshot made from a disk of this subscription (whose tags the `sources` need reads)? */
function fromLocalDisk(raw: readonly AzSnapshot[], subscriptionId: string): boolean {
  return raw.some((s) => {
    const source = s.creationData?.sourceResourceId ?? '';
    return /\/providers\/Microsoft\.Compute\/disks\//i.test(source) && subscriptionOf(source) === subscriptionId.toLowerCase();
  });
}

/** Can some snapshot be exported only through one of this subscription's private endpoints (disk accesses)? */
function privateExports(raw: readonly AzSnapshot[], subscriptionId: string): boolean {
  return raw.some(
    (s) => s.networkAccessPolicy === 'AllowPrivate' && s.diskAccessId && subscriptionOf(s.diskAccessId) === subscriptionId.toLowerCase(),
  );
}

export async function collectSnapshots(io: AzureScopeIO, ctx: AzureScopeContext): Promise<Snapshot[] | undefined> {
  const raw = await io.part('snapshots', () => io.listSnapshots());
  if (!raw) return undefined;
  const want = ctx.needs;
  const activity = ctx.config.creatorLookup && raw.length > 0 && (want.has('creators') || want.has('sharing'));
  const to = ctx.now;
  const from = new Date(to.getTime() - ACTIVITY_LOG_DAYS * DAY);
  const [disks, accesses, events] = await Promise.all([
    want.has('sources') && fromLocalDisk(raw, ctx.subscriptionId)
      ? io.part('snapshots', () => io.listDisks())
      : Promise.resolve([] as Disk[]),
    // Not read for lack of need: null (unknown), unlike none to read: [].
    want.has('sharing')
      ? privateExports(raw, ctx.subscriptionId)
        ? io.part('sharing', () => io.listDiskAccesses())
        : Promise.resolve([] as DiskAccess[])
      : Promise.resolve(null),
    activity
      ? io.part(want.has('creators') ? 'creators' : 'sharing', () => io.listActivityLogs(from, to, 'Microsoft.Compute'))
      : Promise.resolve([] as EventData[]),
  ]);
  const diskMap = byId(disks ?? []);
  const diskAccesses = { byId: accesses ? byId(accesses) : null };
  const facts = activityFacts(events ?? [], raw);
  return raw.map((s) => {
    const key = armId(s.id ?? '').toLowerCase();
    return normaliseSnapshot(s, {
      ownerTagKeys: ctx.policy.ownerTagKeys,
      creator: want.has('creators') ? (facts.creators.get(key) ?? null) : null,
      exports: want.has('sharing') ? (facts.exports.get(key) ?? []) : [],
      disks: diskMap,
      diskAccesses,
      // Azure tag names are case-insensitive: an `OWNER` tag is the `owner` tag.
      resolveOwner: (i) => resolveOwner({ ...i, ownerTagKeys: ctx.policy.ownerTagKeys, caseInsensitiveKeys: true }),
    });
  });
}
