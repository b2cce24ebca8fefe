/**
 * The provider-neutral scan result. Every provider adapter normalises into these shapes at its boundary; checks,
 * reports, the state store and the ticket sinks only ever read these. The zod schemas are the single source of
 * truth: the TypeScript types are inferred from them and the published JSON Schema (schema/scan-result.schema.json)
 * is generated from them (`npm run schema`).
 */
import { z } from 'zod';
import { ActivityEvent } from './activity.ts';

/**
 * 3.0.0: each scope's recurring structures are written once in its `shared` table and referenced by id
 * (src/core/model/compact.ts); result.json's top level still lists every finding.
 * 4.0.0: each finding is written once — result.json's top-level `findings` holds only the findings of no scope (as
 * result.ndjson's header line and the in-memory result do), a scope's are under `scopes[].findings` alone.
 */
export const SCHEMA_VERSION = '4.0.0';

/**
 * Versions the readers (`report --from`, `merge`) accept: older results are read into the current shapes (their
 * top-level findings that repeat a scope's are dropped as they are read).
 */
export const readableSchemaVersions: readonly string[] = ['2.0.0', '3.0.0', SCHEMA_VERSION];

export const providerIds = ['aws', 'azure', 'gcp'] as const;
export const Provider = z.enum(providerIds);
export type Provider = z.infer<typeof Provider>;

/** Keeps "could not read" apart from "off". */
export const Tri = z.enum(['yes', 'no', 'unknown']);
export type Tri = z.infer<typeof Tri>;

export const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const Severity = z.enum(severities);
export type Severity = z.infer<typeof Severity>;

export const ScopeKind = z.enum(['account', 'subscription', 'project']);
export type ScopeKind = z.infer<typeof ScopeKind>;

export const gapCodes = [
  'access_denied',
  'throttled',
  'not_enabled',
  'unavailable',
  'not_implemented',
  'invalid_response',
  'timeout',
  'not_found',
  'suspended',
  'credentials',
  'interrupted',
  /** A bound of the scan stopped the read (a listing's page ceiling). */
  'limit_reached',
  'error',
] as const;
export const GapCode = z.enum(gapCodes);
export type GapCode = z.infer<typeof GapCode>;

/** What part of a scope's collection a gap hides. */
export const parts = [
  'discovery',
  'regions',
  'logging',
  'alerting',
  'guards',
  'principals',
  'snapshots',
  'sharing',
  'creators',
  'activity',
] as const;
export const Part = z.enum(parts);
export type Part = z.infer<typeof Part>;

export const Gap = z.object({
  code: GapCode,
  part: Part,
  /** `service:Operation` that failed, when one call is to blame. */
  operation: z.string().nullable(),
  region: z.string().nullable(),
  message: z.string(),
});
export type Gap = z.infer<typeof Gap>;

export const Ancestor = z.object({
  kind: z.enum(['organization', 'root', 'ou', 'management-group', 'tenant', 'folder']),
  id: z.string(),
  name: z.string().nullable(),
});
export type Ancestor = z.infer<typeof Ancestor>;

export const Scope = z.object({
  provider: Provider,
  kind: ScopeKind,
  id: z.string(),
  name: z.string(),
  /** Ancestry from the top (organization / tenant root) down to the direct parent. */
  parents: z.array(Ancestor),
  /** Regions that are enabled and selected for scanning. Azure and GCP use `global` for scope-wide settings. */
  regions: z.array(z.string()),
  /** Regions the provider offers but the scope has not enabled (reported, not scanned). */
  regionsNotEnabled: z.array(z.string()),
  /** Regions enabled but left out by the config's region filter. */
  regionsExcluded: z.array(z.string()),
  /**
   * Regions an endpoint listed that belong to another partition or sovereign cloud than the caller's (AWS China
   * `cn-*`, GovCloud `us-gov-*`…): reported, never scanned with the caller's credentials.
   */
  regionsOtherPartition: z.array(z.string()),
  state: z.enum(['active', 'suspended', 'disabled', 'unknown']),
  /** The organisation's management account (AWS) or equivalent: SCPs do not apply to it. */
  management: z.boolean(),
});
export type Scope = z.infer<typeof Scope>;

