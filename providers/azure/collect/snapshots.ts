/**
 * The snapshot-family inventory: the subscription listings (snapshots, managed disks — for live SAS exports and the
 * source disks' tags — managed images, galleries, restore point collections), the reads below them (collect/family.ts),
 * and only the reads the selected checks refine it with — the disk accesses private exports go through and the
 * groups a gallery is shared with (`sharing`), and one filtered activity-log listing for creators (`creators`) and
 * SAS exports (`sharing`). Each refinement is read only when some artifact can use it.
 */
import type { Disk, DiskAccess, Snapshot as AzSnapshot } from '@azure/arm-compute';
import type { EventData } from '@azure/arm-monitor';
import { resolveOwner } from '../../../src/core/model/owner.ts';
import type { Snapshot } from '../../../src/core/model/result.ts';
import { armId, subscriptionOf } from '../ids.ts';
import { activityFactsFor, FAMILY_OPERATIONS, SNAPSHOT_EXPORT, type Tracked } from '../normalise/activity.ts';
import { SNAPSHOT_WRITE } from '../normalise/alerts.ts';
import {
  type FamilyContext,
  liveExport,
  normaliseDiskExport,
  normaliseDiskRestorePoint,
  normaliseGalleryVersion,
  normaliseImage,
  normaliseRestorePoint,
} from '../normalise/family.ts';
import { type ExportSettings, normaliseSnapshot } from '../normalise/snapshots.ts';
import type { AzureScopeIO } from '../scope-io.ts';
import { computeEvents } from './activity.ts';
import type { AzureScopeContext } from './context.ts';
import { type GalleryVersions, galleryVersions, type RestorePoints, restorePoints } from './family.ts';

const byId = <T extends { id?: string }>(items: readonly T[]) =>
  new Map(items.filter((x) => x.id).map((x) => [armId(x.id ?? '').toLowerCase(), x]));

/** Was some snapshot made from a disk of this subscription (whose tags the `sources` need reads)? */
function fromLocalDisk(raw: readonly AzSnapshot[], subscriptionId: string): boolean {
  return raw.some((s) => {
    const source = s.creationData?.sourceResourceId ?? '';
    return /\/providers\/Microsoft\.Compute\/disks\//i.test(source) && subscriptionOf(source) === subscriptionId.toLowerCase();
  });
}

/** Can something be exported only through one of this subscription's private endpoints (disk accesses)? */
function privateExports(items: readonly ExportSettings[], subscriptionId: string): boolean {
  return items.some(
    (s) => s.networkAccessPolicy === 'AllowPrivate' && s.diskAccessId && subscriptionOf(s.diskAccessId) === subscriptionId.toLowerCase(),
  );
}

interface Listed {
  snapshots: AzSnapshot[];
  disks: Disk[];
  exports: Disk[];
  images: NonNullable<Awaited<ReturnType<AzureScopeIO['listImages']>>>;
  galleries: GalleryVersions[];
  collections: RestorePoints[];
}

/** What the activity log is searched for: each artifact's creating write and its SAS export. */
function tracked(l: Listed): Tracked[] {
  const t = (id: string | undefined, created: Date | undefined, write: string, exp: string | null): Tracked[] =>
    id ? [{ id, created, write, export: exp }] : [];
  return [
    ...l.snapshots.flatMap((s) => t(s.id, s.timeCreated, SNAPSHOT_WRITE, SNAPSHOT_EXPORT)),
    ...l.exports.flatMap((d) => t(d.id, undefined, FAMILY_OPERATIONS.diskExport, FAMILY_OPERATIONS.diskExport)),
    ...l.images.flatMap((i) => t(i.id, i.systemData?.createdAt, FAMILY_OPERATIONS.imageWrite, null)),
    ...l.galleries.flatMap((g) =>
      g.versions.flatMap((v) => t(v.version.id, v.version.publishingProfile?.publishedDate, FAMILY_OPERATIONS.galleryVersionWrite, null)),
    ),
    ...l.collections.flatMap((c) =>
      c.points.flatMap((p) => [
        ...t(p.point.id, p.point.timeCreated, FAMILY_OPERATIONS.restorePointWrite, null),
        ...p.disks.flatMap((d) =>
          t(d.id, d.timeCreated, FAMILY_OPERATIONS.diskRestorePointExport, FAMILY_OPERATIONS.diskRestorePointExport),
        ),
      ]),
    ),
  ];
}

