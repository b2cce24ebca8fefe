/**
 * The `gcp` section of an estate: an organisation with folders and projects, each carrying IAM allow bindings, deny
 * policies, custom roles, log sinks (and buckets, log-based metrics, alert policies for projects), disks,
 * snapshots, images, machine images and instant snapshots. See lab/ESTATE.md.
 */
import { z } from 'zod';

const numericId = (what: string) => z.string().regex(/^\d{6,19}$/, `a numeric ${what} id such as 123456789012`);
const projectId = z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'a project id: 6-30 lower-case letters, digits and hyphens');
const parentRef = z.string().regex(/^(organizations|folders)\/\d+$/, 'a parent such as organizations/123456789012 or folders/234567890123');
const labels = z.record(z.string(), z.string()).default({});

export const GcpCondition = z.strictObject({
  title: z.string().optional(),
  description: z.string().optional(),
  expression: z.string(),
});

export const GcpBinding = z.strictObject({
  role: z.string().min(1),
  members: z.array(z.string().min(1)).min(1),
  condition: GcpCondition.optional(),
});
export type GcpBinding = z.infer<typeof GcpBinding>;

export const GcpDenyRule = z.strictObject({
  deniedPrincipals: z.array(z.string()).min(1),
  exceptionPrincipals: z.array(z.string()).default([]),
  deniedPermissions: z.array(z.string()).min(1),
  exceptionPermissions: z.array(z.string()).default([]),
  denialCondition: GcpCondition.optional(),
  description: z.string().optional(),
});

export const GcpDenyPolicy = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'a deny policy id such as deny-snapshots'),
  displayName: z.string().optional(),
  rules: z.array(GcpDenyRule).min(1),
});
export type GcpDenyPolicy = z.infer<typeof GcpDenyPolicy>;

export const GcpCustomRole = z.strictObject({
  id: z.string().regex(/^[a-zA-Z0-9_.]{3,64}$/, 'a custom role id such as snapshotOperator'),
  title: z.string().optional(),
  permissions: z.array(z.string()).default([]),
  deleted: z.boolean().default(false),
});

export const GcpExclusion = z.strictObject({ name: z.string(), filter: z.string(), disabled: z.boolean().default(false) });

export const GcpSink = z.strictObject({
  name: z.string().regex(/^[\w.-]{1,100}$/, 'a sink name'),
  destination: z.string().min(1),
  filter: z.string().default(''),
  description: z.string().optional(),
  disabled: z.boolean().default(false),
  /** Folder / organisation sinks: also route the logs of every descendant. */
  includeChildren: z.boolean().default(false),
  interceptChildren: z.boolean().default(false),
  exclusions: z.array(GcpExclusion).default([]),
  /**
   * The identity the sink writes as; default: Cloud Logging's own, `serviceAccount:service-<project number>@…`,
   * `service-folder-<id>@…` or `service-org-<id>@gcp-sa-logging.iam.gserviceaccount.com`.
   */
  writerIdentity: z.string().optional(),
});
export type GcpSink = z.infer<typeof GcpSink>;

/** A Cloud Storage bucket a sink can export to: its IAM (buckets.getIamPolicy). */
export const GcpStorageBucket = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,221}[a-z0-9]$/, 'a Cloud Storage bucket name'),
  iam: z.array(GcpBinding).default([]),
});

/** A BigQuery dataset a sink can export to: its access list (datasets.get). */
export const GcpDataset = z.strictObject({
  id: z.string().regex(/^\w{1,1024}$/, 'a dataset id: letters, digits and underscores'),
  location: z.string().default('EU'),
  access: z
    .array(
      z.strictObject({
        role: z.string(),
        userByEmail: z.string().optional(),
        groupByEmail: z.string().optional(),
        specialGroup: z.string().optional(),
        iamMember: z.string().optional(),
      }),
    )
    .default([]),
});