export const RegionStatus = z.enum(['scanned', 'partial', 'failed', 'not_enabled', 'excluded', 'other_partition', 'interrupted']);
export type RegionStatus = z.infer<typeof RegionStatus>;

export const Coverage = z.object({
  status: z.enum(['complete', 'partial', 'failed', 'interrupted']),
  regions: z.array(z.object({ region: z.string(), status: RegionStatus })),
  gaps: z.array(Gap),
});
export type Coverage = z.infer<typeof Coverage>;

export const Destination = z.object({
  kind: z.enum([
    's3-bucket',
    'cloudwatch-logs',
    'log-analytics',
    'storage-account',
    'event-hub',
    'log-bucket',
    'bigquery',
    'pubsub',
    'cloudtrail-lake',
    'activity-log',
    'other',
  ]),
  id: z.string(),
  /** The scope the destination lives in, when known. */
  scopeId: z.string().nullable(),
  retentionDays: z.number().nullable(),
  locked: Tri,
});
export type Destination = z.infer<typeof Destination>;

export const SourceHealth = z.object({
  flowing: Tri,
  /** Last successful delivery the cloud reported (ISO 8601), when it reports one. */
  lastDelivery: z.string().nullable(),
  /** Why it is not (or may not be) flowing, each naming the field or call it came from. */
  problems: z.array(z.string()),
  /** Where the health verdict came from (the API and field), e.g. `cloudtrail:GetTrailStatus`. */
  source: z.string(),
});
export type SourceHealth = z.infer<typeof SourceHealth>;

export const LoggingSource = z.object({
  id: z.string(),
  /**
   * What the source is: a CloudTrail trail, a CloudTrail Lake event data store, an Azure diagnostic setting exporting
   * the activity log, the Azure activity log itself (kept 90 days by the platform, not central), a GCP log sink.
   */
  kind: z.enum(['cloudtrail-trail', 'cloudtrail-lake', 'activity-log-export', 'activity-log', 'log-sink']),
  name: z.string(),
  /** Where the source is defined: a region, or `global`. */
  home: z.string(),
  /** The scope that owns it, when it is inherited (org trail, aggregated sink, management group). */
  ownerScopeId: z.string().nullable(),
  inherited: z.boolean(),
  enabled: Tri,
  /** Regions it covers; `["*"]` for every region. */
  regions: z.array(z.string()),
  /** Does it record management write events such as snapshot creation? */
  recordsSnapshotCreation: Tri,
  central: Tri,
  integrity: Tri,
  encrypted: Tri,
  retentionDays: z.number().nullable(),
  destinations: z.array(Destination),
  reasons: z.array(z.string()),
  /**
   * Is it actually delivering, as far as the cloud reports it (CloudTrail GetTrailStatus delivery errors, a Lake
   * store's ingestion status, an export destination that no longer exists, a sink writer the destination does not
   * admit)? `flowing: no` is "configured but not flowing"; absent: the cloud reports no delivery health for it.
   */
  health: SourceHealth.optional(),
});
export type LoggingSource = z.infer<typeof LoggingSource>;

/** One operation of the snapshot family an alert route fires on. */
export const RouteOperation = z.object({ operation: z.string(), match: z.enum(['exact', 'broad']) });
export type RouteOperation = z.infer<typeof RouteOperation>;