async function listFamily(io: AzureScopeIO, ctx: AzureScopeContext): Promise<Listed | undefined> {
  const [snapshots, disks, images, galleries, collections] = await Promise.all([
    io.part('snapshots', () => io.listSnapshots()),
    io.part('snapshots', () => io.listDisks()),
    io.part('snapshots', () => io.listImages()),
    io.part('snapshots', () => io.listGalleries()),
    io.part('snapshots', () => io.listRestorePointCollections()),
  ]);
  if ([snapshots, disks, images, galleries, collections].every((x) => x === undefined)) return undefined;
  const [versions, points] = await Promise.all([
    Promise.all((galleries ?? []).map((g) => galleryVersions(io, g, ctx.needs.has('sharing')))),
    Promise.all((collections ?? []).map((c) => restorePoints(io, c))),
  ]);
  return {
    snapshots: snapshots ?? [],
    disks: disks ?? [],
    exports: (disks ?? []).filter(liveExport),
    images: images ?? [],
    galleries: versions,
    collections: points,
  };
}

export async function collectSnapshots(io: AzureScopeIO, ctx: AzureScopeContext): Promise<Snapshot[] | undefined> {
  const l = await listFamily(io, ctx);
  if (!l) return undefined;
  const want = ctx.needs;
  const targets = tracked(l);
  const activity = ctx.config.creatorLookup && targets.length > 0 && (want.has('creators') || want.has('sharing'));
  const to = ctx.now;
  const exportable: ExportSettings[] = [...l.snapshots, ...l.exports, ...l.collections.flatMap((c) => c.points.flatMap((p) => p.disks))];
  const [accesses, events] = await Promise.all([
    // Not read for lack of need: null (unknown), unlike none to read: [].
    want.has('sharing')
      ? privateExports(exportable, ctx.subscriptionId)
        ? io.part('sharing', () => io.listDiskAccesses())
        : Promise.resolve([] as DiskAccess[])
      : Promise.resolve(null),
    activity ? io.part(want.has('creators') ? 'creators' : 'sharing', () => computeEvents(io, to)) : Promise.resolve([] as EventData[]),
  ]);
  // Source disks' tags only for the checks that use them (the listing itself is read for live exports anyway).
  const diskMap = want.has('sources') && fromLocalDisk(l.snapshots, ctx.subscriptionId) ? byId(l.disks) : byId([] as Disk[]);
  const diskAccesses = { byId: accesses ? byId(accesses) : null };
  const facts = activityFactsFor(events ?? [], targets);
  // Azure tag names are case-insensitive: an `OWNER` tag is the `owner` tag.
  const owner: FamilyContext['resolveOwner'] = (i) =>
    resolveOwner({ ...i, ownerTagKeys: ctx.policy.ownerTagKeys, caseInsensitiveKeys: true });
  const family: FamilyContext = {
    creators: want.has('creators') ? facts.creators : new Map(),
    exports: want.has('sharing') ? facts.exports : new Map(),
    disks: want.has('sources') ? byId(l.disks) : new Map(),
    diskAccesses,
    organisation: ctx.organisation,
    resolveOwner: owner,
  };
  return [
    ...l.snapshots.map((s) => {
      const key = armId(s.id ?? '').toLowerCase();
      return normaliseSnapshot(s, {
        ownerTagKeys: ctx.policy.ownerTagKeys,
        creator: want.has('creators') ? (facts.creators.get(key) ?? null) : null,
        exports: want.has('sharing') ? (facts.exports.get(key) ?? []) : [],
        disks: diskMap,
        diskAccesses,
        resolveOwner: owner,
      });
    }),
    // Who started a live export is the sharing refinement's answer (the same beginGetAccess events).
    ...l.exports.map((d) =>
      normaliseDiskExport(d, { ...family, exports: want.has('sharing') || want.has('creators') ? facts.exports : new Map() }),
    ),
    ...l.images.map((i) => normaliseImage(i, family)),
    ...l.galleries.flatMap((g) => g.versions.map((v) => normaliseGalleryVersion(v.version, v.image, g.sharing, family))),
    ...l.collections.flatMap((c) =>
      c.points.flatMap((p) => [
        normaliseRestorePoint(p.point, c.collection, family),
        ...p.disks.map((d) => normaliseDiskRestorePoint(d, c.collection, p.point, family)),
      ]),
    ),
  ];
}
