/**
 * EBS snapshots as read → the model (pure). Authority: createVolumePermission is the sharing setting itself; the
 * filtered listing `RestorableByUserIds=all` is a hint that decides only where the attribute was not read, and a
 * disagreement between them is a conflict note on the snapshot (src/core/model/provenance.ts). Every note quotes
 * what a read returned.
 */
import type { CreateVolumePermission, Snapshot as Ec2Snapshot } from '@aws-sdk/client-ec2';
import type { AwsConfig, Policy } from '../../../src/core/config/schema.ts';
import { resolveOwner } from '../../../src/core/model/owner.ts';
import { type Decision, decideFact, type SourcedReading } from '../../../src/core/model/provenance.ts';
import { type AnalyzerReading, decidePublic, decideShares } from './analyzer.ts';
import type { Fact, Snapshot, Tri } from '../../../src/core/model/result.ts';
import { type CreationRecord, copiedFrom, imageOf } from './creators.ts';
import { classifyKey, type KeyAliases } from './keys.ts';

export interface SnapshotOptions {
  cfg: AwsConfig;
  policy: Policy;
  orgAccounts: ReadonlySet<string> | null;
  /** The caller's partition, for resource ARNs. */
  partition: string;
  now: Date;
}

export const NO_VOLUME = 'vol-ffffffff';

/** The reads a sharing verdict can come from. */
export const ATTRIBUTE = 'ec2:DescribeSnapshotAttribute createVolumePermission';
export const PUBLIC_LISTING = 'ec2:DescribeSnapshots RestorableByUserIds=all';

export function tagsOf(list: ReadonlyArray<{ Key?: string | undefined; Value?: string | undefined }> | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
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
  /** Set when the sharing reads were skipped because no selected check needs them. */
  sharingSkipped?: boolean;
  /** What an IAM Access Analyzer analyzer covering the snapshot said; absent or null: none covers it. */
  analyzer?: AnalyzerReading | null;
}

/** A createVolumePermission list quoted as received: `Group=all, UserId=123456789012`, or `empty`. */
export function quotePermissions(perms: readonly CreateVolumePermission[]): string {
  const items = perms.map((p) => (p.Group ? `Group=${p.Group}` : p.UserId ? `UserId=${p.UserId}` : 'entry without Group or UserId'));
  return items.length ? items.join(', ') : 'empty';
}

/**
 * Public: the attribute decides when read, else the analyzer's findings where it analysed the snapshot; the listing
 * (and the analyzer beside the attribute) are hints (conflict note when they disagree).
 */
export function publicDecision(r: Pick<SnapshotReads, 'listedPublic' | 'permissions' | 'analyzer'>): Decision<Tri> {
  const authority: SourcedReading<Tri> | null = r.permissions
    ? { source: ATTRIBUTE, value: quotePermissions(r.permissions), verdict: r.permissions.some((p) => p.Group === 'all') ? 'yes' : 'no' }
    : null;
  const hints: SourcedReading<Tri>[] =
    r.listedPublic === null
      ? []
      : [{ source: PUBLIC_LISTING, value: r.listedPublic ? 'listed' : 'not listed', verdict: r.listedPublic ? 'yes' : 'no' }];
  return decidePublic(authority, r.analyzer, hints);
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

/** Accounts an artifact is shared with, each with its organisation membership (unknown when the organisation is not). */
export function sharedWithEntries(
  accounts: readonly string[],
  accountId: string,
  orgAccounts: ReadonlySet<string> | null,
): Snapshot['sharing']['sharedWith'] {
  return accounts.map((a) => ({
    id: a,
    kind: 'account',
    inOrganization: a === accountId ? 'yes' : orgAccounts === null ? 'unknown' : orgAccounts.has(a) ? 'yes' : 'no',
  }));
}

/** The facts every kind records the same way: the key readings and the creating event. */
export function keyAndCreatorFacts(
  key: { readings: ReadonlyArray<{ source: string; value: string }> },
  creation: CreationRecord | null,
): Fact[] {
  return [
    ...key.readings.map((k) => ({ fact: 'encryption' as const, source: k.source, value: k.value, authoritative: true })),
    ...(creation
      ? [
          {
            fact: 'creator' as const,
            source: `cloudtrail:LookupEvents ${creation.eventName}`,
            value: creation.identity,
            authoritative: true,
          },
        ]
      : []),
  ];
}

/** The note naming the read that made an item public. */
export function publicNote(pub: { verdict: Tri; decidedBy: { source: string; value: string } | null }): string[] {
  return pub.verdict === 'yes' && pub.decidedBy ? [`${pub.decidedBy.source}: ${pub.decidedBy.value}`] : [];
}

/** Why specific shares are not known, when they are not. */
export function sharesNote(unknown: boolean, skipped: boolean, lookupEnabled: boolean): string[] {
  if (!unknown) return [];
  if (skipped) return ['shares with specific accounts not looked up (no selected check needs them)'];
  return [
    lookupEnabled
      ? 'shares with specific accounts could not be read'
      : 'shares with specific accounts not looked up (shareLookup disabled)',
  ];
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
  const userIds = r.permissions ? r.permissions.map((p) => p.UserId).filter((u): u is string => !!u) : null;
  const decided = decideShares(
    userIds
      ? { source: ATTRIBUTE, value: userIds.length ? userIds.map((u) => `UserId=${u}`).join(', ') : 'no UserId', accounts: userIds }
      : null,
    r.analyzer,
    accountId,
    o.orgAccounts,
  );
  const shares = decided.accounts;
  const facts: Fact[] = [...pub.facts, ...decided.facts, ...keyAndCreatorFacts(key, r.creation), ...automation.facts];
  const notes = [
    ...publicNote(pub),
    ...sharesNote(shares === null, r.sharingSkipped === true, o.cfg.shareLookup.enabled),
    ...decided.notes,
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
      sharedWith: sharedWithEntries(shares ?? [], accountId, o.orgAccounts),
      sharesKnown: shares !== null && decided.complete,
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
    conflicts: [...pub.conflicts, ...decided.conflicts, ...automation.conflicts],
  };
}