/** A Pub/Sub topic a sink can export to: its IAM (topics.getIamPolicy). */
export const GcpTopic = z.strictObject({
  name: z.string().regex(/^[a-zA-Z][\w.~+%-]{2,254}$/, 'a topic name'),
  iam: z.array(GcpBinding).default([]),
});

export const GcpBucket = z.strictObject({
  id: z.string().regex(/^[\w-]{1,100}$/, 'a log bucket id'),
  location: z.string().default('global'),
  retentionDays: z.number().int().min(1).max(3650),
  locked: z.boolean().default(false),
  description: z.string().optional(),
});
export type GcpBucket = z.infer<typeof GcpBucket>;

export const GcpMetric = z.strictObject({
  name: z.string().regex(/^[\w./-]{1,100}$/, 'a log-based metric name'),
  filter: z.string(),
  description: z.string().optional(),
  disabled: z.boolean().default(false),
});

export const GcpAlertCondition = z.strictObject({
  displayName: z.string(),
  /** A threshold condition on a log-based metric of the project (by name). */
  metric: z.string().optional(),
  /** A raw threshold filter (e.g. on another metric type). */
  filter: z.string().optional(),
  /** A log-match condition (alert on matching log entries directly). */
  logMatch: z.string().optional(),
});

export const GcpAlertPolicy = z.strictObject({
  id: z.string().regex(/^\w{1,40}$/, 'an alert policy id'),
  displayName: z.string(),
  enabled: z.boolean().default(true),
  conditions: z.array(GcpAlertCondition).min(1),
  /** Notification channels it notifies: ids of the project's channels, or full names (`projects/P/notificationChannels/ID`). */
  notificationChannels: z.array(z.string()).default([]),
});

export const GcpNotificationChannel = z.strictObject({
  id: z.string().regex(/^[\w-]{1,60}$/, 'a notification channel id such as security-oncall'),
  type: z.string().default('email'),
  displayName: z.string(),
  enabled: z.boolean().default(true),
  labels: z.record(z.string(), z.string()).default({}),
});

export const GcpDisk = z
  .strictObject({
    name: z.string(),
    /** A zonal disk's zone… */
    zone: z
      .string()
      .regex(/^[a-z]+-[a-z]+\d+-[a-z]$/, 'a zone such as europe-west1-b')
      .optional(),
    /** …or a regional (replicated) disk's region. */
    region: z
      .string()
      .regex(/^[a-z]+-[a-z]+\d+$/, 'a region such as europe-west1')
      .optional(),
    sizeGb: z.number().int().min(1).default(10),
    labels,
    /** Snapshot schedules attached to it: the lab writes the Admin Activity entry of the addResourcePolicies call. */
    schedules: z
      .array(
        z.strictObject({
          policy: z
            .string()
            .regex(/^regions\/[a-z0-9-]+\/resourcePolicies\/[\w-]+$/, 'a policy such as regions/europe-west1/resourcePolicies/nightly'),
          attachedBy: z.string(),
          attachedAt: z.iso.datetime({ offset: true }),
          /** The call that attached it: `addResourcePolicies` on the disk, or the disk's own `insert` naming it. */
          via: z.enum(['addResourcePolicies', 'insert']).default('addResourcePolicies'),
        }),
      )
      .default([]),
  })
  .refine((d) => (d.zone === undefined) !== (d.region === undefined), 'a disk has either a zone or a region');
export type GcpDisk = z.infer<typeof GcpDisk>;

/** `zones/Z` or `regions/R`: where a disk lives. */
export function diskLocation(d: GcpDisk): string {
  return d.zone ? `zones/${d.zone}` : `regions/${d.region}`;
}

