/**
 * EBS snapshot inventory per account × region: DescribeSnapshots (owned, paged). Where snapshots exist, and only for
 * the refined needs the selected checks declare (src/core/model/needs.ts):
 * - `sharing`: the public ones in one filtered call (`RestorableByUserIds=all`) and per-snapshot
 *   DescribeSnapshotAttribute createVolumePermission (bounded concurrency);
 * - `creators`: the creator from CloudTrail LookupEvents (collect/creators.ts);
 * - `sources`: the source volumes' tags from DescribeVolumes (one filtered listing per 200 volumes);
 * - `keys`: where encrypted snapshots use a key of the account, its KMS aliases (collect/keys.ts).
 * The normaliser (normalise/snapshots.ts) decides the verdicts.
 */
import type { CreateVolumePermission, Snapshot as Ec2Snapshot } from '@aws-sdk/client-ec2';
import pLimit from 'p-limit';
import type { Snapshot } from '../../../src/core/model/result.ts';
import { creationOf } from '../normalise/creators.ts';
import { NO_VOLUME, normaliseSnapshot, type SnapshotOptions, tagsOf } from '../normalise/snapshots.ts';
import { type AccountIO, allPages } from '../scope-io.ts';
import { creationEventNames } from '../snapshot-events.ts';
import { creationIndex } from './creators.ts';
import { keyAliases } from './keys.ts';

export type { SnapshotOptions } from '../normalise/snapshots.ts';

async function volumeTags(io: AccountIO, region: string, ids: readonly string[]): Promise<Map<string, Record<string, string>> | undefined> {
  if (ids.length === 0) return new Map();
  return io.part('snapshots', region, async () => {
    const out = new Map<string, Record<string, string>>();
    for (let i = 0; i < ids.length; i += 200) {
      const chunk = ids.slice(i, i + 200);
      const volumes = await allPages(io.listing('ec2:DescribeVolumes', region), async (token) => {
        const page = await io.api.describeVolumes(region, {
          Filters: [{ Name: 'volume-id', Values: chunk }],
          MaxResults: 1000,
          NextToken: token,
        });
        return { items: page.Volumes, next: page.NextToken };
      });
      for (const v of volumes) if (v.VolumeId) out.set(v.VolumeId, tagsOf(v.Tags));
    }
    return out;
  });
}

function publicListing(io: AccountIO, region: string): Promise<Set<string> | undefined> {
  return io.part('sharing', region, async () => {
    const out = await allPages<Ec2Snapshot>(io.listing('ec2:DescribeSnapshots', region, 'RestorableByUserIds=all'), async (token) => {
      const input = { OwnerIds: ['self'], RestorableByUserIds: ['all'], MaxResults: 1000, NextToken: token };
      const page = await io.api.describeSnapshots(region, input);
      return { items: page.Snapshots, next: page.NextToken };
    });
    return new Set(out.map((s) => s.SnapshotId ?? ''));
  });
}

/** Does the region need its KMS aliases (an encrypted artifact whose key is in this account)? */
export function needsAliases(
  keys: ReadonlyArray<{ encrypted: boolean | undefined; keyId: string | undefined }>,
  accountId: string,
): boolean {
  return keys.some((k) => k.encrypted && k.keyId?.split(':')[4] === accountId);
}

/** The owned snapshots of one region, every page; undefined when the listing failed (a gap is recorded). */
function listSnapshots(io: AccountIO, region: string): Promise<Ec2Snapshot[] | undefined> {
  return io.part('snapshots', region, async () => {
    const items = await allPages<Ec2Snapshot>(io.listing('ec2:DescribeSnapshots', region), async (token) => {
      const out = await io.api.describeSnapshots(region, { OwnerIds: ['self'], MaxResults: 1000, NextToken: token });
      return { items: out.Snapshots, next: out.NextToken };
    });
    io.ok.add(region);
    return items;
  });
}

async function regionSnapshots(io: AccountIO, region: string, o: SnapshotOptions, limit: ReturnType<typeof pLimit>): Promise<Snapshot[]> {
  const raw = await listSnapshots(io, region);
  if (!raw || raw.length === 0) return [];
  const needs = io.rt.needs;
  const wantSharing = needs.has('sharing');
  const volumeIds = [...new Set(raw.map((s) => s.VolumeId).filter((v): v is string => !!v && v !== NO_VOLUME))].sort();
  const keys = raw.map((s) => ({ encrypted: s.Encrypted, keyId: s.KmsKeyId }));
  const [listed, index, volumes, aliases] = await Promise.all([
    wantSharing ? publicListing(io, region) : undefined,
    needs.has('creators') && o.cfg.creatorLookup ? creationIndex(io, region, creationEventNames, o.now) : undefined,
    needs.has('sources') ? volumeTags(io, region, volumeIds) : undefined,
    needs.has('keys') && needsAliases(keys, io.scope.id) ? keyAliases(io, region) : undefined,
  ]);
  return Promise.all(
    raw.map(async (s) => {
      let permissions: CreateVolumePermission[] | null = null;
      if (wantSharing && o.cfg.shareLookup.enabled) {
        const attr = await limit(() =>
          io.part('sharing', region, () =>
            io.api.describeSnapshotAttribute(region, { SnapshotId: s.SnapshotId, Attribute: 'createVolumePermission' }),
          ),
        );
        permissions = attr ? (attr.CreateVolumePermissions ?? []) : null;
      }
      const reads = {
        listedPublic: listed ? listed.has(s.SnapshotId ?? '') : null,
        permissions,
        creation: index ? creationOf(index, s.SnapshotId ?? '', s.Description) : null,
        sourceTags: s.VolumeId ? volumes?.get(s.VolumeId) : undefined,
        aliases: aliases ?? null,
        ...(wantSharing ? {} : { sharingSkipped: true }),
      };
      return normaliseSnapshot(s, region, io.scope.id, reads, o);
    }),
  );
}

export async function collectSnapshots(io: AccountIO, o: SnapshotOptions): Promise<Snapshot[]> {
  const limit = pLimit(o.cfg.shareLookup.concurrency);
  const perRegion = await Promise.all(io.scope.regions.map((region) => regionSnapshots(io, region, o, limit)));
  return perRegion.flat();
}