export const AlertRoute = z.object({
  id: z.string(),
  /**
   * Where the alert lives: an EventBridge rule, a CloudWatch Logs metric filter, an Azure activity log alert, an Azure
   * Monitor log search alert rule or a Microsoft Sentinel analytics rule over the exported activity log, a GCP
   * log-based metric with an alert policy.
   */
  kind: z.enum(['eventbridge-rule', 'metric-filter', 'activity-log-alert', 'scheduled-query-rule', 'sentinel-rule', 'log-metric-alert']),
  name: z.string(),
  region: z.string(),
  enabled: z.boolean(),
  /** `exact`: matches snapshot creation by name; `broad`: matches a superset (weaker); `none`: does not match. */
  match: z.enum(['exact', 'broad', 'none']),
  reasons: z.array(z.string()),
  /**
   * The operations of the snapshot family the route fires on, each with how narrowly (`exact`: by name; `broad`: as
   * part of a superset such as every call of a service); operations it does not fire on are left out. Absent: the
   * route was not judged per operation.
   */
  operations: z.array(RouteOperation).optional(),
});
export type AlertRoute = z.infer<typeof AlertRoute>;

/**
 * What an operation of the snapshot family does to an artifact: makes one (`create`), copies one (`copy`), makes one
 * usable by others (`share`), reads its data out or hands out a download link (`export`), destroys one (`delete`), or
 * reads its contents in place (`read`, e.g. the EBS direct APIs).
 */
export const operationEffects = ['create', 'copy', 'share', 'export', 'delete', 'read'] as const;
export const OperationEffect = z.enum(operationEffects);
export type OperationEffect = z.infer<typeof OperationEffect>;

/** How an alert covers an operation: by name, as part of a superset, not at all, or could not be told. */
export const AlertMatch = z.enum(['exact', 'broad', 'none', 'unknown']);
export type AlertMatch = z.infer<typeof AlertMatch>;

/**
 * Whether one operation of the snapshot family is recorded and alerted on in a region: the same shape for every
 * provider (AWS CloudTrail event names, Azure operation names, GCP audited method names without their API version).
 */
export const OperationCoverage = z.object({
  /** The operation as the audit log names it, e.g. `CreateImage`, `Microsoft.Compute/images/write`, `compute.images.insert`. */
  operation: z.string(),
  effect: OperationEffect,
  /** Does an enabled audit source covering the region record it? */
  recorded: Tri,
  alerted: AlertMatch,
  /** The enabled alert routes that fire on it (exact ones first). */
  alertIds: z.array(z.string()),
  /**
   * What decided `alerted`: the id of the best route firing on it, or (none / unknown) the read that was judged or
   * could not be made, e.g. `events:ListRules`.
   */
  source: z.string(),
});
export type OperationCoverage = z.infer<typeof OperationCoverage>;

export const RegionLogging = z.object({
  region: z.string(),
  recorded: Tri,
  sourceIds: z.array(z.string()),
  central: Tri,
  protected: Tri,
  retentionDays: z.number().nullable(),
  alerted: AlertMatch,
  alertIds: z.array(z.string()),
  reasons: z.array(z.string()),
  /** Recording and alerting per operation of the snapshot family, when the provider judges them one by one. */
  operations: z.array(OperationCoverage).optional(),
  /**
   * Are reads of snapshot contents recorded (data events, e.g. the EBS direct APIs GetSnapshotBlock /
   * ListSnapshotBlocks / ListChangedBlocks)? Apart from management events; absent where the provider has no such split.
   */
  blockReadsRecorded: Tri.optional(),
});
export type RegionLogging = z.infer<typeof RegionLogging>;

/**
 * A detective control for snapshot exposure that the cloud runs itself and the scan read: an AWS Security Hub control
 * (EC2.1 public EBS snapshots, RDS.1 public RDS snapshots, …) or a GCP Security Command Center Security Health
 * Analytics detector (PUBLIC_COMPUTE_IMAGE, …). It finds an exposed *state* on its own schedule; it is not an alert on
 * snapshot creation and never counts as one (a region's `alerted` ignores it).
 */
