/**
 * RDS DB snapshots and Aurora / Multi-AZ DB cluster snapshots as read → the model (pure). The `restore` attribute
 * of DescribeDB[Cluster]SnapshotAttributes is the sharing setting: `all` makes a manual snapshot public, an account
 * id shares it with that account
 * (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBSnapshotAttribute.html). Automated snapshots
 * cannot be shared, so their attribute is not read
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ShareSnapshot.html).
 */
import type { DBClusterSnapshot, DBSnapshot, DBSnapshotAttribute } from '@aws-sdk/client-rds';
import { resolveOwner } from '../../../src/core/model/owner.ts';
import { decideFact } from '../../../src/core/model/provenance.ts';
import type { ArtifactKind, Fact, Snapshot, Tri } from '../../../src/core/model/result.ts';
import { type AnalyzerReading, decidePublic, decideShares } from './analyzer.ts';
import type { CreationRecord } from './creators.ts';
import { classifyKey, type KeyAliases } from './keys.ts';
import { automationDecision, keyAndCreatorFacts, publicNote, sharedWithEntries, type SnapshotOptions, sharesNote } from './snapshots.ts';

/** One listing entry of either kind, in the fields both share. */
export interface DbArtifact {
  kind: Extract<ArtifactKind, 'db-snapshot' | 'db-cluster-snapshot'>;
  id: string;
  arn: string | null;
  /** The DB instance or cluster it was taken from. */
  sourceId: string | null;
  createdAt: Date | undefined;
  sizeGiB: number | undefined;
  status: string | undefined;
  /** manual | automated | shared | public | awsbackup. */
  snapshotType: string | undefined;
  encrypted: boolean | undefined;
  kmsKeyId: string | undefined;
  /** A copy: the snapshot it was copied from. */
  copiedFrom: string | null;
  engine: string | undefined;
  tags: Record<string, string>;
}

const tagsOf = (list: ReadonlyArray<{ Key?: string | undefined; Value?: string | undefined }> | undefined) =>
  Object.fromEntries((list ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));

export function dbSnapshotArtifact(s: DBSnapshot): DbArtifact {
  return {
    kind: 'db-snapshot',
    id: s.DBSnapshotIdentifier ?? 'unknown',
    arn: s.DBSnapshotArn ?? null,
    sourceId: s.DBInstanceIdentifier ?? null,
    createdAt: s.SnapshotCreateTime,
    sizeGiB: s.AllocatedStorage,
    status: s.Status,
    snapshotType: s.SnapshotType,
    encrypted: s.Encrypted,
    kmsKeyId: s.KmsKeyId,
    copiedFrom: s.SourceDBSnapshotIdentifier ?? null,
    engine: s.Engine,
    tags: tagsOf(s.TagList),
  };
}

export function dbClusterSnapshotArtifact(s: DBClusterSnapshot): DbArtifact {
  return {
    kind: 'db-cluster-snapshot',
    id: s.DBClusterSnapshotIdentifier ?? 'unknown',
    arn: s.DBClusterSnapshotArn ?? null,
    sourceId: s.DBClusterIdentifier ?? null,
    createdAt: s.SnapshotCreateTime,
    sizeGiB: s.AllocatedStorage,
    status: s.Status,
    snapshotType: s.SnapshotType,
    encrypted: s.StorageEncrypted,
    kmsKeyId: s.KmsKeyId,
    copiedFrom: s.SourceDBClusterSnapshotArn ?? null,
    engine: s.Engine,
    tags: tagsOf(s.TagList),
  };
}

/** The read a verdict on sharing comes from, per kind. */
export const restoreAttributeSource = (kind: DbArtifact['kind']) =>
  kind === 'db-snapshot' ? 'rds:DescribeDBSnapshotAttributes restore' : 'rds:DescribeDBClusterSnapshotAttributes restore';

/** Only manual snapshots can be shared; the attribute is read for those alone. */
export const shareable = (a: Pick<DbArtifact, 'snapshotType'>) => a.snapshotType === 'manual';