export const GcpSnapshot = z.strictObject({
  name: z.string().regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a snapshot name'),
  /** Numeric id; default: derived from the project number and the position. */
  id: z.string().regex(/^\d+$/).optional(),
  description: z.string().default(''),
  /** `zones/ZONE/disks/NAME` or `regions/REGION/disks/NAME` of the source disk (in the same project). */
  sourceDisk: z
    .string()
    .regex(/^(zones|regions)\/[a-z0-9-]+\/disks\/[\w-]+$/, 'a source disk such as zones/europe-west1-b/disks/db-1')
    .optional(),
  /** A regional snapshot (served under /regions/REGION/snapshots, `Snapshot.region` set); default: global. */
  region: z
    .string()
    .regex(/^[a-z]+-[a-z]+\d+$/, 'a region such as europe-west1')
    .optional(),
  creationTimestamp: z.iso.datetime({ offset: true }),
  diskSizeGb: z.number().int().min(1).default(10),
  storageLocations: z.array(z.string()).default(['eu']),
  status: z.enum(['CREATING', 'DELETING', 'FAILED', 'READY', 'UPLOADING']).default('READY'),
  labels,
  /** Customer-managed key (CMEK). */
  kmsKeyName: z.string().optional(),
  /** Customer-supplied key (CSEK): the API only returns its sha256. */
  csek: z.boolean().default(false),
  autoCreated: z.boolean().default(false),
  /** Snapshot schedule resource policy, e.g. `regions/europe-west1/resourcePolicies/daily`. */
  schedulePolicy: z.string().optional(),
  /** Snapshot-level IAM bindings (allUsers here makes it public). */
  iam: z.array(GcpBinding).default([]),
  /** Who created it: the lab writes the Admin Activity entries of the creating call. */
  createdBy: z.string().optional(),
  createdVia: z
    .enum(['snapshots.insert', 'disks.createSnapshot', 'regionDisks.createSnapshot', 'regionSnapshots.insert'])
    .default('snapshots.insert'),
  /** The API version of the creating call (`gcloud beta` and Terraform's google-beta log `beta.…`). */
  createdWithApi: z.enum(['v1', 'beta', 'alpha']).default('v1'),
});
export type GcpSnapshot = z.infer<typeof GcpSnapshot>;

const artifactName = (what: string) => z.string().regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, `a ${what} name`);
const zone = z.string().regex(/^[a-z]+-[a-z]+\d+-[a-z]$/, 'a zone such as europe-west1-b');
const region = z.string().regex(/^[a-z]+-[a-z]+\d+$/, 'a region such as europe-west1');
const diskRef = z.string().regex(/^(zones|regions)\/[a-z0-9-]+\/disks\/[\w-]+$/, 'a disk such as zones/europe-west1-b/disks/db-1');
/** Who made it, and with which API version: the lab writes the Admin Activity entry of the inserting call. */
const creation = {
  createdBy: z.string().optional(),
  createdWithApi: z.enum(['v1', 'beta', 'alpha']).default('v1'),
};

/** A custom image (`global/images/NAME`), from a disk, a snapshot or another image. */
export const GcpImage = z.strictObject({
  name: artifactName('image'),
  description: z.string().default(''),
  family: z.string().optional(),
  sourceDisk: diskRef.optional(),
  /** `global/snapshots/NAME` */
  sourceSnapshot: z.string().optional(),
  creationTimestamp: z.iso.datetime({ offset: true }),
  diskSizeGb: z.number().int().min(1).default(10),
  storageLocations: z.array(z.string()).default(['eu']),
  labels,
  kmsKeyName: z.string().optional(),
  /** Image-level IAM bindings (allUsers / allAuthenticatedUsers here make it public). */
  iam: z.array(GcpBinding).default([]),
  ...creation,
});
export type GcpImage = z.infer<typeof GcpImage>;