export const DetectiveControl = z.object({
  /** `<kind>:<control>@<region or parent>`, e.g. `security-hub:EC2.1@eu-west-1`. */
  id: z.string(),
  kind: z.enum(['security-hub-control', 'scc-health-analytics']),
  /** The cloud's id of the control: a Security Hub control id (`EC2.1`) or an SCC finding category (`PUBLIC_COMPUTE_IMAGE`). */
  control: z.string(),
  title: z.string(),
  /** The region it runs in (Security Hub is regional), or `global`. */
  region: z.string(),
  /** The exposure it detects. */
  detects: z.enum(['public-snapshot', 'public-image', 'unencrypted-snapshot', 'public-sharing-unblocked']),
  /** Is it running? `unknown`: a read that would tell was refused or failed (a coverage gap says which). */
  enabled: Tri,
  /** What enables it, as read: the standards it is enabled in, the SCC service or tier. */
  via: z.array(z.string()),
  /** Active findings it reports for the scope, when they were read (null: not read). */
  activeFindings: z.number().nullable(),
  reasons: z.array(z.string()),
  /** The read that decided `enabled`, e.g. `securityhub:BatchGetStandardsControlAssociations`. */
  source: z.string(),
});
export type DetectiveControl = z.infer<typeof DetectiveControl>;

export const Logging = z.object({
  sources: z.array(LoggingSource),
  alerts: z.array(AlertRoute),
  regions: z.array(RegionLogging),
  /** Detective controls for snapshot exposure, when the provider reads them (absent: not read). */
  detectors: z.array(DetectiveControl).optional(),
});
export type Logging = z.infer<typeof Logging>;

export const Guard = z.object({
  region: z.string(),
  kind: z.enum(['snapshot-block-public-access', 'image-block-public-access']),
  state: z.string(),
  blocksPublicSharing: Tri,
});
export type Guard = z.infer<typeof Guard>;

/**
 * What a principal can do to the snapshot family: make one (`create`), copy one across regions/accounts (`copy`),
 * make one usable by others (`share`), read its data out or hand out a download link (`export`), turn one back into
 * a disk/volume/instance it can reach (`restore`), or destroy one (`delete`).
 */
export const capabilities = ['create', 'copy', 'share', 'export', 'restore', 'delete'] as const;
export const Capability = z.enum(capabilities);
export type Capability = z.infer<typeof Capability>;

export const PathStep = z.object({
  kind: z.enum([
    'principal',
    'group',
    'trust',
    'policy',
    'boundary',
    'scp',
    'statement',
    'action-pattern',
    'assignment',
    'role',
    'binding',
    'permission',
    'scope',
    'condition',
    // One hop further (issue #26): the step a principal takes to reach another identity's grants.
    /** AWS: sts:AssumeRole into a role (id: the role ARN; label: the trust and identity statements that allow it). */
    'assume-role',
    /** GCP: impersonating a service account (id: its email; label: the role or permission and the binding). */
    'impersonation',
    /** Azure: PIM eligibility for a role (id: the eligibility schedule instance; label: role, scope, activation rules). */
    'eligibility',
  ]),
  id: z.string(),
  label: z.string().nullable(),
});
export type PathStep = z.infer<typeof PathStep>;

export const Grant = z.object({
  capability: Capability,
  /** The catalogue action or permission granted, e.g. `ec2:CreateSnapshot`. */
  action: z.string(),
  /** Where it applies: `*` for the whole scope, or a resource group / resource. */
  resourceScope: z.string(),
  conditional: z.boolean(),
  external: z.boolean(),
  /** Comes from a wildcard or a basic/owner-class role at a wide scope. */
  broad: z.boolean(),
  path: z.array(PathStep),
  conditions: z.array(z.string()),
  /**
   * How the principal holds it: `direct` (its own policies, roles, bindings), `indirect` (by becoming another
   * identity: an AWS role chain, GCP service-account impersonation), or `eligible` (Azure PIM: after activating an
   * eligible role). Absent: direct.
   */
  reach: z.enum(['direct', 'indirect', 'eligible']).optional(),
  /** The hops (assume-role, impersonation, eligibility steps) between the principal and the grant; absent: 0. */
  hops: z.number().int().min(0).optional(),
});
export type Grant = z.infer<typeof Grant>;

