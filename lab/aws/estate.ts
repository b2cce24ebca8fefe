/**
 * The `aws` section of an estate: an organisation (optional) and its accounts, each with enabled regions, trails,
 * snapshots and account-level guards. See lab/ESTATE.md.
 */
import { z } from 'zod';

export const accountId = z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id');

/** Every commercial region DescribeRegions AllRegions lists (opt-in regions included). */
export const awsRegions = [
  'af-south-1',
  'ap-east-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ca-central-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
] as const;
/** The regions of the other partitions an estate can live in (DescribeRegions there lists these). */
export const partitionRegions: Record<string, readonly string[]> = {
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
};
/** Regions enabled by default (opt-in-not-required). */
export const awsDefaultRegions = [
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-north-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
] as const;

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1');
const tags = z.record(z.string(), z.string()).default({});

export const AwsEventSelector = z.strictObject({
  ReadWriteType: z.enum(['All', 'ReadOnly', 'WriteOnly']).default('All'),
  IncludeManagementEvents: z.boolean().default(true),
  ExcludeManagementEventSources: z.array(z.string()).default([]),
});

export const AwsAdvancedSelector = z.strictObject({
  Name: z.string().optional(),
  FieldSelectors: z.array(
    z.strictObject({
      Field: z.string(),
      Equals: z.array(z.string()).optional(),
      NotEquals: z.array(z.string()).optional(),
      StartsWith: z.array(z.string()).optional(),
      NotStartsWith: z.array(z.string()).optional(),
      EndsWith: z.array(z.string()).optional(),
      NotEndsWith: z.array(z.string()).optional(),
    }),
  ),
});

export const AwsTrail = z.strictObject({
  name: z.string(),
  homeRegion: region,
  multiRegion: z.boolean().default(false),
  /** An organisation trail (defined in the management account, applies to every member). */
  organization: z.boolean().default(false),
  logging: z.boolean().default(true),
  s3Bucket: z.string().default('cloudtrail-logs'),
  /** Account that owns the bucket (log archive); default: the trail's own account. */
  s3BucketAccount: accountId.optional(),
  logFileValidation: z.boolean().default(false),
  kmsKeyId: z.string().optional(),
  /** CloudWatch Logs log group ARN the trail also delivers to. */
  cloudWatchLogsLogGroupArn: z.string().optional(),
  eventSelectors: z.array(AwsEventSelector).optional(),
  advancedEventSelectors: z.array(AwsAdvancedSelector).optional(),
  /** GetTrailStatus LatestDeliveryError: the S3 error CloudTrail met delivering (e.g. AccessDenied from a bucket policy). */
  deliveryError: z.string().optional(),
  /** GetTrailStatus LatestCloudWatchLogsDeliveryError. */
  cloudWatchLogsDeliveryError: z.string().optional(),
  /** GetTrailStatus LatestDigestDeliveryError. */
  digestDeliveryError: z.string().optional(),
});
export type AwsTrail = z.infer<typeof AwsTrail>;

/** A CloudTrail Lake event data store (ListEventDataStores / GetEventDataStore). */
export const AwsEventDataStore = z.strictObject({
  name: z.string().regex(/^[a-zA-Z0-9._-]{3,128}$/, 'an event data store name (3-128 of letters, digits, . _ -)'),
  homeRegion: region,
  status: z
    .enum(['CREATED', 'ENABLED', 'PENDING_DELETION', 'STARTING_INGESTION', 'STOPPING_INGESTION', 'STOPPED_INGESTION'])
    .default('ENABLED'),
  multiRegion: z.boolean().default(true),
  /** An organisation store (defined in the management account, collects every member's events). */
  organization: z.boolean().default(false),
  retentionDays: z.number().int().min(7).max(3653).default(2557),
  terminationProtection: z.boolean().default(true),
  kmsKeyId: z.string().optional(),
  /** Default: management events (the console's default for a CloudTrail events store). */
  advancedEventSelectors: z.array(AwsAdvancedSelector).optional(),
});
export type AwsEventDataStore = z.infer<typeof AwsEventDataStore>;

