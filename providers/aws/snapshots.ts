/**
 * Snapshot inventory per account × region: DescribeSnapshots (owned, paged); where snapshots exist, the public ones
 * in one filtered call (`RestorableByUserIds=all`), per-snapshot DescribeSnapshotAttribute createVolumePermission
 * (bounded concurrency), the creator from CloudTrail LookupEvents (one listing per event name), the source volume's
 * tags from DescribeVolumes (one filtered listing per 200 volumes) and, where encrypted snapshots exist, the
 * region's KMS aliases (kms:ListAliases) to tell AWS managed keys from customer managed ones.
 *
 * Authority: createVolumePermission is the sharing setting itself; the filtered listing is a hint that decides only
 * where the attribute was not read, and a disagreement between them is a conflict note on the snapshot
 * (src/core/model/provenance.ts). Every note quotes what a read returned.
 */
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  type CreateVolumePermission,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  type Snapshot as Ec2Snapshot,
} from '@aws-sdk/client-ec2';
import pLimit from 'p-limit';
import type { AwsConfig, Policy } from '../../src/core/config/schema.ts';
import { resolveOwner } from '../../src/core/model/owner.ts';
import { type Decision, decideFact, type SourcedReading } from '../../src/core/model/provenance.ts';
import type { Fact, Snapshot, Tri } from '../../src/core/model/result.ts';
import { type AccountIO, allPages } from './account-io.ts';
import { type CreationIndex, type CreationRecord, copiedFrom, creationOf, emptyIndex, imageOf, indexEvents } from './creators.ts';
import { classifyKey, type KeyAliases, keyAliases } from './kms.ts';
import { creationEventNames } from './snapshot-events.ts';

export interface SnapshotOptions {
  cfg: AwsConfig;
  policy: Policy;
  orgAccounts: ReadonlySet<string> | null;
  /** The caller's partition, for resource ARNs. */
  partition: string;
  now: Date;
}

const NO_VOLUME = 'vol-ffffffff';
const HISTORY_DAYS = 90;

/** The reads a sharing verdict can come from. */
export const ATTRIBUTE = 'ec2:DescribeSnapshotAttribute createVolumePermission';
export const PUBLIC_LISTING = 'ec2:DescribeSnapshots RestorableByUserIds=all';