export interface DbReads {
  /** The `restore` attribute's values as received; null: not read. */
  restore: string[] | null;
  creation: CreationRecord | null;
  aliases: KeyAliases | null;
  sharingSkipped?: boolean;
  /** What an IAM Access Analyzer analyzer covering the snapshot said (manual snapshots); absent or null: none covers it. */
  analyzer?: AnalyzerReading | null;
}

/** The `restore` values among the attributes as received (absent attribute: nobody). */
export function restoreValues(attributes: readonly DBSnapshotAttribute[] | undefined): string[] {
  return (attributes ?? []).filter((a) => a.AttributeName === 'restore').flatMap((a) => a.AttributeValues ?? []);
}

/** Automated snapshots are the service's own, recognised from `SnapshotType` (set by RDS, not by any caller). */
function serviceAutomation(a: DbArtifact): Snapshot['automation'] | null {
  if (a.snapshotType === 'automated') return { by: 'rds-automated', basis: 'SnapshotType=automated' };
  if (a.snapshotType === 'awsbackup') return { by: 'aws-backup', basis: 'SnapshotType=awsbackup' };
  return null;
}

/** The account that owns a listed snapshot, from its ARN (`arn:partition:rds:region:ACCOUNT:snapshot:id`). */
export function ownerAccountOf(a: Pick<DbArtifact, 'arn'>): string | null {
  return a.arn?.split(':')[4] || null;
}

/** A listed snapshot another account owns (IncludeShared): shared in with this account. */
export const sharedIn = (a: Pick<DbArtifact, 'arn'>, accountId: string) => {
  const owner = ownerAccountOf(a);
  return owner !== null && owner !== accountId;
};

/**
 * A DB (cluster) snapshot another account shares with this one, as DescribeDB[Cluster]Snapshots IncludeShared lists
 * it (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBSnapshots.html): its own kind, with
 * its owner account. Whether the owner shares it further, and how it is kept, is the owner's to read and fix: its
 * sharing is not read here, and the snapshot checks leave it out.
 */
function sharedInArtifact(a: DbArtifact, region: string, accountId: string, o: SnapshotOptions): Snapshot {
  const owner = ownerAccountOf(a) ?? 'unknown';
  const arnField = a.kind === 'db-snapshot' ? 'DBSnapshotArn' : 'DBClusterSnapshotArn';
  const listing = a.kind === 'db-snapshot' ? 'rds:DescribeDBSnapshots' : 'rds:DescribeDBClusterSnapshots';
  const key = classifyKey(
    a.encrypted,
    a.kmsKeyId,
    accountId,
    null,
    `${listing} ${a.kind === 'db-snapshot' ? 'Encrypted' : 'StorageEncrypted'}/KmsKeyId`,
  );
  const inOrg = o.orgAccounts === null ? 'unknown' : o.orgAccounts.has(owner) ? 'yes' : 'no';
  return {
    kind: a.kind === 'db-snapshot' ? 'db-snapshot-shared-in' : 'db-cluster-snapshot-shared-in',
    id: a.id,
    name: null,
    resourceId: a.arn ?? a.id,
    region,
    createdAt: a.createdAt ? a.createdAt.toISOString() : null,
    sizeGiB: a.sizeGiB ?? null,
    state: a.status ?? null,
    description: [a.engine, a.snapshotType].filter(Boolean).join(' ') || null,
    tags: a.tags,
    encryption: key.encryption,
    sharing: {
      public: 'unknown',
      sharedWith: [{ id: accountId, kind: 'account', inOrganization: 'yes' }],
      sharesKnown: false,
      notes: [
        `shared in by account ${owner}${inOrg === 'no' ? ' (outside the organisation)' : inOrg === 'yes' ? ' (in the organisation)' : ''}: whom else it is shared with is the owner's to read`,
      ],
    },
    owner: { value: owner, source: 'owner-account', detail: `${listing} ${arnField}` },
    creator: null,
    source: a.sourceId
      ? { kind: a.kind === 'db-snapshot' ? 'db-instance' : 'db-cluster', id: a.sourceId, tags: {} }
      : { kind: 'unknown', id: null, tags: {} },
    automation: { by: null, basis: null },
    facts: key.readings.map((k) => ({ fact: 'encryption' as const, source: k.source, value: k.value, authoritative: true })),
    conflicts: [],
  };
}