export const AwsSnapshot = z.strictObject({
  id: z.string().regex(/^snap-[0-9a-f]{8,17}$/, 'a snapshot id such as snap-0123456789abcdef0'),
  region,
  volumeId: z.string().default('vol-ffffffff'),
  sizeGiB: z.number().int().min(1).default(8),
  startTime: z.iso.datetime(),
  state: z.enum(['pending', 'completed', 'error', 'recoverable', 'recovering']).default('completed'),
  encrypted: z.boolean().default(false),
  /**
   * The key: a key ARN, or an alias (`alias/aws/ebs` is the AWS managed key, any other alias a customer managed key
   * the lab makes up) that the lab resolves to a key ARN, as AWS does; absent on an encrypted snapshot: the AWS
   * managed key.
   */
  kmsKeyId: z.string().optional(),
  description: z.string().default(''),
  tags,
  /** Restorable by everyone (createVolumePermission group all). */
  public: z.boolean().default(false),
  /** Account ids it is shared with (createVolumePermission UserId). */
  sharedWith: z.array(accountId).default([]),
});
export type AwsSnapshot = z.infer<typeof AwsSnapshot>;

/** An IAM policy document: an object, or JSON text (the lab sends it URL-encoded, as IAM does). */
const policyDocument = z.union([z.string(), z.record(z.string(), z.unknown())]);

export const AwsImage = z.strictObject({
  id: z.string().regex(/^ami-[0-9a-f]{8,17}$/, 'an AMI id such as ami-0123456789abcdef0'),
  region,
  name: z.string(),
  creationDate: z.iso.datetime(),
  state: z.enum(['pending', 'available', 'invalid', 'deregistered', 'transient', 'failed', 'error', 'disabled']).default('available'),
  description: z.string().default(''),
  /** The EBS snapshots behind it (block device mappings), one per device. */
  snapshotIds: z.array(z.string()).default([]),
  encrypted: z.boolean().default(false),
  /** As for snapshots: a key ARN or an alias the lab resolves. */
  kmsKeyId: z.string().optional(),
  sourceInstanceId: z.string().optional(),
  deprecationTime: z.iso.datetime().optional(),
  tags,
  /** Launchable by everyone (launchPermission group all). */
  public: z.boolean().default(false),
  /** Account ids it is shared with (launchPermission UserId). */
  sharedWith: z.array(accountId).default([]),
  /** Organisation or OU ARNs it is shared with. */
  sharedWithOrganizations: z.array(z.string()).default([]),
});
export type AwsImage = z.infer<typeof AwsImage>;

const dbSnapshotFields = {
  region,
  createTime: z.iso.datetime(),
  type: z.enum(['manual', 'automated', 'awsbackup']).default('manual'),
  status: z.string().default('available'),
  engine: z.string().default('postgres'),
  sizeGiB: z.number().int().min(1).default(20),
  encrypted: z.boolean().default(false),
  kmsKeyId: z.string().optional(),
  tags,
  /** `restore` attribute value `all`. */
  public: z.boolean().default(false),
  /** `restore` attribute account ids. */
  sharedWith: z.array(accountId).default([]),
};
export const AwsDbSnapshot = z.strictObject({
  id: z.string(),
  instance: z.string(),
  copiedFrom: z.string().optional(),
  ...dbSnapshotFields,
});
export type AwsDbSnapshot = z.infer<typeof AwsDbSnapshot>;
export const AwsDbClusterSnapshot = z.strictObject({
  id: z.string(),
  cluster: z.string(),
  copiedFrom: z.string().optional(),
  ...dbSnapshotFields,
});
export type AwsDbClusterSnapshot = z.infer<typeof AwsDbClusterSnapshot>;