/**
 * What a directory says about a principal (Microsoft Graph, Cloud Identity, IAM Identity Center), when it could be
 * read: the name people know it by, what kind of identity it is, and whether it can sign in. Received values only.
 */
export const Identity = z.object({
  /** The directory that answered. */
  source: z.enum(['microsoft-graph', 'cloud-identity', 'iam', 'identity-center']),
  /** A member user, a guest user (Microsoft Entra userType Guest), a group, an application's service principal… */
  kind: z.enum(['member', 'guest', 'group', 'application', 'managed-identity', 'service-account', 'unknown']),
  displayName: z.string().nullable(),
  /** The sign-in name: user principal name, email, user name. */
  login: z.string().nullable(),
  /** Can it sign in (Microsoft Entra accountEnabled, a service account's disabled flag)? */
  enabled: Tri,
  /** The application a service principal belongs to (its appId). */
  appId: z.string().nullable(),
});
export type Identity = z.infer<typeof Identity>;

export const principalTypes = [
  'user',
  'group',
  'role',
  'service-principal',
  'managed-identity',
  'service-account',
  'domain',
  'public',
  'federated',
  'account',
  'principal-set',
  'unknown',
] as const;
export const PrincipalType = z.enum(principalTypes);
export type PrincipalType = z.infer<typeof PrincipalType>;

/** One transitive member of a group principal, as its directory listed it. */
export const Member = z.object({
  id: z.string(),
  type: PrincipalType,
  name: z.string(),
  identity: Identity.optional(),
});
export type Member = z.infer<typeof Member>;

export const Principal = z.object({
  id: z.string(),
  type: PrincipalType,
  name: z.string(),
  external: z.boolean(),
  capabilities: z.array(Capability),
  grants: z.array(Grant),
  /** What the directory says about it, when it was read (absent: not read, or the directory does not know it). */
  identity: Identity.optional(),
  /** A group's transitive members, when its membership was read (absent: not read). */
  members: z.array(Member).optional(),
});
export type Principal = z.infer<typeof Principal>;

/**
 * Authoritative sources. A verdict-bearing fact of a snapshot (is it public, whom is it shared with, how is it
 * encrypted, who made it, which automation acted) can often be read two ways — a filtered listing and a per-item
 * attribute, a decoded client field and the raw REST field. Each fact names the read it came from and quotes the
 * value that read returned; when two reads disagree, the authoritative one decides and the disagreement is kept as a
 * conflict note. Evidence text is built from these quoted values only, never from a value no read returned.
 */
export const factNames = ['public', 'shared-with', 'encryption', 'creator', 'automation'] as const;
export const FactName = z.enum(factNames);
export type FactName = z.infer<typeof FactName>;

export const Reading = z.object({
  /** The read, `service:Operation` and the field or filter, e.g. `ec2:DescribeSnapshotAttribute createVolumePermission`. */
  source: z.string(),
  /** What that read returned, quoted from the response (e.g. `Group=all`, `listed`, `none`). */
  value: z.string(),
});
export type Reading = z.infer<typeof Reading>;

export const Fact = z.object({
  fact: FactName,
  source: z.string(),
  value: z.string(),
  /** Is this the source that decides the fact (false: a hint, used only where the authority was not read)? */
  authoritative: z.boolean(),
});
export type Fact = z.infer<typeof Fact>;

export const Conflict = z.object({
  fact: FactName,
  /** The authoritative reading: it decided the verdict. */
  kept: Reading,
  /** The reading that disagreed and was overruled. */
  overruled: Reading,
  /** One sentence, built from the two quoted values only. */
  note: z.string(),
});
export type Conflict = z.infer<typeof Conflict>;