/** A machine image (`global/machineImages/NAME`): every disk and the configuration of one instance. */
export const GcpMachineImage = z.strictObject({
  name: artifactName('machine image'),
  description: z.string().default(''),
  /** `zones/ZONE/instances/NAME` */
  sourceInstance: z
    .string()
    .regex(/^zones\/[a-z0-9-]+\/instances\/[\w-]+$/, 'an instance such as zones/europe-west1-b/instances/web-1')
    .optional(),
  creationTimestamp: z.iso.datetime({ offset: true }),
  totalStorageGb: z.number().int().min(1).default(10),
  storageLocations: z.array(z.string()).default(['eu']),
  labels,
  kmsKeyName: z.string().optional(),
  iam: z.array(GcpBinding).default([]),
  ...creation,
});
export type GcpMachineImage = z.infer<typeof GcpMachineImage>;

/** An instant snapshot: zonal (`zones/ZONE/instantSnapshots/NAME`) or regional, in its source disk's location. */
export const GcpInstantSnapshot = z
  .strictObject({
    name: artifactName('instant snapshot'),
    description: z.string().default(''),
    zone: zone.optional(),
    region: region.optional(),
    sourceDisk: diskRef,
    creationTimestamp: z.iso.datetime({ offset: true }),
    diskSizeGb: z.number().int().min(1).default(10),
    labels,
    iam: z.array(GcpBinding).default([]),
    ...creation,
  })
  .refine((s) => (s.zone === undefined) !== (s.region === undefined), 'an instant snapshot has either a zone or a region');
export type GcpInstantSnapshot = z.infer<typeof GcpInstantSnapshot>;

const startTime = z.string().regex(/^([01]\d|2[0-3]):00$/, 'a start time on the hour such as 02:00 (UTC)');

/**
 * A snapshot schedule: a resource policy with a `snapshotSchedulePolicy` (`regions/REGION/resourcePolicies/NAME`),
 * served by `resourcePolicies.aggregatedList`; disks name it under `schedules` to be attached to it.
 */
export const GcpSnapshotSchedule = z.strictObject({
  name: artifactName('resource policy'),
  region,
  description: z.string().default(''),
  creationTimestamp: z.iso.datetime({ offset: true }),
  /** The cycle: exactly one of hourly, daily or weekly, as the API's `schedule` union. */
  cycle: z
    .discriminatedUnion('every', [
      z.strictObject({ every: z.literal('hours'), hoursInCycle: z.number().int().min(1).max(23), startTime }),
      z.strictObject({ every: z.literal('days'), daysInCycle: z.literal(1), startTime }),
      z.strictObject({
        every: z.literal('week'),
        days: z
          .array(
            z.strictObject({
              day: z.enum(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY']),
              startTime,
            }),
          )
          .min(1),
      }),
    ])
    .default({ every: 'days', daysInCycle: 1, startTime: '02:00' }),
  retentionDays: z.number().int().min(1).default(14),
  onSourceDiskDelete: z.enum(['KEEP_AUTO_SNAPSHOTS', 'APPLY_RETENTION_POLICY']).default('KEEP_AUTO_SNAPSHOTS'),
  /** `snapshotProperties`: where the snapshots it makes are stored, their labels, guest flush. */
  storageLocations: z.array(z.string()).default([]),
  snapshotLabels: labels,
  guestFlush: z.boolean().default(false),
});
export type GcpSnapshotSchedule = z.infer<typeof GcpSnapshotSchedule>;

/** `zones/Z` or `regions/R`: where an instant snapshot lives. */
export function instantLocation(s: GcpInstantSnapshot): string {
  return s.zone ? `zones/${s.zone}` : `regions/${s.region}`;
}

/**
 * A service account of a project (`ID@PROJECT.iam.gserviceaccount.com`), as projects.serviceAccounts.list shows it,
 * with its own IAM policy (who may act as it: roles/iam.serviceAccountTokenCreator, roles/iam.serviceAccountUser …),
 * served by iam `projects.serviceAccounts.getIamPolicy`.
 */
export const GcpServiceAccount = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'a service account id such as backup-runner'),
  displayName: z.string().optional(),
  description: z.string().optional(),
  disabled: z.boolean().default(false),
  iam: z.array(GcpBinding).default([]),
});
export type GcpServiceAccount = z.infer<typeof GcpServiceAccount>;