export const AwsRecoveryPoint = z.strictObject({
  id: z.string(),
  resourceArn: z.string(),
  resourceType: z.string().default('EBS'),
  resourceName: z.string().optional(),
  createdAt: z.iso.datetime(),
  status: z.enum(['COMPLETED', 'PARTIAL', 'DELETING', 'EXPIRED', 'AVAILABLE', 'STOPPED', 'CREATING']).default('COMPLETED'),
  /** Made by this backup plan (CreatedBy.BackupPlanId); absent: an on-demand backup. */
  backupPlanId: z.string().optional(),
  /** The role the backup ran as. */
  iamRoleArn: z.string().optional(),
  encrypted: z.boolean().default(true),
  /** The key (ARN, or an alias of the account); default the AWS Backup managed key `alias/aws/backup`. */
  kmsKeyId: z.string().optional(),
  sizeBytes: z
    .number()
    .int()
    .min(0)
    .default(8 * 2 ** 30),
});
export const AwsBackupVault = z.strictObject({
  name: z.string(),
  region,
  locked: z.boolean().default(false),
  /** The vault access policy (a document or JSON text); absent: none. */
  policy: policyDocument.optional(),
  recoveryPoints: z.array(AwsRecoveryPoint).default([]),
});
export type AwsBackupVault = z.infer<typeof AwsBackupVault>;
export const AwsCopyJob = z.strictObject({
  id: z.string(),
  region,
  /** The recovery point copied: its id in one of this account's vaults (same region). */
  recoveryPoint: z.string(),
  destinationVaultArn: z.string(),
  state: z.enum(['CREATED', 'RUNNING', 'COMPLETED', 'FAILED', 'PARTIAL']).default('COMPLETED'),
  createdAt: z.iso.datetime(),
});
export type AwsCopyJob = z.infer<typeof AwsCopyJob>;

const inlinePolicy = z.strictObject({ name: z.string(), document: policyDocument });
const iamPath = z
  .string()
  .regex(/^\/([\w+=,.@-]+\/)*$/, 'an IAM path such as / or /division/')
  .default('/');
/** Managed policies are named by ARN, or by name for the account's own customer-managed policies. */
const policyRefs = z.array(z.string()).default([]);

export const AwsIamUser = z.strictObject({
  name: z.string(),
  path: iamPath,
  groups: z.array(z.string()).default([]),
  inlinePolicies: z.array(inlinePolicy).default([]),
  managedPolicies: policyRefs,
  /** Permission boundary: a managed policy ARN or name. */
  boundary: z.string().optional(),
  tags,
});
export const AwsIamGroup = z.strictObject({
  name: z.string(),
  path: iamPath,
  inlinePolicies: z.array(inlinePolicy).default([]),
  managedPolicies: policyRefs,
});
export const AwsIamRole = z.strictObject({
  name: z.string(),
  path: iamPath,
  /** The trust policy (AssumeRolePolicyDocument). */
  trust: policyDocument,
  inlinePolicies: z.array(inlinePolicy).default([]),
  managedPolicies: policyRefs,
  boundary: z.string().optional(),
  tags,
});
export const AwsManagedPolicy = z.strictObject({
  name: z.string(),
  path: iamPath,
  description: z.string().optional(),
  /** The default version's id (`v12`); default `v1`. */
  versionId: z
    .string()
    .regex(/^v\d+$/, 'a policy version id such as v1')
    .optional(),
  /** When the default version was set (ISO 8601); default: the lab's fixed creation date. */
  updateDate: z.iso.datetime().optional(),
  document: policyDocument,
});
export type AwsManagedPolicy = z.infer<typeof AwsManagedPolicy>;

export const AwsIam = z
  .strictObject({
    users: z.array(AwsIamUser).default([]),
    groups: z.array(AwsIamGroup).default([]),
    roles: z.array(AwsIamRole).default([]),
    /** Customer-managed policies of this account. */
    policies: z.array(AwsManagedPolicy).default([]),
  })
  .default({ users: [], groups: [], roles: [], policies: [] });
export type AwsIam = z.infer<typeof AwsIam>;

