/**
 * The snapshot inventory of a project: the listing (`snapshots`: global snapshots, then the regions and each
 * region's snapshots, with the rest of the family — images, machine images, instant snapshots — from family.ts), and
 * only the reads the selected checks refine it with — each snapshot's IAM policy
 * (`sharing`), the Admin Activity lookup of who created each snapshot and who attached its schedule (`creators`),
 * and the source disks' labels (`sources`).
 */
import pLimit from 'p-limit';
import { globMatch } from '../../../src/core/glob.ts';
import type { Snapshot } from '../../../src/core/model/result.ts';
import { attempt, gapFrom, isInterruption } from '../../gaps.ts';
import { classifyGcpError as classify } from '../errors.ts';
import type { RawDisk } from '../raw.ts';
import { attachmentsFromEntries } from '../normalise/schedules.ts';
import {
  type AuditLogEntry,
  creatorFor,
  creatorsFromEntries,
  normaliseSnapshot,
  type RawBinding,
  type RawSnapshot,
  resourcePath,
} from '../normalise/snapshots.ts';
import { familyCreatorsFromEntries } from '../normalise/family.ts';
import { GLOBAL, type GcpIO } from '../scope-io.ts';
import { familyPolicies, listFamily, normaliseFamily } from './family.ts';
import { listSchedules, normaliseSchedules } from './schedules.ts';
import { entriesFor } from './activity.ts';
import type { GcpScopeContext } from './context.ts';

/** Regions listed at once per project for regional snapshots. */
const REGIONAL_CONCURRENCY = 8;

/** `https://…/regions/europe-west1` → `europe-west1`; a global snapshot → `global`. */
function regionOf(s: RawSnapshot): string {
  return s.region ? (s.region.split('/').pop() ?? GLOBAL) : GLOBAL;
}

/** The global listing; a project without the Compute Engine API has none (recorded, not an error). Undefined: unread. */
async function globalSnapshots(io: GcpIO, ctx: GcpScopeContext): Promise<RawSnapshot[] | undefined> {
  const P = ctx.project.projectId;
  try {
    const raw = await io.listSnapshots(P);
    ctx.ok.add('snapshots');
    return raw;
  } catch (err) {
    if (isInterruption(err)) throw err;
    const g = gapFrom(err, 'snapshots', GLOBAL, classify);
    if (g.code === 'not_enabled') {
      ctx.gaps.push({
        ...g,
        message: `the Compute Engine API is not enabled in project ${P}, so it has no disks or snapshots to scan (not an error; IAM and logging were still read): ${g.message}`,
      });
      ctx.ok.add('snapshots');
    } else ctx.gaps.push(g);
    return undefined;
  }
}

/**
 * Regional snapshots (`Snapshot.region` set) live under /regions/R/snapshots and are not in the global listing.
 * Compute has no aggregated listing for them, so the fewest calls are one `regions.list` and one
 * `regionSnapshots.list` per region (paged, `REGIONAL_CONCURRENCY` at a time); a region that cannot be listed is a
 * gap of its own.
 */
async function regionalSnapshots(io: GcpIO, ctx: GcpScopeContext): Promise<RawSnapshot[]> {
  const P = ctx.project.projectId;
  const regions = await attempt(ctx.gaps, 'snapshots', GLOBAL, classify, () => io.listRegions(P));
  if (!regions) {
    const last = ctx.gaps[ctx.gaps.length - 1];
    if (last) last.message = `regions could not be listed, so regional snapshots were not inventoried: ${last.message}`;
    return [];
  }
  const limit = pLimit(REGIONAL_CONCURRENCY);
  const { include, exclude } = ctx.config.regions;
  const wanted = (r: string) => (include.length === 0 || include.some((p) => globMatch(p, r))) && !exclude.some((p) => globMatch(p, r));
  const lists = await Promise.all(
    regions
      .flatMap((r) => (r.name && wanted(r.name) ? [r.name] : []))
      .sort()
      .map((region) => limit(() => attempt(ctx.gaps, 'snapshots', region, classify, () => io.listRegionSnapshots(P, region)))),
  );
  return lists.flatMap((l) => l ?? []);
}

