/**
 * The snapshot family per account × region: one listing per kind — EBS snapshots (DescribeSnapshots, owned), AMIs
 * (collect/images.ts), RDS DB and cluster snapshots (collect/databases.ts) — and AWS Backup recovery points per
 * vault (collect/backup.ts). A region holding none of a kind costs that one listing. Where items exist, and only
 * for the refined needs the selected checks declare (src/core/model/needs.ts):
 * - `sharing`: the per-item attribute (createVolumePermission, launchPermission, the RDS `restore` attribute of
 *   manual snapshots; bounded concurrency), except for EBS and RDS snapshots an IAM Access Analyzer analyzer analysed
 *   and reports no finding on (collect/analyzer.ts: its findings are read once per analyzer instead); the public
 *   listings (`RestorableByUserIds=all`, `ExecutableUsers=all`) only where neither decides (`shareLookup` off, or a
 *   read failed): the attribute decides, so a listing read beside it would cost a call per region and could only be
 *   overruled;
 * - `creators`: CloudTrail LookupEvents for the creation events of the kinds present (collect/creators.ts);
 * - `sources`: the source volumes' tags from DescribeVolumes (one filtered listing per 200 volumes);
 * - `keys`: where an encrypted item uses a key of the account, the region's KMS aliases (collect/keys.ts).
 * The normalisers (normalise/*.ts) decide the verdicts.
 */
import type { CreateVolumePermission, Snapshot as Ec2Snapshot, Image } from '@aws-sdk/client-ec2';
import pLimit from 'p-limit';
import type { ArtifactKind, Snapshot } from '../../../src/core/model/result.ts';
import { type CreationIndex, creationOf, dbCreationOf, imageCreationOf } from '../normalise/creators.ts';
import { type DbArtifact, normaliseDbArtifact, shareable, sharedIn } from '../normalise/databases.ts';
import { normaliseImage } from '../normalise/images.ts';
import type { KeyAliases } from '../normalise/keys.ts';
import { NO_VOLUME, normaliseSnapshot, type SnapshotOptions, tagsOf } from '../normalise/snapshots.ts';
import { type AccountIO, allPages } from '../scope-io.ts';
import { creationEventsFor } from '../snapshot-events.ts';
import { type AnalyzerCoverage, type AnalyzerOptions, analyzerCoverage, attributeNeeded, readingFor } from './analyzer.ts';
import { collectRecoveryPoints, type RecoveryPointListing } from './backup.ts';
import { creationIndex } from './creators.ts';
import { listDbClusterSnapshots, listDbSnapshots, restoreAttribute } from './databases.ts';
import { launchPermissions, listImages, publicImages } from './images.ts';
import { keyAliases } from './keys.ts';

export type { SnapshotOptions } from '../normalise/snapshots.ts';

/** The snapshot options, and where IAM Access Analyzer analyzers are looked for (absent: nowhere). */
export interface CollectSnapshotOptions extends SnapshotOptions {
  analyzers?: AnalyzerOptions;
}

type Limit = ReturnType<typeof pLimit>;

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