export const AwsEventRule = z.strictObject({
  name: z.string(),
  region,
  /** The EventPattern: an object, or JSON text sent as is. */
  pattern: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  schedule: z.string().optional(),
  state: z.enum(['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']).default('ENABLED'),
  description: z.string().optional(),
  /** Number of targets (ListTargetsByRule). */
  targets: z.number().int().min(0).default(1),
});
export type AwsEventRule = z.infer<typeof AwsEventRule>;

export const AwsLogGroup = z.strictObject({
  name: z.string(),
  region,
  /** Retention in days; absent = never expire. */
  retentionDays: z.number().int().min(1).optional(),
  kmsKeyId: z.string().optional(),
  metricFilters: z
    .array(
      z.strictObject({
        name: z.string(),
        pattern: z.string(),
        metricName: z.string().default('SnapshotEvents'),
        metricNamespace: z.string().default('Security'),
      }),
    )
    .default([]),
});
export type AwsLogGroup = z.infer<typeof AwsLogGroup>;

export const AwsVolume = z.strictObject({
  id: z.string().regex(/^vol-[0-9a-f]{8,17}$/, 'a volume id such as vol-0123456789abcdef0'),
  region,
  sizeGiB: z.number().int().min(1).default(8),
  state: z.enum(['creating', 'available', 'in-use', 'deleting', 'deleted', 'error']).default('in-use'),
  encrypted: z.boolean().default(false),
  tags,
});
export type AwsVolume = z.infer<typeof AwsVolume>;

/** A CloudTrail management event (LookupEvents, 90-day history); the lab writes the full record. */
export const AwsCloudTrailEvent = z.strictObject({
  name: z.string(),
  region,
  time: z.iso.datetime(),
  /** Caller: an IAM user / role session ARN, or `root`; `invokedBy` for AWS services. */
  userArn: z.string(),
  userType: z.enum(['IAMUser', 'AssumedRole', 'Root', 'AWSService', 'FederatedUser']).default('IAMUser'),
  invokedBy: z.string().optional(),
  eventSource: z.string().default('ec2.amazonaws.com'),
  /** Snapshots the call made (CreateSnapshot / CopySnapshot: one; CreateSnapshots: several). */
  snapshotIds: z.array(z.string()).default([]),
  /** CreateImage: the AMI it made (its snapshots name it in their description). */
  imageId: z.string().optional(),
  volumeId: z.string().optional(),
  /** CreateDBSnapshot / CopyDBSnapshot: the DB snapshot it made (responseElements.dBSnapshotIdentifier). */
  dbSnapshotId: z.string().optional(),
  /** CreateDBClusterSnapshot / CopyDBClusterSnapshot: the cluster snapshot it made. */
  dbClusterSnapshotId: z.string().optional(),
  /** CopySnapshot: the snapshot copied (requestParameters.sourceSnapshotId). */
  sourceSnapshotId: z.string().optional(),
  /** AssumedRole: the role's full ARN (sessionContext.sessionIssuer.arn, with its path); default: derived from userArn. */
  sessionIssuerArn: z.string().optional(),
  errorCode: z.string().optional(),
  /** `sourceIPAddress` (default 203.0.113.10; a service's name for service calls). */
  sourceIp: z.string().optional(),
  /** `userAgent` (default an AWS CLI v2 agent; the service's name for service calls). */
  userAgent: z.string().optional(),
  /** `vpcEndpointId`: the call came through this VPC endpoint. */
  vpcEndpointId: z.string().optional(),
  /** `sessionContext.attributes.mfaAuthenticated` (role sessions and console users; default false). */
  mfa: z.boolean().optional(),
  /** ModifySnapshotAttribute / ModifyImageAttribute: the account the artifact was shared with (`all`: public). */
  shareWith: z.string().optional(),
});
export type AwsCloudTrailEvent = z.infer<typeof AwsCloudTrailEvent>;

/**
 * An IAM Access Analyzer analyzer (regional). External access analyzers (ACCOUNT, ORGANIZATION) report, per supported
 * resource, every principal outside their zone of trust that can use it; the lab derives those findings from the
 * estate's sharing (EBS snapshots, RDS DB and cluster snapshots). An ORGANIZATION analyzer lives in the management
 * account or the delegated administrator and covers every account of the organisation.
 */
