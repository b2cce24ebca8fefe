/**
 * The rest of the snapshot family in a project: images and machine images (global listings) and instant snapshots
 * (one aggregated listing, zonal and regional) — `snapshots` — and, as for snapshots, only the reads the selected
 * checks refine them with: each item's IAM policy (`sharing`), its creator from the Admin Activity entries the
 * snapshot collector read (`creators`), the source disks' labels (`sources`).
 */
import pLimit from 'p-limit';
import type { Snapshot } from '../../../src/core/model/result.ts';
import { attempt } from '../../gaps.ts';
import { classifyGcpError as classify } from '../errors.ts';
import { familyLocation, normaliseFamilyItem, type RawFamilyItem } from '../normalise/family.ts';
import type { RawBinding } from '../normalise/sharing.ts';
import { creatorFor, type Creator, resourcePath } from '../normalise/snapshots.ts';
import { GLOBAL, type GcpIO } from '../scope-io.ts';
import type { GcpScopeContext } from './context.ts';

/** The listings, each its own gap when it fails (undefined: nothing listed at all). */
export async function listFamily(io: GcpIO, ctx: GcpScopeContext): Promise<RawFamilyItem[]> {
  const P = ctx.project.projectId;
  const read = <T>(fn: () => Promise<T>) => attempt(ctx.gaps, 'snapshots', GLOBAL, classify, fn);
  const [images, machineImages, instants] = await Promise.all([
    read(() => io.listImages(P)),
    read(() => io.listMachineImages(P)),
    read(() => io.listInstantSnapshots(P)),
  ]);
  return [
    ...(images ?? []).map((raw): RawFamilyItem => ({ kind: 'image', raw })),
    ...(machineImages ?? []).map((raw): RawFamilyItem => ({ kind: 'machine-image', raw })),
    ...(instants ?? []).map((raw): RawFamilyItem => ({ kind: 'instant-snapshot', raw })),
  ];
}

/** `sharing`: each item's IAM bindings (undefined where the read failed), `concurrency` at a time. */
export function familyPolicies(io: GcpIO, ctx: GcpScopeContext, items: readonly RawFamilyItem[]): Promise<Array<RawBinding[] | undefined>> {
  const limit = pLimit(ctx.config.snapshotIamLookup.concurrency);
  return Promise.all(
    items.map((item) =>
      limit(() => attempt(ctx.gaps, 'sharing', familyLocation(item), classify, () => io.familyIamPolicy(ctx.project.projectId, item))),
    ),
  );
}

export interface FamilyReads {
  policies: Array<RawBinding[] | undefined>;
  /** Creating calls by `global/images/NAME`, `zones/Z/instantSnapshots/NAME`…; null when not looked up. */
  creators: Map<string, Creator[]> | null;
  disks: Map<string, Record<string, string>> | undefined;
}

/** `projects/p/global/images/x` (a self link or a resource name) → `global/images/x`. */
export function familyKey(path: string): string {
  return resourcePath(path).replace(/^projects\/[^/]+\//, '');
}

export function normaliseFamily(ctx: GcpScopeContext, items: readonly RawFamilyItem[], reads: FamilyReads): Snapshot[] {
  const want = ctx.needs;
  const iamOn = ctx.config.snapshotIamLookup.enabled;
  return items.map((item, i) => {
    const iam = reads.policies[i];
    const created = item.raw.creationTimestamp ? new Date(item.raw.creationTimestamp).toISOString() : null;
    const sourceDisk = item.kind === 'machine-image' ? null : item.raw.sourceDisk;
    const key = item.raw.selfLink ? familyKey(item.raw.selfLink) : null;
    return normaliseFamilyItem({
      projectId: ctx.project.projectId,
      item,
      iam: iam ?? null,
      iamNote: !want.has('sharing') ? null : iamOn ? (iam ? null : 'IAM policy could not be read') : 'snapshot IAM lookup is turned off',
      creator: reads.creators && key ? creatorFor(reads.creators.get(key), created) : null,
      diskLabels: sourceDisk && reads.disks ? (reads.disks.get(resourcePath(sourceDisk)) ?? null) : null,
      membership: ctx.membership,
      ownerTagKeys: ctx.policy.ownerTagKeys,
    });
  });
}