/**
 * The snapshot family: every way a copy of compute can exist outside the normal paths, as kinds of one inventory.
 * The same checks apply to every kind; every finding names the kind of its resource.
 * - `disk-snapshot`: EBS snapshot, Azure managed-disk snapshot, GCP (zonal or regional disk) snapshot
 * - `instant-snapshot`: GCP instant snapshot
 * - `image`: AWS AMI, Azure managed image, GCP image
 * - `machine-image`: GCP machine image
 * - `gallery-image-version`: Azure Compute Gallery image version
 * - `restore-point` / `disk-restore-point`: Azure VM restore point and the disk restore points inside it
 * - `disk-export`: a managed disk or snapshot with a live SAS export (Azure `diskState` ActiveSAS / ActiveSASFrozen)
 * - `db-snapshot` / `db-cluster-snapshot`: RDS DB snapshot, Aurora/RDS DB cluster snapshot
 * - `backup-recovery-point`: a backup service recovery point (AWS Backup)
 * - `db-snapshot-shared-in` / `db-cluster-snapshot-shared-in`: an RDS DB (cluster) snapshot another account owns and
 *   shares with this one: listed with its owner account, never judged as this scope's to fix (`inboundArtifactKinds`)
 * - `snapshot-schedule`: a GCP snapshot schedule (a resource policy with `snapshotSchedulePolicy`): no data of its own,
 *   it makes disk snapshots of the disks it is attached to; listed with its schedule, retention, the properties of
 *   the snapshots it makes and who attached it to which disk (`Snapshot.schedule`), never judged as a copy
 *   (`configurationArtifactKinds`)
 */
export const artifactKinds = [
  'disk-snapshot',
  'instant-snapshot',
  'image',
  'machine-image',
  'gallery-image-version',
  'restore-point',
  'disk-restore-point',
  'disk-export',
  'db-snapshot',
  'db-cluster-snapshot',
  'backup-recovery-point',
  'db-snapshot-shared-in',
  'db-cluster-snapshot-shared-in',
  'snapshot-schedule',
] as const;
export const ArtifactKind = z.enum(artifactKinds);
export type ArtifactKind = z.infer<typeof ArtifactKind>;

/** How people name each kind, for messages and reports. */
export const artifactKindLabels: Record<ArtifactKind, string> = {
  'disk-snapshot': 'Snapshot',
  'instant-snapshot': 'Instant snapshot',
  image: 'Image',
  'machine-image': 'Machine image',
  'gallery-image-version': 'Gallery image version',
  'restore-point': 'Restore point',
  'disk-restore-point': 'Disk restore point',
  'disk-export': 'Disk export',
  'db-snapshot': 'DB snapshot',
  'db-cluster-snapshot': 'DB cluster snapshot',
  'backup-recovery-point': 'Backup recovery point',
  'db-snapshot-shared-in': 'DB snapshot shared in',
  'db-cluster-snapshot-shared-in': 'DB cluster snapshot shared in',
  'snapshot-schedule': 'Snapshot schedule',
};

/**
 * Kinds that another account owns and shares with the scope: inventoried (who shares what with us, and from where),
 * but their sharing, encryption and age are the owner's to fix, so the snapshot checks leave them out.
 */
export const inboundArtifactKinds: ReadonlySet<ArtifactKind> = new Set(['db-snapshot-shared-in', 'db-cluster-snapshot-shared-in']);

/**
 * Kinds that hold no data of their own but make copies (a snapshot schedule): inventoried with what they make and
 * who set them up; the copies they make are items of their own, judged as such, so the snapshot checks leave these out.
 */
export const configurationArtifactKinds: ReadonlySet<ArtifactKind> = new Set(['snapshot-schedule']);