/** `sharing`: each snapshot's IAM bindings (undefined where the read failed), `concurrency` at a time. */
function iamPolicies(io: GcpIO, ctx: GcpScopeContext, raw: readonly RawSnapshot[]): Promise<Array<RawBinding[] | undefined>> {
  const limit = pLimit(ctx.config.snapshotIamLookup.concurrency);
  return Promise.all(
    raw.map((s) =>
      limit(() =>
        attempt(ctx.gaps, 'sharing', regionOf(s), classify, () => io.snapshotIamPolicy(ctx.project.projectId, regionOf(s), s.name ?? '')),
      ),
    ),
  );
}

/**
 * `sources`: every disk of the project — the snapshots' source disks' labels, and the disks each schedule is attached
 * to (their `resourcePolicies`); undefined: unread.
 */
function listDisks(io: GcpIO, ctx: GcpScopeContext): Promise<RawDisk[] | undefined> {
  return attempt(ctx.gaps, 'snapshots', GLOBAL, classify, () => io.listDisks(ctx.project.projectId));
}

/** The labels of every disk, by resource path. */
function labelsOf(disks: readonly RawDisk[]): Map<string, Record<string, string>> {
  const labels = new Map<string, Record<string, string>>();
  for (const d of disks) if (d.selfLink) labels.set(resourcePath(d.selfLink), d.labels ?? {});
  return labels;
}

export async function collectSnapshots(io: GcpIO, ctx: GcpScopeContext): Promise<Snapshot[]> {
  const listed = await globalSnapshots(io, ctx);
  if (!listed) return [];
  const [regional, family, schedules] = await Promise.all([regionalSnapshots(io, ctx), listFamily(io, ctx), listSchedules(io, ctx)]);
  const raw = [...listed, ...regional];
  if (raw.length === 0 && family.length === 0 && schedules.length === 0) return [];
  const want = ctx.needs;
  const cfg = ctx.config;
  const lookIam = cfg.snapshotIamLookup.enabled && want.has('sharing');
  const [policies, familyIam, entries, diskList] = await Promise.all([
    lookIam ? iamPolicies(io, ctx, raw) : Promise.resolve(raw.map(() => undefined)),
    lookIam ? familyPolicies(io, ctx, family) : Promise.resolve(family.map(() => undefined)),
    cfg.creatorLookup && want.has('creators') ? entriesFor(io, ctx, 'creators') : Promise.resolve(undefined),
    want.has('sources') ? listDisks(io, ctx) : Promise.resolve(undefined),
  ]);
  const disks = diskList ? labelsOf(diskList) : undefined;
  return [
    ...normaliseSnapshots(ctx, raw, { policies, entries, disks }),
    ...normaliseFamily(ctx, family, { policies: familyIam, creators: entries ? familyCreatorsFromEntries(entries) : null, disks }),
    ...normaliseSchedules(ctx, schedules, { disks: diskList, entries }),
  ];
}

function normaliseSnapshots(
  ctx: GcpScopeContext,
  raw: readonly RawSnapshot[],
  reads: {
    policies: Array<RawBinding[] | undefined>;
    entries: AuditLogEntry[] | undefined;
    disks: Map<string, Record<string, string>> | undefined;
  },
): Snapshot[] {
  const want = ctx.needs;
  const cfg = ctx.config;
  const { policies, entries, disks } = reads;
  const creators = entries ? creatorsFromEntries(entries) : null;
  const attachments = entries ? attachmentsFromEntries(entries) : null;
  return raw.map((s, i) => {
    const iam = policies[i];
    const created = s.creationTimestamp ? new Date(s.creationTimestamp).toISOString() : null;
    return normaliseSnapshot({
      projectId: ctx.project.projectId,
      raw: s,
      iam: iam ?? null,
      iamNote: !want.has('sharing')
        ? null
        : cfg.snapshotIamLookup.enabled
          ? iam
            ? null
            : 'snapshot IAM policy could not be read'
          : 'snapshot IAM lookup is turned off',
      creator: creators ? creatorFor(creators.get(s.name ?? ''), created) : null,
      scheduleAttachedBy:
        attachments && s.sourceDisk && s.sourceSnapshotSchedulePolicy
          ? (attachments.get(`${resourcePath(s.sourceDisk)}|${resourcePath(s.sourceSnapshotSchedulePolicy)}`) ?? null)
          : null,
      diskLabels: s.sourceDisk && disks ? (disks.get(resourcePath(s.sourceDisk)) ?? null) : null,
      membership: ctx.membership,
      ownerTagKeys: ctx.policy.ownerTagKeys,
    });
  });
}