export const AwsAccessAnalyzer = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'an analyzer name such as ExternalAccess'),
  region,
  type: z
    .enum([
      'ACCOUNT',
      'ORGANIZATION',
      'ACCOUNT_UNUSED_ACCESS',
      'ORGANIZATION_UNUSED_ACCESS',
      'ACCOUNT_INTERNAL_ACCESS',
      'ORGANIZATION_INTERNAL_ACCESS',
    ])
    .default('ACCOUNT'),
  status: z.enum(['ACTIVE', 'CREATING', 'DISABLED', 'FAILED']).default('ACTIVE'),
  createdAt: z.iso.datetime().default('2026-01-01T00:00:00Z'),
  /** When it last analysed a resource (ListAnalyzers lastResourceAnalyzedAt); absent: not reported. */
  lastResourceAnalyzedAt: z.iso.datetime().optional(),
  /** Resource ids whose findings are ARCHIVED (an archive rule or a person marked the access as intended). */
  archived: z.array(z.string()).default([]),
  /** Resource ids it has not analysed yet: no finding, whatever their sharing. */
  unanalysed: z.array(z.string()).default([]),
  /**
   * Findings for shares the resource no longer has: RESOLVED (the analyzer saw the share go) or still ACTIVE (it has
   * not re-analysed the resource since).
   */
  formerShares: z
    .array(z.strictObject({ resource: z.string(), account: accountId, status: z.enum(['ACTIVE', 'RESOLVED']).default('RESOLVED') }))
    .default([]),
});
export type AwsAccessAnalyzer = z.infer<typeof AwsAccessAnalyzer>;

/**
 * AWS Security Hub in one region of an account (absent from a region: the account is not subscribed there, and
 * DescribeHub answers InvalidAccessException). Each enabled standard names the catalogued controls it holds and their
 * association status; a control a standard does not list is not part of it.
 */
export const AwsSecurityHub = z.strictObject({
  region,
  subscribedAt: z.iso.datetime().default('2026-01-01T00:00:00Z'),
  standards: z
    .array(
      z.strictObject({
        /** The StandardsArn path: `aws-foundational-security-best-practices/v/1.0.0`, or `ruleset/cis-aws-foundations-benchmark/v/1.2.0`. */
        path: z.string().regex(/^[a-z0-9-]+(\/[a-z0-9.-]+)*$/, 'a standards path such as aws-foundational-security-best-practices/v/1.0.0'),
        status: z.enum(['PENDING', 'READY', 'FAILED', 'DELETING', 'INCOMPLETE']).default('READY'),
        /** Control id → association status (ENABLED, or DISABLED with the reason given when it was disabled). */
        controls: z.record(z.string(), z.union([z.literal('ENABLED'), z.strictObject({ disabled: z.string() })])).default({}),
      }),
    )
    .default([]),
  /**
   * ACTIVE FAILED findings Security Hub still holds for a state that has changed since (it re-evaluates on its own
   * schedule), beside those the lab derives from the estate: `control`, `resource` (an ARN, or `AWS::::Account:ID`).
   */
  staleFindings: z
    .array(z.strictObject({ control: z.string(), resource: z.string(), resourceType: z.string().default('AwsRdsDbSnapshot') }))
    .default([]),
});
export type AwsSecurityHub = z.infer<typeof AwsSecurityHub>;