export function normaliseDbArtifact(a: DbArtifact, region: string, accountId: string, r: DbReads, o: SnapshotOptions): Snapshot {
  if (sharedIn(a, accountId)) return sharedInArtifact(a, region, accountId, o);
  const attr = restoreAttributeSource(a.kind);
  const restore = r.restore;
  const automatic = !shareable(a);
  const quoted = restore ? (restore.length ? restore.join(', ') : 'empty') : '';
  const pub = automatic
    ? decideFact<Tri>(
        'public',
        {
          source: `rds:Describe${a.kind === 'db-snapshot' ? 'DB' : 'DBCluster'}Snapshots SnapshotType`,
          value: `SnapshotType=${a.snapshotType ?? '?'}`,
          verdict: 'no',
        },
        [],
        'unknown',
      )
    : decidePublic(restore ? { source: attr, value: quoted, verdict: restore.includes('all') ? 'yes' : 'no' } : null, r.analyzer, []);
  const decided = automatic
    ? null
    : decideShares(
        restore ? { source: attr, value: quoted, accounts: restore.filter((v) => v !== 'all') } : null,
        r.analyzer,
        accountId,
        o.orgAccounts,
      );
  const accounts = automatic ? [] : (decided?.accounts ?? null);
  const field =
    a.kind === 'db-snapshot' ? 'rds:DescribeDBSnapshots Encrypted/KmsKeyId' : 'rds:DescribeDBClusterSnapshots StorageEncrypted/KmsKeyId';
  const key = classifyKey(a.encrypted, a.kmsKeyId, accountId, r.aliases, field);
  const service = serviceAutomation(a);
  const automation = automationDecision(a.tags, r.creation);
  const auto = service ?? (automation.verdict ? { by: automation.verdict, basis: automation.decidedBy?.value ?? null } : null);
  const facts: Fact[] = [
    ...pub.facts,
    ...(decided?.facts ?? []),
    ...keyAndCreatorFacts(key, r.creation),
    ...(service
      ? [{ fact: 'automation' as const, source: 'rds SnapshotType', value: service.basis ?? '', authoritative: true }]
      : automation.facts),
  ];
  const notes = [
    ...publicNote(pub),
    ...(a.copiedFrom ? [`copied from ${a.copiedFrom}`] : []),
    ...sharesNote(accounts === null, r.sharingSkipped === true, o.cfg.shareLookup.enabled),
    ...(decided?.notes ?? []),
  ];
  const service_ = a.kind === 'db-snapshot' ? 'snapshot' : 'cluster-snapshot';
  return {
    kind: a.kind,
    id: a.id,
    name: null,
    resourceId: a.arn ?? `arn:${o.partition}:rds:${region}:${accountId}:${service_}:${a.id}`,
    region,
    createdAt: a.createdAt ? a.createdAt.toISOString() : null,
    sizeGiB: a.sizeGiB ?? null,
    state: a.status ?? null,
    description: [a.engine, a.snapshotType].filter(Boolean).join(' ') || null,
    tags: a.tags,
    encryption: key.encryption,
    sharing: {
      public: pub.verdict,
      sharedWith: sharedWithEntries(accounts ?? [], accountId, o.orgAccounts),
      sharesKnown: accounts !== null && (decided?.complete ?? true),
      notes,
    },
    owner: resolveOwner({ tags: a.tags, ownerTagKeys: o.policy.ownerTagKeys, creatorFromAudit: r.creation?.identity ?? null }),
    creator: r.creation ? { identity: r.creation.identity, source: 'audit-event', at: r.creation.at } : null,
    source: a.sourceId
      ? { kind: a.kind === 'db-snapshot' ? 'db-instance' : 'db-cluster', id: a.sourceId, tags: {} }
      : { kind: 'unknown', id: null, tags: {} },
    automation: auto ?? { by: null, basis: null },
    facts,
    conflicts: [...pub.conflicts, ...(decided?.conflicts ?? []), ...(service ? [] : automation.conflicts)],
  };
}
