/**
 * Snapshot inventory per account × region: DescribeSnapshots (owned, paged), the public ones in one filtered call,
 * optional per-snapshot DescribeSnapshotAttribute for shares with specific accounts (bounded concurrency), the
 * creator from CloudTrail LookupEvents (one listing per event name per region, only where snapshots exist) and the
 * source volume's tags from DescribeVolumes (one filtered listing per region).
 */
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  type Snapshot as Ec2Snapshot,
} from '@aws-sdk/client-ec2';
import pLimit from 'p-limit';
import { globMatch } from '../../src/core/glob.ts';
import type { AwsConfig, Baseline, Policy } from '../../src/core/config/schema.ts';
import { approvedAutomation, resolveOwner } from '../../src/core/model/owner.ts';
import type { Snapshot, Tri } from '../../src/core/model/result.ts';
import { type AccountIO, allPages } from './account-io.ts';
import {
  copiedFrom,
  type CreationIndex,
  type CreationRecord,
  creationEventNames,
  creationOf,
  emptyIndex,
  imageOf,
  indexEvents,
} from './creators.ts';

export interface SnapshotOptions {
  cfg: AwsConfig;
  policy: Policy;
  baseline: Baseline;
  orgAccounts: ReadonlySet<string> | null;
  now: Date;
}

const NO_VOLUME = 'vol-ffffffff';
const HISTORY_DAYS = 90;

function tagsOf(list: ReadonlyArray<{ Key?: string | undefined; Value?: string | undefined }> | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

async function creators(io: AccountIO, region: string, now: Date): Promise<CreationIndex | undefined> {
  const index = emptyIndex();
  const start = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
  const results = await Promise.all(
    creationEventNames.map((name) =>
      io.part('creators', region, async () => {
        const events = await allPages(async (token) => {
          const out = await io.send('cloudtrail', region, 'LookupEvents', (c, abortSignal) =>
            c.send(
              new LookupEventsCommand({
                LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }],
                StartTime: start,
                EndTime: now,
                MaxResults: 50,
                NextToken: token,
              }),
              { abortSignal },
            ),
          );
          return { items: out.Events, next: out.NextToken };
        });
        return events;
      }),
    ),
  );
  if (results.every((r) => r === undefined)) return undefined;
  // Index in a fixed order (CreateSnapshot, CreateSnapshots, CopySnapshot, CreateImage) so the result does not depend on timing.
  for (const events of results) if (events) indexEvents(index, events);
  return index;
}

async function volumeTags(io: AccountIO, region: string, ids: readonly string[]): Promise<Map<string, Record<string, string>> | undefined> {
  if (ids.length === 0) return new Map();
  return io.part('snapshots', region, async () => {
    const out = new Map<string, Record<string, string>>();
    for (let i = 0; i < ids.length; i += 200) {
      const chunk = ids.slice(i, i + 200);
      const volumes = await allPages(async (token) => {
        const page = await io.send('ec2', region, 'DescribeVolumes', (c, abortSignal) =>
          c.send(new DescribeVolumesCommand({ Filters: [{ Name: 'volume-id', Values: chunk }], MaxResults: 1000, NextToken: token }), {
            abortSignal,
          }),
        );
        return { items: page.Volumes, next: page.NextToken };
      });
      for (const v of volumes) if (v.VolumeId) out.set(v.VolumeId, tagsOf(v.Tags));
    }
    return out;
  });
}