/** A Cloud Identity group: its email, and its direct members as IAM members (nested groups as `group:…`). */
export const GcpDirectoryGroup = z.strictObject({
  email: z.string().regex(/^[^@\s]+@[^@\s]+$/, 'a group email such as backup-operators@example.com'),
  displayName: z.string().optional(),
  members: z
    .array(z.string().regex(/^(user|serviceAccount|group):[^@\s]+@[^@\s]+$/, 'an IAM member such as user:alice@example.com'))
    .default([]),
});
export type GcpDirectoryGroup = z.infer<typeof GcpDirectoryGroup>;

const levelFields = {
  iam: z.array(GcpBinding).default([]),
  denyPolicies: z.array(GcpDenyPolicy).default([]),
  sinks: z.array(GcpSink).default([]),
  roles: z.array(GcpCustomRole).default([]),
};

export const GcpFolder = z.strictObject({
  id: numericId('folder'),
  name: z.string(),
  parent: parentRef,
  ...levelFields,
});
export type GcpFolder = z.infer<typeof GcpFolder>;

/**
 * An Admin Activity entry of a Compute Engine call beyond those the estate's resources imply (a denied attempt, a
 * share, a call from elsewhere): the lab writes it with the AuditLog payload's fields.
 */
export const GcpAuditEvent = z.strictObject({
  /** The method as logged, e.g. `v1.compute.disks.createSnapshot` or `v1.compute.snapshots.setIamPolicy`. */
  method: z
    .string()
    .regex(/^(v1|beta|alpha)\.compute\.[A-Za-z]+\.[A-Za-z]+$/, 'a Compute Engine method such as v1.compute.snapshots.insert'),
  /** The resource name, e.g. `zones/europe-west1-b/disks/payments-db` (the project is prefixed). */
  resource: z.string(),
  principal: z.string(),
  timestamp: z.iso.datetime(),
  callerIp: z.string().default('203.0.113.10'),
  userAgent: z.string().default('google-cloud-sdk gcloud/500.0.0'),
  /** google.rpc.Code of a failed call (7: PERMISSION_DENIED); absent: it succeeded. */
  statusCode: z.number().int().optional(),
  /** The request (e.g. `{ name: snapshot-name }` for disks.createSnapshot). */
  request: z.record(z.string(), z.unknown()).optional(),
});
export type GcpAuditEvent = z.infer<typeof GcpAuditEvent>;

/**
 * Security Command Center as it applies to a project: Security Health Analytics' effective state and its modules'
 * (securitycentermanagement securityCenterServices.get), and the findings SCC holds on the project's resources
 * (securitycenter v2 findings.list). Absent: Security Health Analytics is not enabled for the project (effective
 * DISABLED, inherited) and there are no findings.
 */
export const GcpSecurityCenter = z.strictObject({
  healthAnalytics: z.enum(['ENABLED', 'DISABLED', 'INGEST_ONLY']).default('ENABLED'),
  /** Module (finding category) → its effective state; a module not listed is not reported. */
  modules: z.record(z.string(), z.enum(['ENABLED', 'DISABLED'])).default({}),
  findings: z
    .array(
      z.strictObject({
        category: z.string(),
        /** An image name of the project (`payments-db-golden`) or a full resource name (`//compute.googleapis.com/…`). */
        resource: z.string(),
        state: z.enum(['ACTIVE', 'INACTIVE']).default('ACTIVE'),
        eventTime: z.iso.datetime().default('2026-11-01T00:00:00Z'),
      }),
    )
    .default([]),
});
export type GcpSecurityCenter = z.infer<typeof GcpSecurityCenter>;