export const AwsAccount = z.strictObject({
  id: accountId,
  name: z.string(),
  email: z.string().default('aws@example.com'),
  status: z.enum(['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE']).default('ACTIVE'),
  /** Parent OU id (or the root id); default: the root. */
  parent: z.string().optional(),
  /** Regions enabled in this account; default: the regions enabled by default. */
  regions: z.array(region).optional(),
  trails: z.array(AwsTrail).default([]),
  eventDataStores: z.array(AwsEventDataStore).default([]),
  snapshots: z.array(AwsSnapshot).default([]),
  /** AMIs the account owns (DescribeImages Owners=self). */
  images: z.array(AwsImage).default([]),
  /** AMI block public access per region: block-new-sharing | unblocked (default). */
  imageBlockPublicAccess: z.record(z.string(), z.enum(['block-new-sharing', 'unblocked'])).default({}),
  dbSnapshots: z.array(AwsDbSnapshot).default([]),
  dbClusterSnapshots: z.array(AwsDbClusterSnapshot).default([]),
  backupVaults: z.array(AwsBackupVault).default([]),
  copyJobs: z.array(AwsCopyJob).default([]),
  /** Snapshot block public access per region: block-all-sharing | block-new-sharing | unblocked (default). */
  blockPublicAccess: z.record(z.string(), z.enum(['block-all-sharing', 'block-new-sharing', 'unblocked'])).default({}),
  /** The role the scanner assumes in this account (organization mode). */
  scanRole: z
    .strictObject({
      name: z.string().default('SnapauditReadOnly'),
      /** false: AssumeRole is denied (role missing or trust not granted). */
      assumable: z.boolean().default(true),
      /** When set, AssumeRole must present this external id. */
      externalId: z.string().optional(),
    })
    .default({ name: 'SnapauditReadOnly', assumable: true }),
  iam: AwsIam,
  eventRules: z.array(AwsEventRule).default([]),
  logGroups: z.array(AwsLogGroup).default([]),
  volumes: z.array(AwsVolume).default([]),
  cloudTrailEvents: z.array(AwsCloudTrailEvent).default([]),
  /** IAM Access Analyzer analyzers of this account (an ORGANIZATION one in the management or delegated-admin account). */
  accessAnalyzers: z.array(AwsAccessAnalyzer).default([]),
  /** AWS Security Hub, per region where the account is subscribed. */
  securityHub: z.array(AwsSecurityHub).default([]),
  /** KMS aliases of customer managed keys (kms:ListAliases), besides those the snapshots' `kmsKeyId` aliases imply. */
  kmsAliases: z
    .array(z.strictObject({ name: z.string().regex(/^alias\//, 'an alias name such as alias/app'), region, targetKeyId: z.string() }))
    .default([]),
});
export type AwsAccount = z.infer<typeof AwsAccount>;

/**
 * IAM Identity Center: one instance in one region of one account (the management account by default), its identity
 * store's users and groups, its permission sets and their account assignments. Each assignment makes the lab add the
 * role Identity Center provisions in the account (`/aws-reserved/sso.amazonaws.com/REGION/AWSReservedSSO_NAME_SUFFIX`,
 * trusted through the account's `AWSSSO_…_DO_NOT_DELETE` SAML provider, holding the permission set's policies).
 */
const storeId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'an identity store id (a UUID)');
export const AwsIdentityCenter = z.strictObject({
  /** The account that holds the instance; default the management account, else the caller's. */
  account: accountId.optional(),
  region: region.default('us-east-1'),
  instanceId: z
    .string()
    .regex(/^ssoins-[0-9a-f]{16}$/, 'an instance id such as ssoins-0123456789abcdef')
    .default('ssoins-72236e1f0a9c5d41'),
  identityStoreId: z
    .string()
    .regex(/^d-[0-9a-f]{10}$/, 'an identity store id such as d-1234567890')
    .default('d-9067a1b2c3'),
  users: z
    .array(
      z.strictObject({
        id: storeId,
        userName: z.string(),
        displayName: z.string().optional(),
        status: z.enum(['ENABLED', 'DISABLED']).default('ENABLED'),
      }),
    )
    .default([]),
  /** Groups hold users only (Identity Center groups do not nest); members by user name. */
  groups: z.array(z.strictObject({ id: storeId, displayName: z.string(), members: z.array(z.string()).default([]) })).default([]),
  permissionSets: z
    .array(
      z.strictObject({
        id: z.string().regex(/^ps-[0-9a-f]{16}$/, 'a permission set id such as ps-0123456789abcdef'),
        name: z.string().regex(/^[\w+=,.@-]{1,32}$/, 'a permission set name: 1-32 of letters, digits and +=,.@_-'),
        description: z.string().optional(),
        /** AWS managed policy ARNs (or names) the provisioned role gets. */
        managedPolicies: policyRefs,
        inlinePolicy: policyDocument.optional(),
      }),
    )
    .default([]),
  /** Who is assigned which permission set (by name) in which account: a user (by user name) or a group (by display name). */
  assignments: z
    .array(
      z.strictObject({
        account: accountId,
        permissionSet: z.string(),
        principalType: z.enum(['USER', 'GROUP']),
        principal: z.string(),
      }),
    )
    .default([]),
});
export type AwsIdentityCenter = z.infer<typeof AwsIdentityCenter>;

export const AwsEstate = z.strictObject({
  organization: z
    .strictObject({
      id: z.string().regex(/^o-[a-z0-9]{10,32}$/, 'an organization id such as o-abcdef1234'),
      managementAccountId: accountId,
      rootId: z
        .string()
        .regex(/^r-[0-9a-z]{4,32}$/)
        .default('r-root'),
      ous: z
        .array(
          z.strictObject({
            id: z.string().regex(/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/, 'an OU id such as ou-ab12-cd34ef56'),
            name: z.string(),
            parent: z.string(),
          }),
        )
        .default([]),
      /** Is the SERVICE_CONTROL_POLICY type enabled on the root? (Then FullAWSAccess is attached to every target.) */
      scpEnabled: z.boolean().default(true),
      /** Service control policies besides FullAWSAccess, with the roots / OUs / accounts they are attached to. */
      scps: z
        .array(
          z.strictObject({
            id: z.string().regex(/^p-[0-9a-z]{8,128}$/, 'a policy id such as p-examplepolicy'),
            name: z.string(),
            description: z.string().default(''),
            document: policyDocument,
            targets: z.array(z.string()).default([]),
          }),
        )
        .default([]),
      /** Targets FullAWSAccess is detached from (it is attached everywhere else). */
      fullAccessDetachedFrom: z.array(z.string()).default([]),
      /** Member accounts registered as delegated administrators (may call the listing APIs). */
      delegatedAdministrators: z.array(accountId).default([]),
    })
    .optional(),
  /** Lifetime of AssumeRole sessions in seconds (default: what the caller asks for, else 3600). */
  sessionDurationSeconds: z.number().int().min(1).optional(),
  /** AWS managed policies the estate adds to (or overrides in) the lab's built-in set, by name. */
  awsManagedPolicies: z.array(AwsManagedPolicy).default([]),
  /** Smaller pages than asked for, per `service:Operation` (services may return fewer items than the maximum). */
  pageLimits: z.record(z.string(), z.number().int().min(1)).default({}),
  /** `service:Operation`s the endpoint does not implement (answered like an unknown operation), e.g. `events:ListRules`. */
  unsupportedOperations: z.array(z.string()).default([]),
  /** `service:Operation`s answered HTTP 501 InternalFailure "not yet implemented", as LocalStack does. */
  notImplementedOperations: z.array(z.string()).default([]),
  /** The partition the estate lives in: ARNs say `arn:PARTITION:` (aws-cn, aws-us-gov…). */
  partition: z
    .string()
    .regex(/^aws(-[a-z]+)*$/, 'an AWS partition such as aws, aws-cn or aws-us-gov')
    .default('aws'),
  /**
   * Imitates an AWS-compatible endpoint that ignores DescribeSnapshots' `RestorableByUserIds` filter and lists every
   * snapshot, public or not (createVolumePermission stays truthful).
   */
  publicListingIgnoresFilter: z.boolean().default(false),
  identityCenter: AwsIdentityCenter.optional(),
  /** The account the lab's static credentials belong to; default: the management account, else the first account. */
  callerAccountId: accountId.optional(),
  accounts: z.array(AwsAccount).min(1),
});
export type AwsEstate = z.infer<typeof AwsEstate>;
