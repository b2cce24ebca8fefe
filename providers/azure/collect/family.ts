/**
 * The reads of the snapshot family below the subscription listings: a gallery's image definitions and their versions
 * (and the groups a directly shared gallery is shared with, for `sharing`), a restore point collection's restore
 * points and their disk restore points. Azure has no subscription-wide listing of these, so they cost one call per
 * gallery, image definition, collection and restore point; each failure is a gap of its own and the rest goes on.
 */
import type { DiskRestorePoint, Gallery, GalleryImageVersion, RestorePoint, RestorePointCollection } from '@azure/arm-compute';
import { gapFrom, isInterruption } from '../../gaps.ts';
import { classifyAzureError } from '../errors.ts';
import { resourceGroupOf } from '../ids.ts';
import type { GallerySharing } from '../normalise/family.ts';
import type { AzureScopeIO } from '../scope-io.ts';

export interface GalleryVersions {
  sharing: GallerySharing;
  versions: Array<{ image: string; version: GalleryImageVersion }>;
}

export interface RestorePoints {
  collection: RestorePointCollection;
  points: Array<{ point: RestorePoint; disks: DiskRestorePoint[] }>;
}

const resourceGroup = (id: string | undefined) => resourceGroupOf(id ?? '') ?? '';

/** The groups a directly shared gallery is shared with, or why they are not known. */
async function groupsOf(io: AzureScopeIO, g: Gallery, wanted: boolean): Promise<Pick<GallerySharing, 'groups' | 'groupsGap'>> {
  if (!wanted || (g.sharingProfile?.permissions ?? '').toLowerCase() !== 'groups') return { groups: null, groupsGap: null };
  try {
    const full = await io.getGallerySharing(resourceGroup(g.id), g.name ?? '');
    return { groups: full.sharingProfile?.groups ?? [], groupsGap: null };
  } catch (err) {
    if (isInterruption(err)) throw err;
    const gap = gapFrom(err, 'sharing', null, classifyAzureError);
    io.gaps.push(gap);
    return { groups: null, groupsGap: `the read failed: ${gap.code}` };
  }
}

/** Every version of every image definition of one gallery (a failed listing leaves a gap and those versions out). */
export async function galleryVersions(io: AzureScopeIO, g: Gallery, readGroups: boolean): Promise<GalleryVersions> {
  const rg = resourceGroup(g.id);
  const name = g.name ?? '';
  const [groups, images] = await Promise.all([groupsOf(io, g, readGroups), io.part('snapshots', () => io.listGalleryImages(rg, name))]);
  const lists = await Promise.all(
    (images ?? []).map(async (image) => {
      const versions = await io.part('snapshots', () => io.listGalleryImageVersions(rg, name, image.name ?? ''));
      return (versions ?? []).map((version) => ({ image: image.name ?? '', version }));
    }),
  );
  return { sharing: { gallery: g, ...groups }, versions: lists.flat() };
}

/** A collection's restore points (`$expand=restorePoints`) and each one's disk restore points. */
export async function restorePoints(io: AzureScopeIO, c: RestorePointCollection): Promise<RestorePoints> {
  const rg = resourceGroup(c.id);
  const name = c.name ?? '';
  const full = await io.part('snapshots', () => io.getRestorePoints(rg, name));
  const points = await Promise.all(
    (full?.restorePoints ?? []).map(async (point) => ({
      point,
      disks: (await io.part('snapshots', () => io.listDiskRestorePoints(rg, name, point.name ?? ''))) ?? [],
    })),
  );
  return { collection: full ?? c, points };
}