/** What a snapshot schedule says, as its listing returned it (GCP `resourcePolicies` `snapshotSchedulePolicy`). */
export const ScheduleDetails = z.object({
  /** The cycle as the policy states it, e.g. `daily, every 1 day at 02:00 UTC`; null when the policy states none. */
  frequency: z.string().nullable(),
  /** `retentionPolicy.maxRetentionDays`; null when absent. */
  retentionDays: z.number().nullable(),
  /** `retentionPolicy.onSourceDiskDelete` (KEEP_AUTO_SNAPSHOTS, APPLY_RETENTION_POLICY…); null when absent. */
  onSourceDiskDelete: z.string().nullable(),
  /** Where the snapshots it makes are stored (`snapshotProperties.storageLocations`); empty: the default location. */
  storageLocations: z.array(z.string()),
  /** Labels the snapshots it makes carry (`snapshotProperties.labels`). */
  labels: z.record(z.string(), z.string()),
  /** `snapshotProperties.guestFlush` (application-consistent snapshots); null when absent. */
  guestFlush: z.boolean().nullable(),
  /**
   * The disks it is attached to (the disks listing's `resourcePolicies`), each with who attached it and when where the
   * Admin Activity entries read say so (addResourcePolicies, or insert with the policy); null when disks were not read.
   */
  attachedTo: z
    .array(z.object({ disk: z.string(), attachedBy: z.string().nullable(), at: z.string().nullable(), via: z.string().nullable() }))
    .nullable(),
});
export type ScheduleDetails = z.infer<typeof ScheduleDetails>;

export const Snapshot = z.object({
  /** Which member of the snapshot family this is (results written before kinds existed hold disk snapshots). */
  kind: ArtifactKind.default('disk-snapshot'),
  id: z.string(),
  name: z.string().nullable(),
  /** Full provider resource id: ARN, ARM id or self link. */
  resourceId: z.string(),
  region: z.string(),
  createdAt: z.string().nullable(),
  sizeGiB: z.number().nullable(),
  state: z.string().nullable(),
  description: z.string().nullable(),
  tags: z.record(z.string(), z.string()),
  encryption: z.object({
    status: z.enum(['customer-key', 'provider-key', 'unencrypted', 'unknown']),
    keyId: z.string().nullable(),
  }),
  sharing: z.object({
    public: Tri,
    /** Accounts / tenants / projects / members it is shared with. */
    sharedWith: z.array(z.object({ id: z.string(), kind: z.string(), inOrganization: Tri })),
    /** Were specific shares read (false when the per-snapshot lookup was skipped or failed)? */
    sharesKnown: z.boolean(),
    notes: z.array(z.string()),
  }),
  owner: z.object({
    value: z.string().nullable(),
    /** `owner-account`: an item shared in from another account, owned by that account (read from its ARN). */
    source: z.enum(['tag', 'audit-event', 'system-data', 'source-tag', 'owner-account', 'unknown']),
    detail: z.string().nullable(),
  }),
  creator: z.object({ identity: z.string(), source: z.enum(['audit-event', 'system-data']), at: z.string().nullable() }).nullable(),
  source: z.object({
    kind: z.enum(['volume', 'disk', 'snapshot', 'image', 'instance', 'import', 'db-instance', 'db-cluster', 'resource', 'unknown']),
    id: z.string().nullable(),
    tags: z.record(z.string(), z.string()),
  }),
  /**
   * Automation recognised from the identity that created the snapshot (e.g. `aws-backup`, `dlm`, `azure-backup`,
   * `gcp-schedule`): a fact, not a verdict. `by` is null when the creator is unknown or is not recognised
   * automation; `basis` quotes what identified it (never a tag or a name anyone can create). Checks judge approval
   * against the baseline.
   */
  automation: z.object({ by: z.string().nullable(), basis: z.string().nullable() }),
  /** Where each verdict-bearing fact came from. */
  facts: z.array(Fact),
  /** Where two reads of the same fact disagreed (the authoritative one decided). */
  conflicts: z.array(Conflict),
  /** The artifacts this one is made of, by id (an AMI's EBS snapshots); absent when it has none. */
  backedBy: z.array(z.string()).optional(),
  /** A snapshot schedule's policy (kind `snapshot-schedule` only). */
  schedule: ScheduleDetails.optional(),
});
export type Snapshot = z.infer<typeof Snapshot>;

/** The message id a finding read from an older result (written before message ids existed) gets. */
export const LEGACY_MESSAGE_ID = 'legacy';

export const ResourceRef = z.object({ kind: z.string(), id: z.string(), name: z.string().nullable() });
export type ResourceRef = z.infer<typeof ResourceRef>;

