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
});
export type AwsTrail = z.infer<typeof AwsTrail>;

export const AwsSnapshot = z.strictObject({
  id: z.string().regex(/^snap-[0-9a-f]{8,17}$/, 'a snapshot id such as snap-0123456789abcdef0'),
  region,
  volumeId: z.string().default('vol-ffffffff'),
  sizeGiB: z.number().int().min(1).default(8),
  startTime: z.iso.datetime(),
  state: z.enum(['pending', 'completed', 'error', 'recoverable', 'recovering']).default('completed'),
  encrypted: z.boolean().default(false),
  kmsKeyId: z.string().optional(),
  description: z.string().default(''),
  tags,
  /** Restorable by everyone (createVolumePermission group all). */
  public: z.boolean().default(false),
  /** Account ids it is shared with (createVolumePermission UserId). */
  sharedWith: z.array(accountId).default([]),
});
export type AwsSnapshot = z.infer<typeof AwsSnapshot>;

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
  snapshots: z.array(AwsSnapshot).default([]),
  /** Snapshot block public access per region: block-all-sharing | block-new-sharing | unblocked (default). */
  blockPublicAccess: z.record(z.string(), z.enum(['block-all-sharing', 'block-new-sharing', 'unblocked'])).default({}),
});
export type AwsAccount = z.infer<typeof AwsAccount>;

export const AwsEstate = z.strictObject({
  organization: z
    .strictObject({
      id: z.string().regex(/^o-[a-z0-9]{10,32}$/, 'an organization id such as o-abcdef1234'),
      managementAccountId: accountId,
      rootId: z
        .string()
        .regex(/^r-[0-9a-z]{4,32}$/)
        .default('r-root'),
      ous: z.array(z.strictObject({ id: z.string(), name: z.string(), parent: z.string() })).default([]),
    })
    .optional(),
  /** The account the lab's static credentials belong to; default: the management account, else the first account. */
  callerAccountId: accountId.optional(),
  accounts: z.array(AwsAccount).min(1),
});
export type AwsEstate = z.infer<typeof AwsEstate>;