export const GcpProject = z.strictObject({
  id: projectId,
  number: numericId('project number'),
  name: z.string().optional(),
  parent: parentRef,
  labels,
  /** Is the Compute Engine API enabled? When not, compute calls answer 403 SERVICE_DISABLED. */
  computeApi: z.boolean().default(true),
  ...levelFields,
  buckets: z.array(GcpBucket).default([]),
  /** Sink destinations outside Cloud Logging, with who may write to them. */
  storageBuckets: z.array(GcpStorageBucket).default([]),
  datasets: z.array(GcpDataset).default([]),
  topics: z.array(GcpTopic).default([]),
  metrics: z.array(GcpMetric).default([]),
  alertPolicies: z.array(GcpAlertPolicy).default([]),
  notificationChannels: z.array(GcpNotificationChannel).default([]),
  disks: z.array(GcpDisk).default([]),
  snapshots: z.array(GcpSnapshot).default([]),
  images: z.array(GcpImage).default([]),
  machineImages: z.array(GcpMachineImage).default([]),
  instantSnapshots: z.array(GcpInstantSnapshot).default([]),
  /** Snapshot schedules (resource policies); disks attach them under `schedules`. */
  resourcePolicies: z.array(GcpSnapshotSchedule).default([]),
  /** Further Admin Activity entries (denied attempts, shares, calls from elsewhere). */
  auditEvents: z.array(GcpAuditEvent).default([]),
  serviceAccounts: z.array(GcpServiceAccount).default([]),
  securityCenter: GcpSecurityCenter.optional(),
});
export type GcpProject = z.infer<typeof GcpProject>;

export const GcpEstate = z.strictObject({
  organization: z
    .strictObject({
      id: numericId('organization'),
      /** The organisation's display name: its primary Cloud Identity domain. */
      domain: z.string(),
      directoryCustomerId: z.string().default('C00lab000'),
      ...levelFields,
    })
    .optional(),
  folders: z.array(GcpFolder).default([]),
  projects: z.array(GcpProject).min(1),
  /** Extra or overriding predefined roles: name → permissions. */
  roles: z.record(z.string(), z.strictObject({ title: z.string().optional(), permissions: z.array(z.string()) })).default({}),
  /**
   * The identity the scanner's token stands for, as an IAM member (`serviceAccount:…`, `user:…`). When set, every
   * call needs the documented permission on its resource through this member's unconditional bindings (on the
   * resource or an ancestor): lists on a parent it cannot read answer 403, searches leave out what it cannot see.
   * Unset: the caller may read everything.
   */
  caller: z
    .string()
    .regex(/^(user|serviceAccount|group):\S+@\S+$/, 'an IAM member such as serviceAccount:snapaudit@p.iam.gserviceaccount.com')
    .optional(),
  /**
   * The organisation's Cloud Identity groups. `readable: false`: the caller holds no Groups Reader admin role, so every
   * group read answers 403 (as for a group that does not exist). Absent: a directory without groups.
   */
  directory: z
    .strictObject({ readable: z.boolean().default(true), groups: z.array(GcpDirectoryGroup).default([]) })
    .default({ readable: true, groups: [] }),
  /** The largest page any list call returns (real services allow more; small values exercise paging). */
  pageSize: z.number().int().min(1).max(1000).default(100),
  /** Compute Engine regions `regions.list` returns (default: every public region, lab/gcp/regions.ts). */
  regions: z
    .array(z.string().regex(/^[a-z]+-[a-z]+\d+$/, 'a region such as europe-west1'))
    .min(1)
    .optional(),
  /**
   * Quotas the lab enforces. Cloud Logging counts entries:list requests per minute against the caller's project
   * (https://cloud.google.com/logging/quotas); over it, the lab answers 429 RESOURCE_EXHAUSTED with no Retry-After.
   */
  quotas: z
    .strictObject({
      logReadsPerMinute: z.number().int().min(1).optional(),
      /** The quota window (seconds; tests shorten it). */
      windowSeconds: z.number().min(0.1).default(60),
    })
    .default({ windowSeconds: 60 }),
});
export type GcpEstate = z.infer<typeof GcpEstate>;