export async function collectSnapshots(io: AccountIO, o: SnapshotOptions): Promise<Snapshot[]> {
  const shareLimit = pLimit(o.cfg.shareLookup.concurrency);
  const perRegion = await Promise.all(
    io.scope.regions.map(async (region) => {
      const raw = await io.part('snapshots', region, async () => {
        const items = await allPages<Ec2Snapshot>(async (token) => {
          const out = await io.send('ec2', region, 'DescribeSnapshots', (c, abortSignal) =>
            c.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: 1000, NextToken: token }), { abortSignal }),
          );
          return { items: out.Snapshots, next: out.NextToken };
        });
        io.ok.add(region);
        return items;
      });
      if (!raw || raw.length === 0) return [];
      const volumeIds = [...new Set(raw.map((s) => s.VolumeId).filter((v): v is string => !!v && v !== NO_VOLUME))].sort();
      const [publicIds, index, volumes] = await Promise.all([
        io.part('sharing', region, async () => {
          const out = await allPages<Ec2Snapshot>(async (token) => {
            const page = await io.send('ec2', region, 'DescribeSnapshots', (c, abortSignal) =>
              c.send(
                new DescribeSnapshotsCommand({ OwnerIds: ['self'], RestorableByUserIds: ['all'], MaxResults: 1000, NextToken: token }),
                {
                  abortSignal,
                },
              ),
            );
            return { items: page.Snapshots, next: page.NextToken };
          });
          return new Set(out.map((s) => s.SnapshotId ?? ''));
        }),
        o.cfg.creatorLookup ? creators(io, region, o.now) : Promise.resolve(undefined),
        volumeTags(io, region, volumeIds),
      ]);
      return Promise.all(
        raw.map(async (s) => {
          let shares: string[] | null = null;
          let isPublic: Tri = publicIds ? (publicIds.has(s.SnapshotId ?? '') ? 'yes' : 'no') : 'unknown';
          if (o.cfg.shareLookup.enabled) {
            const attr = await shareLimit(() =>
              io.part('sharing', region, () =>
                io.send('ec2', region, 'DescribeSnapshotAttribute', (c, abortSignal) =>
                  c.send(new DescribeSnapshotAttributeCommand({ SnapshotId: s.SnapshotId, Attribute: 'createVolumePermission' }), {
                    abortSignal,
                  }),
                ),
              ),
            );
            if (attr) {
              const perms = attr.CreateVolumePermissions ?? [];
              shares = perms.map((p) => p.UserId).filter((u): u is string => !!u);
              if (perms.some((p) => p.Group === 'all')) isPublic = 'yes';
              else if (isPublic === 'unknown') isPublic = 'no';
            }
          }
          const creation = index ? creationOf(index, s.SnapshotId ?? '', s.Description) : null;
          const sourceTags = s.VolumeId ? volumes?.get(s.VolumeId) : undefined;
          return normaliseSnapshot(s, region, io.scope.id, { isPublic, shares, creation, sourceTags }, o);
        }),
      );
    }),
  );
  return perRegion.flat();
}

interface SnapshotFacts {
  isPublic: Tri;
  shares: string[] | null;
  creation: CreationRecord | null;
  sourceTags: Record<string, string> | undefined;
}

export function normaliseSnapshot(s: Ec2Snapshot, region: string, accountId: string, f: SnapshotFacts, o: SnapshotOptions): Snapshot {
  const tags = tagsOf(s.Tags);
  const markers = [
    ...(Object.keys(tags).some((k) => k.startsWith('aws:backup:')) ? ['aws-backup'] : []),
    ...(Object.keys(tags).some((k) => k.startsWith('aws:dlm:')) ? ['dlm'] : []),
    ...(f.creation ? [f.creation.identity] : []),
  ];
  const id = s.SnapshotId ?? 'unknown';
  const volume = s.VolumeId && s.VolumeId !== NO_VOLUME ? s.VolumeId : null;
  const copied = f.creation?.sourceSnapshotId ?? copiedFrom(s.Description);
  const image = imageOf(s.Description);
  const source: Snapshot['source'] = volume
    ? { kind: 'volume', id: volume, tags: f.sourceTags ?? {} }
    : copied
      ? { kind: 'snapshot', id: copied, tags: {} }
      : image
        ? { kind: 'image', id: image, tags: {} }
        : { kind: 'unknown', id: null, tags: {} };
  const notes = [
    ...(f.isPublic === 'yes' ? ['createVolumePermission includes group all'] : []),
    ...(f.shares === null && o.cfg.shareLookup.enabled ? ['shares with specific accounts could not be read'] : []),
    ...(f.shares === null && !o.cfg.shareLookup.enabled ? ['shares with specific accounts not looked up (shareLookup disabled)'] : []),
  ];
  return {
    id,
    name: tags.Name ?? null,
    resourceId: `arn:aws:ec2:${region}::snapshot/${id}`,
    region,
    createdAt: s.StartTime ? s.StartTime.toISOString() : null,
    sizeGiB: s.VolumeSize ?? null,
    state: s.State ?? null,
    description: s.Description || null,
    tags,
    encryption: {
      status: s.Encrypted ? (s.KmsKeyId && !/alias\/aws\/ebs$/.test(s.KmsKeyId) ? 'customer-key' : 'provider-key') : 'unencrypted',
      keyId: s.KmsKeyId ?? null,
    },
    sharing: {
      public: f.isPublic,
      sharedWith: (f.shares ?? []).map((a) => ({
        id: a,
        kind: 'account',
        inOrganization: a === accountId ? 'yes' : o.orgAccounts === null ? 'unknown' : o.orgAccounts.has(a) ? 'yes' : 'no',
      })),
      sharesKnown: f.shares !== null,
      notes,
    },
    owner: resolveOwner({
      tags,
      ownerTagKeys: o.policy.ownerTagKeys,
      creatorFromAudit: f.creation?.identity ?? null,
      ...(f.sourceTags ? { sourceTags: f.sourceTags } : {}),
    }),
    creator: f.creation ? { identity: f.creation.identity, source: 'audit-event', at: f.creation.at } : null,
    source,
    automation: approvedAutomation(markers, o.baseline.automation, globMatch),
  };
}