function publicSnapshots(io: AccountIO, region: string): Promise<Set<string> | undefined> {
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

/** What one region's listings returned, and the region-wide reads shared by every kind. */
interface RegionListing {
  ebs: Ec2Snapshot[];
  images: Image[];
  dbs: DbArtifact[];
  backup: RecoveryPointListing;
}

interface RegionShared {
  index: CreationIndex | undefined;
  aliases: KeyAliases | undefined;
}

async function sharedReads(io: AccountIO, region: string, l: RegionListing, o: SnapshotOptions): Promise<RegionShared> {
  const kinds = new Set<ArtifactKind>([
    ...(l.ebs.length ? (['disk-snapshot'] as const) : []),
    ...(l.images.length ? (['image'] as const) : []),
    // A snapshot shared in was made in its owner's account: no creation event of it here to look up.
    ...l.dbs.filter((d) => !sharedIn(d, io.scope.id)).map((d) => d.kind),
  ]);
  const keys = [
    ...l.ebs.map((s) => ({ encrypted: s.Encrypted, keyId: s.KmsKeyId })),
    ...l.images.flatMap((i) => (i.BlockDeviceMappings ?? []).map((m) => ({ encrypted: m.Ebs?.Encrypted, keyId: m.Ebs?.KmsKeyId }))),
    ...l.dbs.map((d) => ({ encrypted: d.encrypted, keyId: d.kmsKeyId })),
    ...l.backup.keys,
  ];
  const needs = io.rt.needs;
  const names = creationEventsFor(kinds);
  const [index, aliases] = await Promise.all([
    needs.has('creators') && o.cfg.creatorLookup && names.length ? creationIndex(io, region, names, o.now) : undefined,
    needs.has('keys') && needsAliases(keys, io.scope.id) ? keyAliases(io, region) : undefined,
  ]);
  return { index, aliases };
}

/**
 * The public listings are hints the per-item attribute overrules: read only where they can decide something —
 * without attribute reads, or for an item whose attribute was not read (it failed) and no analyzer analysed (then
 * the listing is the only word on that item).
 */
const listingNeeded = (wantSharing: boolean, attributes: ReadonlyArray<unknown> | null, analysed: (i: number) => boolean = () => false) =>
  wantSharing && (attributes === null || attributes.some((a, i) => (a === undefined || a === null) && !analysed(i)));

async function ebsItems(
  io: AccountIO,
  region: string,
  raw: Ec2Snapshot[],
  shared: RegionShared,
  o: SnapshotOptions,
  limit: Limit,
  coverage: AnalyzerCoverage | undefined,
) {
  if (raw.length === 0) return [];
  const wantSharing = io.rt.needs.has('sharing');
  const volumeIds = [...new Set(raw.map((s) => s.VolumeId).filter((v): v is string => !!v && v !== NO_VOLUME))].sort();
  const readings = raw.map((s) => readingFor(coverage, 'AWS::EC2::Snapshot', io.scope.id, s.SnapshotId, s.StartTime));
  const [attributes, volumes] = await Promise.all([
    wantSharing && o.cfg.shareLookup.enabled
      ? Promise.all(
          raw.map((s, i) =>
            attributeNeeded(readings[i] ?? null)
              ? limit(() =>
                  io.part('sharing', region, () =>
                    io.api.describeSnapshotAttribute(region, { SnapshotId: s.SnapshotId, Attribute: 'createVolumePermission' }),
                  ),
                )
              : null,
          ),
        )
      : null,
    io.rt.needs.has('sources') ? volumeTags(io, region, volumeIds) : undefined,
  ]);
  const analysed = (i: number) => readings[i]?.analysed === true;
  const listed = listingNeeded(wantSharing, attributes, analysed) ? await publicSnapshots(io, region) : undefined;
  return raw.map((s, i) => {
    const attr = attributes?.[i];
    const permissions: CreateVolumePermission[] | null = attr ? (attr.CreateVolumePermissions ?? []) : null;
    const reads = {
      listedPublic: listed ? listed.has(s.SnapshotId ?? '') : null,
      permissions,
      analyzer: readings[i] ?? null,
      creation: shared.index ? creationOf(shared.index, s.SnapshotId ?? '', s.Description) : null,
      sourceTags: s.VolumeId ? volumes?.get(s.VolumeId) : undefined,
      aliases: shared.aliases ?? null,
      ...(wantSharing ? {} : { sharingSkipped: true }),
    };
    return normaliseSnapshot(s, region, io.scope.id, reads, o);
  });
}

async function imageItems(io: AccountIO, region: string, raw: Image[], shared: RegionShared, o: SnapshotOptions, limit: Limit) {
  if (raw.length === 0) return [];
  const wantSharing = io.rt.needs.has('sharing');
  const attributes =
    wantSharing && o.cfg.shareLookup.enabled
      ? await Promise.all(raw.map((image) => launchPermissions(io, region, image.ImageId, limit)))
      : null;
  const listed = listingNeeded(wantSharing, attributes) ? await publicImages(io, region) : undefined;
  return raw.map((image, i) => {
    const reads = {
      listedPublic: listed ? listed.has(image.ImageId ?? '') : null,
      permissions: attributes?.[i] ?? null,
      creation: shared.index ? imageCreationOf(shared.index, image.ImageId ?? '') : null,
      aliases: shared.aliases ?? null,
      ...(wantSharing ? {} : { sharingSkipped: true }),
    };
    return normaliseImage(image, region, io.scope.id, reads, o);
  });
}

const analyzedType = (a: DbArtifact) => (a.kind === 'db-snapshot' ? 'AWS::RDS::DBSnapshot' : 'AWS::RDS::DBClusterSnapshot');

async function dbItems(
  io: AccountIO,
  region: string,
  raw: DbArtifact[],
  shared: RegionShared,
  o: SnapshotOptions,
  limit: Limit,
  coverage: AnalyzerCoverage | undefined,
) {
  const wantSharing = io.rt.needs.has('sharing');
  return Promise.all(
    raw.map(async (a) => {
      // A snapshot shared in from another account: its attribute is the owner's (and not readable from here).
      const ours = !sharedIn(a, io.scope.id);
      const reading = ours && shareable(a) ? readingFor(coverage, analyzedType(a), io.scope.id, a.id, a.createdAt) : null;
      const restore =
        wantSharing && o.cfg.shareLookup.enabled && ours && shareable(a) && attributeNeeded(reading)
          ? await restoreAttribute(io, region, a, limit)
          : null;
      const reads = {
        restore,
        analyzer: reading,
        creation: shared.index ? dbCreationOf(shared.index, a.kind, a.id) : null,
        aliases: shared.aliases ?? null,
        ...(wantSharing ? {} : { sharingSkipped: true }),
      };
      return normaliseDbArtifact(a, region, io.scope.id, reads, o);
    }),
  );
}

async function regionListing(io: AccountIO, region: string, o: SnapshotOptions): Promise<RegionListing> {
  const [ebs, images, dbs, clusters, backup] = await Promise.all([
    listSnapshots(io, region),
    listImages(io, region),
    listDbSnapshots(io, region),
    listDbClusterSnapshots(io, region),
    collectRecoveryPoints(io, region, o),
  ]);
  return { ebs: ebs ?? [], images: images ?? [], dbs: [...(dbs ?? []), ...(clusters ?? [])], backup };
}

async function regionInventory(
  io: AccountIO,
  region: string,
  listing: RegionListing,
  coverage: AnalyzerCoverage | undefined,
  o: SnapshotOptions,
  limit: Limit,
): Promise<Snapshot[]> {
  const shared = await sharedReads(io, region, listing, o);
  const parts = await Promise.all([
    ebsItems(io, region, listing.ebs, shared, o, limit, coverage),
    imageItems(io, region, listing.images, shared, o, limit),
    dbItems(io, region, listing.dbs, shared, o, limit, coverage),
  ]);
  return [...parts.flat(), ...listing.backup.normalise(shared.aliases ?? null)];
}

/** Per region, the items whose sharing an analyzer could read instead: EBS snapshots and the account's manual RDS ones. */
const analysable = (io: AccountIO, l: RegionListing) =>
  l.ebs.length + l.dbs.filter((d) => !sharedIn(d, io.scope.id) && shareable(d)).length;

export async function collectSnapshots(io: AccountIO, o: CollectSnapshotOptions): Promise<Snapshot[]> {
  const limit = pLimit(o.cfg.shareLookup.concurrency);
  const regions = io.scope.regions;
  const listings = await Promise.all(regions.map((region) => regionListing(io, region, o)));
  const useAnalyzers = io.rt.needs.has('sharing') && o.cfg.shareLookup.enabled && o.cfg.shareLookup.accessAnalyzer !== false;
  const coverage =
    useAnalyzers && o.analyzers
      ? await analyzerCoverage(io, new Map(regions.map((r, i) => [r, listings[i] ? analysable(io, listings[i]) : 0])), o.analyzers)
      : new Map<string, AnalyzerCoverage>();
  const perRegion = await Promise.all(
    regions.map((region, i) => regionInventory(io, region, listings[i] as RegionListing, coverage.get(region), o, limit)),
  );
  return perRegion.flat();
}