export const Finding = z.object({
  /** sha256(check id, provider, scope, region, resource) — stable across scans. */
  fingerprint: z.string().regex(/^[0-9a-f]{24}$/),
  checkId: z.string(),
  title: z.string(),
  severity: Severity,
  provider: Provider,
  scopeId: z.string(),
  region: z.string().nullable(),
  resource: ResourceRef.nullable(),
  /**
   * The check's stable id for what the message says (e.g. `tooOld`): the text is rendered from it and the evidence.
   * Results written before message ids existed read as `legacy`.
   */
  messageId: z.string().default(LEGACY_MESSAGE_ID),
  message: z.string(),
  owner: z.string().nullable(),
  /**
   * What a directory says about the owner, when the scan read it (the owner is one of the scope's principals or a
   * group's member): the name people know it by and its sign-in name (issue #17). Absent: not named.
   */
  ownerIdentity: z.object({ name: z.string(), login: z.string().nullable() }).optional(),
  evidence: z.record(z.string(), z.unknown()),
  status: z.enum(['open', 'suppressed']),
  suppression: z.object({ reason: z.string(), owner: z.string(), expires: z.string(), expired: z.boolean() }).nullable(),
});
export type Finding = z.infer<typeof Finding>;

export const ScopeResult = z.object({
  scope: Scope,
  coverage: Coverage,
  logging: Logging,
  guards: z.array(Guard),
  principals: z.array(Principal),
  snapshots: z.array(Snapshot),
  /**
   * Creation activity of the snapshot family within the lookback window (`scan.activityLookbackDays`), from the
   * audit events the creator lookups read; absent when no selected check needs it (and in older results).
   */
  activity: z.array(ActivityEvent).optional(),
  findings: z.array(Finding),
});
export type ScopeResult = z.infer<typeof ScopeResult>;

export const References = z.object({
  attack: z.array(z.string()),
  detection: z.array(z.string()),
  nist: z.array(z.string()),
  cis: z.array(z.string()),
  urls: z.array(z.string()),
});
export type References = z.infer<typeof References>;

export const CheckMeta = z.object({
  id: z.string(),
  title: z.string(),
  severity: Severity,
  rationale: z.string(),
  remediation: z.string(),
  providers: z.array(Provider),
  references: References,
});
export type CheckMeta = z.infer<typeof CheckMeta>;

export const ProviderDiscovery = z.object({
  provider: Provider,
  /** The organisation / tenant / org node the scan started from, when there was one. */
  root: z.string().nullable(),
  status: z.enum(['complete', 'partial', 'failed']),
  scopesFound: z.number(),
  scopesSelected: z.number(),
  gaps: z.array(Gap),
});
export type ProviderDiscovery = z.infer<typeof ProviderDiscovery>;

export const Stats = z.object({
  scopes: z.object({
    total: z.number(),
    complete: z.number(),
    partial: z.number(),
    failed: z.number(),
    interrupted: z.number(),
  }),
  apiCalls: z.number(),
  throttles: z.number(),
  retries: z.number(),
  errors: z.number(),
  operations: z.record(z.string(), z.number()),
});
export type Stats = z.infer<typeof Stats>;

export const ScanResult = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.object({ name: z.literal('snapaudit'), version: z.string() }),
  scan: z.object({
    id: z.string(),
    startedAt: z.string(),
    finishedAt: z.string(),
    complete: z.boolean(),
    interrupted: z.boolean(),
    providers: z.array(Provider),
    shard: z.object({ index: z.number(), count: z.number() }).nullable(),
  }),
  stats: Stats,
  checks: z.array(CheckMeta),
  discovery: z.array(ProviderDiscovery),
  scopes: z.array(ScopeResult),
  /**
   * Findings not tied to one scanned scope (e.g. discovery failures), in memory and on disk alike: each scope's are
   * under `scopes[].findings` (result.json before 4.0.0 repeated those here too).
   */
  findings: z.array(Finding),
});
export type ScanResult = z.infer<typeof ScanResult>;