function tagsOf(list: ReadonlyArray<{ Key?: string | undefined; Value?: string | undefined }> | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

async function creators(io: AccountIO, region: string, now: Date): Promise<CreationIndex | undefined> {
  const index = emptyIndex();
  const start = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
  const results = await Promise.all(
    creationEventNames.map((name) =>
      io.part('creators', region, async () => {
        const events = await allPages(io.listing('cloudtrail:LookupEvents', region, `EventName=${name}`), async (token) => {
          const out = await io.send('cloudtrail', region, { name: 'LookupEvents', purpose: `EventName=${name}` }, (c, abortSignal) =>
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
  // Index in the catalogue's fixed order so the result does not depend on timing.
  for (const events of results) if (events) indexEvents(index, events);
  return index;
}

async function volumeTags(io: AccountIO, region: string, ids: readonly string[]): Promise<Map<string, Record<string, string>> | undefined> {
  if (ids.length === 0) return new Map();
  return io.part('snapshots', region, async () => {
    const out = new Map<string, Record<string, string>>();
    for (let i = 0; i < ids.length; i += 200) {
      const chunk = ids.slice(i, i + 200);
      const volumes = await allPages(io.listing('ec2:DescribeVolumes', region), async (token) => {
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

function publicListing(io: AccountIO, region: string): Promise<Set<string> | undefined> {
  return io.part('sharing', region, async () => {
    const out = await allPages<Ec2Snapshot>(io.listing('ec2:DescribeSnapshots', region, 'RestorableByUserIds=all'), async (token) => {
      const page = await io.send('ec2', region, 'DescribeSnapshots', (c, abortSignal) =>
        c.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], RestorableByUserIds: ['all'], MaxResults: 1000, NextToken: token }), {
          abortSignal,
        }),
      );
      return { items: page.Snapshots, next: page.NextToken };
    });
    return new Set(out.map((s) => s.SnapshotId ?? ''));
  });
}

/** Does the region need its KMS aliases (an encrypted snapshot whose key is in this account)? */
function needsAliases(raw: readonly Ec2Snapshot[], accountId: string): boolean {
  return raw.some((s) => s.Encrypted && s.KmsKeyId?.split(':')[4] === accountId);
}

export async function collectSnapshots(io: AccountIO, o: SnapshotOptions): Promise<Snapshot[]> {
  const shareLimit = pLimit(o.cfg.shareLookup.concurrency);
  const perRegion = await Promise.all(
    io.scope.regions.map(async (region) => {
      const raw = await io.part('snapshots', region, async () => {
        const items = await allPages<Ec2Snapshot>(io.listing('ec2:DescribeSnapshots', region), async (token) => {
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
      const [listed, index, volumes, aliases] = await Promise.all([
        publicListing(io, region),
        o.cfg.creatorLookup ? creators(io, region, o.now) : Promise.resolve(undefined),
        volumeTags(io, region, volumeIds),
        needsAliases(raw, io.scope.id) ? keyAliases(io, region) : Promise.resolve(undefined),
      ]);
      return Promise.all(
        raw.map(async (s) => {
          let permissions: CreateVolumePermission[] | null = null;
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
            permissions = attr ? (attr.CreateVolumePermissions ?? []) : null;
          }
          return normaliseSnapshot(
            s,
            region,
            io.scope.id,
            {
              listedPublic: listed ? listed.has(s.SnapshotId ?? '') : null,
              permissions,
              creation: index ? creationOf(index, s.SnapshotId ?? '', s.Description) : null,
              sourceTags: s.VolumeId ? volumes?.get(s.VolumeId) : undefined,
              aliases: aliases ?? null,
            },
            o,
          );
        }),
      );
    }),
  );
  return perRegion.flat();
}

/** What was read about one snapshot besides its DescribeSnapshots entry. */
export interface SnapshotReads {
  /** Was it in the `RestorableByUserIds=all` listing? null: the listing was not read. */
  listedPublic: boolean | null;
  /** createVolumePermission as received; null: not read (shareLookup disabled, or the call failed). */
  permissions: CreateVolumePermission[] | null;
  creation: CreationRecord | null;
  sourceTags: Record<string, string> | undefined;
  /** The region's KMS aliases; null when not read. */
  aliases: KeyAliases | null;
}

/** A createVolumePermission list quoted as received: `Group=all, UserId=123456789012`, or `empty`. */
export function quotePermissions(perms: readonly CreateVolumePermission[]): string {
  const items = perms.map((p) => (p.Group ? `Group=${p.Group}` : p.UserId ? `UserId=${p.UserId}` : 'entry without Group or UserId'));
  return items.length ? items.join(', ') : 'empty';
}

/** Public: the attribute decides when read; the listing is a hint (conflict note when they disagree). */
export function publicDecision(r: Pick<SnapshotReads, 'listedPublic' | 'permissions'>): Decision<Tri> {
  const authority: SourcedReading<Tri> | null = r.permissions
    ? { source: ATTRIBUTE, value: quotePermissions(r.permissions), verdict: r.permissions.some((p) => p.Group === 'all') ? 'yes' : 'no' }
    : null;
  const hints: SourcedReading<Tri>[] =
    r.listedPublic === null
      ? []
      : [{ source: PUBLIC_LISTING, value: r.listedPublic ? 'listed' : 'not listed', verdict: r.listedPublic ? 'yes' : 'no' }];
  return decideFact('public', authority, hints, 'unknown');
}

/** Automation claims the snapshot's own tags make (AWS Backup and DLM tag what they create): hints, never the decider. */
function automationClaims(tags: Record<string, string>): SourcedReading<string | null>[] {
  const claims: SourcedReading<string | null>[] = [];
  const backup = Object.keys(tags).find((k) => k.startsWith('aws:backup:'));
  const dlm = Object.keys(tags).find((k) => k.startsWith('aws:dlm:'));
  if (backup) claims.push({ source: 'ec2:DescribeSnapshots Tags', value: `tag ${backup}`, verdict: 'aws-backup' });
  if (dlm) claims.push({ source: 'ec2:DescribeSnapshots Tags', value: `tag ${dlm}`, verdict: 'dlm' });
  return claims;
}

/** Automation: only the identity in the creating event decides; without it approval stays unknown, whatever the tags say. */
export function automationDecision(tags: Record<string, string>, creation: CreationRecord | null): Decision<string | null> {
  const claims = automationClaims(tags);
  if (!creation) {
    const facts: Fact[] = claims.map((c) => ({ fact: 'automation', source: c.source, value: c.value, authoritative: false }));
    return { verdict: null, decidedBy: null, facts, conflicts: [] };
  }
  const identity: SourcedReading<string | null> = {
    source: `cloudtrail:LookupEvents ${creation.eventName} userIdentity`,
    value: creation.automation?.basis ?? creation.identity,
    verdict: creation.automation?.by ?? null,
  };
  return decideFact('automation', identity, claims, null);
}

export function normaliseSnapshot(s: Ec2Snapshot, region: string, accountId: string, r: SnapshotReads, o: SnapshotOptions): Snapshot {
  const tags = tagsOf(s.Tags);
  const id = s.SnapshotId ?? 'unknown';
  const volume = s.VolumeId && s.VolumeId !== NO_VOLUME ? s.VolumeId : null;
  const copied = r.creation?.sourceSnapshotId ?? copiedFrom(s.Description);
  const image = imageOf(s.Description);
  const source: Snapshot['source'] = volume
    ? { kind: 'volume', id: volume, tags: r.sourceTags ?? {} }
    : copied
      ? { kind: 'snapshot', id: copied, tags: {} }
      : image
        ? { kind: 'image', id: image, tags: {} }
        : { kind: 'unknown', id: null, tags: {} };

  const pub = publicDecision(r);
  const key = classifyKey(s.Encrypted, s.KmsKeyId, accountId, r.aliases);
  const automation = automationDecision(tags, r.creation);
  const shares = r.permissions ? r.permissions.map((p) => p.UserId).filter((u): u is string => !!u) : null;
  const facts: Fact[] = [
    ...pub.facts,
    ...(r.permissions
      ? [
          {
            fact: 'shared-with' as const,
            source: ATTRIBUTE,
            value: shares?.length ? shares.map((u) => `UserId=${u}`).join(', ') : 'no UserId',
            authoritative: true,
          },
        ]
      : []),
    ...key.readings.map((k) => ({ fact: 'encryption' as const, source: k.source, value: k.value, authoritative: true })),
    ...(r.creation
      ? [
          {
            fact: 'creator' as const,
            source: `cloudtrail:LookupEvents ${r.creation.eventName}`,
            value: r.creation.identity,
            authoritative: true,
          },
        ]
      : []),
    ...automation.facts,
  ];
  const notes = [
    ...(pub.verdict === 'yes' && pub.decidedBy ? [`${pub.decidedBy.source}: ${pub.decidedBy.value}`] : []),
    ...(shares === null && o.cfg.shareLookup.enabled ? ['shares with specific accounts could not be read'] : []),
    ...(shares === null && !o.cfg.shareLookup.enabled ? ['shares with specific accounts not looked up (shareLookup disabled)'] : []),
  ];
  return {
    kind: 'disk-snapshot',
    id,
    name: tags.Name ?? null,
    resourceId: `arn:${o.partition}:ec2:${region}::snapshot/${id}`,
    region,
    createdAt: s.StartTime ? s.StartTime.toISOString() : null,
    sizeGiB: s.VolumeSize ?? null,
    state: s.State ?? null,
    description: s.Description || null,
    tags,
    encryption: key.encryption,
    sharing: {
      public: pub.verdict,
      sharedWith: (shares ?? []).map((a) => ({
        id: a,
        kind: 'account',
        inOrganization: a === accountId ? 'yes' : o.orgAccounts === null ? 'unknown' : o.orgAccounts.has(a) ? 'yes' : 'no',
      })),
      sharesKnown: shares !== null,
      notes,
    },
    owner: resolveOwner({
      tags,
      ownerTagKeys: o.policy.ownerTagKeys,
      creatorFromAudit: r.creation?.identity ?? null,
      ...(r.sourceTags ? { sourceTags: r.sourceTags } : {}),
    }),
    creator: r.creation ? { identity: r.creation.identity, source: 'audit-event', at: r.creation.at } : null,
    source,
    automation: automation.verdict ? { by: automation.verdict, basis: automation.decidedBy?.value ?? null } : { by: null, basis: null },
    facts,
    conflicts: [...pub.conflicts, ...automation.conflicts],
  };
}
