/**
 * The per-scope I/O object: every AWS call an account's collection makes goes through it. `api` names each
 * operation the collectors read and returns the SDK's response shape; collectors never build SDK commands or touch
 * clients themselves. Calls run through the engine's runner (retries, classification, request counting) via the
 * sessions of clients.ts; listings are bounded by the one paging helper (providers/paging.ts).
 */
import type { ListAnalyzersCommandInput, ListFindingsCommandInput } from '@aws-sdk/client-accessanalyzer';
import type {
  GetBackupVaultAccessPolicyCommandInput,
  ListBackupVaultsCommandInput,
  ListCopyJobsCommandInput,
  ListRecoveryPointsByBackupVaultCommandInput,
} from '@aws-sdk/client-backup';
import type {
  DescribeDBClusterSnapshotAttributesCommandInput,
  DescribeDBClusterSnapshotsCommandInput,
  DescribeDBSnapshotAttributesCommandInput,
  DescribeDBSnapshotsCommandInput,
} from '@aws-sdk/client-rds';
import type { GetAccountAuthorizationDetailsCommandInput } from '@aws-sdk/client-iam';
import type { ListTrailsCommandInput, ListEventDataStoresCommandInput, LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import type { DescribeLogGroupsCommandInput, DescribeMetricFiltersCommandInput } from '@aws-sdk/client-cloudwatch-logs';
import type {
  DescribeImageAttributeCommandInput,
  DescribeImagesCommandInput,
  DescribeSnapshotAttributeCommandInput,
  DescribeSnapshotsCommandInput,
  DescribeVolumesCommandInput,
} from '@aws-sdk/client-ec2';
import type { ListRulesCommandInput, ListTargetsByRuleCommandInput } from '@aws-sdk/client-eventbridge';
import type { ListAliasesCommandInput } from '@aws-sdk/client-kms';
import type {
  BatchGetStandardsControlAssociationsCommandInput,
  GetEnabledStandardsCommandInput,
  GetFindingsCommandInput,
} from '@aws-sdk/client-securityhub';
import type { DescribeGroupCommandInput, DescribeUserCommandInput, ListGroupMembershipsCommandInput } from '@aws-sdk/client-identitystore';
import type {
  DescribePermissionSetCommandInput,
  ListAccountAssignmentsCommandInput,
  ListInstancesCommandInput,
  ListPermissionSetsProvisionedToAccountCommandInput,
} from '@aws-sdk/client-sso-admin';
import type { Gap, Part, Scope } from '../../src/core/model/result.ts';
import { attempt } from '../gaps.ts';
import { type Listing, type Page, readPages } from '../paging.ts';
import type { ScopeRuntime } from '../types.ts';
import type { AwsSessions, ClientOf, Sdks, ServiceKind } from './clients.ts';
import { classifyAwsError } from './errors.ts';

/**
 * DescribeHub's error codes for an account that has not enabled Security Hub in the region
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_DescribeHub.html#API_DescribeHub_Errors).
 */
const HUB_NOT_SUBSCRIBED: ReadonlySet<string> = new Set(['InvalidAccessException', 'ResourceNotFoundException']);
export type HubAnswer = { subscribed: true; hubArn: string | null } | { subscribed: false; code: string };

/** An operation name, or a name with the purpose of this call when the operation has several (LookupEvents per event name). */
export type OperationName = string | { name: string; purpose: string };

export type Sender = <K extends ServiceKind, T>(
  kind: K,
  region: string,
  operation: OperationName,
  fn: (client: ClientOf<K>, signal: AbortSignal, sdk: Sdks[K]) => Promise<T>,
) => Promise<T>;

/**
 * IAM Identity Center's reads (sso-admin and identitystore, JSON 1.1): like every service's, their SDK packages are
 * imported when first called (clients.ts), so a scan that reads no principals never loads them.
 */
function identityCenterApi(send: Sender) {
  return {
    listInstances: (region: string, input: ListInstancesCommandInput) =>
      send('sso', region, 'ListInstances', (c, abortSignal, sdk) => c.send(new sdk.ListInstancesCommand(input), { abortSignal })),
    listPermissionSetsProvisionedToAccount: (region: string, input: ListPermissionSetsProvisionedToAccountCommandInput) =>
      send('sso', region, 'ListPermissionSetsProvisionedToAccount', (c, abortSignal, sdk) =>
        c.send(new sdk.ListPermissionSetsProvisionedToAccountCommand(input), { abortSignal }),
      ),
    describePermissionSet: (region: string, input: DescribePermissionSetCommandInput) =>
      send('sso', region, 'DescribePermissionSet', (c, abortSignal, sdk) =>
        c.send(new sdk.DescribePermissionSetCommand(input), { abortSignal }),
      ),
    listAccountAssignments: (region: string, input: ListAccountAssignmentsCommandInput) =>
      send('sso', region, 'ListAccountAssignments', (c, abortSignal, sdk) =>
        c.send(new sdk.ListAccountAssignmentsCommand(input), { abortSignal }),
      ),
    describeUser: (region: string, input: DescribeUserCommandInput) =>
      send('identitystore', region, 'DescribeUser', (c, abortSignal, sdk) => c.send(new sdk.DescribeUserCommand(input), { abortSignal })),
    describeGroup: (region: string, input: DescribeGroupCommandInput) =>
      send('identitystore', region, 'DescribeGroup', (c, abortSignal, sdk) => c.send(new sdk.DescribeGroupCommand(input), { abortSignal })),
    listGroupMemberships: (region: string, input: ListGroupMembershipsCommandInput) =>
      send('identitystore', region, 'ListGroupMemberships', (c, abortSignal, sdk) =>
        c.send(new sdk.ListGroupMembershipsCommand(input), { abortSignal }),
      ),
  };
}

/** The read-only operations collection makes, one function each, in the account the sender acts in. */
export function awsApi(send: Sender) {
  return {
    ...identityCenterApi(send),
    describeSnapshots: (region: string, input: DescribeSnapshotsCommandInput, purpose?: string) =>
      send('ec2', region, purpose ? { name: 'DescribeSnapshots', purpose } : 'DescribeSnapshots', (c, abortSignal, sdk) =>
        c.send(new sdk.DescribeSnapshotsCommand(input), { abortSignal }),
      ),
    describeSnapshotAttribute: (region: string, input: DescribeSnapshotAttributeCommandInput) =>
      send('ec2', region, 'DescribeSnapshotAttribute', (c, abortSignal, sdk) =>
        c.send(new sdk.DescribeSnapshotAttributeCommand(input), { abortSignal }),
      ),
    describeVolumes: (region: string, input: DescribeVolumesCommandInput) =>
      send('ec2', region, 'DescribeVolumes', (c, abortSignal, sdk) => c.send(new sdk.DescribeVolumesCommand(input), { abortSignal })),
    getSnapshotBlockPublicAccessState: (region: string) =>
      send('ec2', region, 'GetSnapshotBlockPublicAccessState', (c, abortSignal, sdk) =>
        c.send(new sdk.GetSnapshotBlockPublicAccessStateCommand({}), { abortSignal }),
      ),
    describeImages: (region: string, input: DescribeImagesCommandInput) =>
      send(
        'ec2',
        region,
        input.ExecutableUsers ? { name: 'DescribeImages', purpose: 'ExecutableUsers=all' } : 'DescribeImages',
        (c, abortSignal, sdk) => c.send(new sdk.DescribeImagesCommand(input), { abortSignal }),
      ),
    describeImageAttribute: (region: string, input: DescribeImageAttributeCommandInput) =>
      send('ec2', region, 'DescribeImageAttribute', (c, abortSignal, sdk) =>
        c.send(new sdk.DescribeImageAttributeCommand(input), { abortSignal }),
      ),
    getImageBlockPublicAccessState: (region: string) =>
      send('ec2', region, 'GetImageBlockPublicAccessState', (c, abortSignal, sdk) =>
        c.send(new sdk.GetImageBlockPublicAccessStateCommand({}), { abortSignal }),
      ),
    describeDBSnapshots: (region: string, input: DescribeDBSnapshotsCommandInput) =>
      send('rds', region, 'DescribeDBSnapshots', (c, abortSignal, sdk) =>
        c.send(new sdk.DescribeDBSnapshotsCommand(input), { abortSignal }),
      ),
    describeDBClusterSnapshots: (region: string, input: DescribeDBClusterSnapshotsCommandInput) =>
      send('rds', region, 'DescribeDBClusterSnapshots', (c, abortSignal, sdk) =>
        c.send(new sdk.DescribeDBClusterSnapshotsCommand(input), { abortSignal }),
      ),
    describeDBSnapshotAttributes: (region: string, input: DescribeDBSnapshotAttributesCommandInput) =>
      send('rds', region, 'DescribeDBSnapshotAttributes', (c, abortSignal, sdk) =>
        c.send(new sdk.DescribeDBSnapshotAttributesCommand(input), { abortSignal }),
      ),
    describeDBClusterSnapshotAttributes: (region: string, input: DescribeDBClusterSnapshotAttributesCommandInput) =>
      send('rds', region, 'DescribeDBClusterSnapshotAttributes', (c, abortSignal, sdk) =>
        c.send(new sdk.DescribeDBClusterSnapshotAttributesCommand(input), { abortSignal }),
      ),
    listBackupVaults: (region: string, input: ListBackupVaultsCommandInput) =>
      send('backup', region, 'ListBackupVaults', (c, abortSignal, sdk) => c.send(new sdk.ListBackupVaultsCommand(input), { abortSignal })),
    getBackupVaultAccessPolicy: (region: string, input: GetBackupVaultAccessPolicyCommandInput) =>
      send('backup', region, 'GetBackupVaultAccessPolicy', (c, abortSignal, sdk) =>
        c.send(new sdk.GetBackupVaultAccessPolicyCommand(input), { abortSignal }),
      ),
    listRecoveryPointsByBackupVault: (region: string, input: ListRecoveryPointsByBackupVaultCommandInput) =>
      send('backup', region, 'ListRecoveryPointsByBackupVault', (c, abortSignal, sdk) =>
        c.send(new sdk.ListRecoveryPointsByBackupVaultCommand(input), { abortSignal }),
      ),
    listCopyJobs: (region: string, input: ListCopyJobsCommandInput) =>
      send('backup', region, 'ListCopyJobs', (c, abortSignal, sdk) => c.send(new sdk.ListCopyJobsCommand(input), { abortSignal })),
    lookupEvents: (region: string, input: LookupEventsCommandInput, purpose: string) =>
      send('cloudtrail', region, { name: 'LookupEvents', purpose }, (c, abortSignal, sdk) =>
        c.send(new sdk.LookupEventsCommand(input), { abortSignal }),
      ),
    listTrails: (region: string, input: ListTrailsCommandInput) =>
      send('cloudtrail', region, 'ListTrails', (c, abortSignal, sdk) => c.send(new sdk.ListTrailsCommand(input), { abortSignal })),
    /** Without names: the region's trails and every shadow; with trail ARNs: those trails, whatever their region. */
    describeTrails: (region: string, trailNameList?: string[]) =>
      send('cloudtrail', region, 'DescribeTrails', (c, abortSignal, sdk) =>
        c.send(new sdk.DescribeTrailsCommand(trailNameList ? { trailNameList } : { includeShadowTrails: true }), { abortSignal }),
      ),
    getTrailStatus: (region: string, name: string | undefined) =>
      send('cloudtrail', region, 'GetTrailStatus', (c, abortSignal, sdk) =>
        c.send(new sdk.GetTrailStatusCommand({ Name: name }), { abortSignal }),
      ),
    getEventSelectors: (region: string, trailName: string | undefined) =>
      send('cloudtrail', region, 'GetEventSelectors', (c, abortSignal, sdk) =>
        c.send(new sdk.GetEventSelectorsCommand({ TrailName: trailName }), { abortSignal }),
      ),
    listEventDataStores: (region: string, input: ListEventDataStoresCommandInput) =>
      send('cloudtrail', region, 'ListEventDataStores', (c, abortSignal, sdk) =>
        c.send(new sdk.ListEventDataStoresCommand(input), { abortSignal }),
      ),
    getEventDataStore: (region: string, arn: string) =>
      send('cloudtrail', region, 'GetEventDataStore', (c, abortSignal, sdk) =>
        c.send(new sdk.GetEventDataStoreCommand({ EventDataStore: arn }), { abortSignal }),
      ),
    describeLogGroups: (region: string, input: DescribeLogGroupsCommandInput) =>
      send('logs', region, 'DescribeLogGroups', (c, abortSignal, sdk) => c.send(new sdk.DescribeLogGroupsCommand(input), { abortSignal })),
    describeMetricFilters: (region: string, input: DescribeMetricFiltersCommandInput) =>
      send('logs', region, 'DescribeMetricFilters', (c, abortSignal, sdk) =>
        c.send(new sdk.DescribeMetricFiltersCommand(input), { abortSignal }),
      ),
    listRules: (region: string, input: ListRulesCommandInput) =>
      send('events', region, 'ListRules', (c, abortSignal, sdk) => c.send(new sdk.ListRulesCommand(input), { abortSignal })),
    listTargetsByRule: (region: string, input: ListTargetsByRuleCommandInput) =>
      send('events', region, 'ListTargetsByRule', (c, abortSignal, sdk) =>
        c.send(new sdk.ListTargetsByRuleCommand(input), { abortSignal }),
      ),
    listAliases: (region: string, input: ListAliasesCommandInput) =>
      send('kms', region, 'ListAliases', (c, abortSignal, sdk) => c.send(new sdk.ListAliasesCommand(input), { abortSignal })),
    /** IAM Access Analyzer. */
    listAnalyzers: (region: string, input: ListAnalyzersCommandInput) =>
      send('access-analyzer', region, 'ListAnalyzers', (c, abortSignal, sdk) =>
        c.send(new sdk.ListAnalyzersCommand(input), { abortSignal }),
      ),
    listFindings: (region: string, input: ListFindingsCommandInput) =>
      send('access-analyzer', region, 'ListFindings', (c, abortSignal, sdk) => c.send(new sdk.ListFindingsCommand(input), { abortSignal })),
    /**
     * AWS Security Hub. Is the account subscribed in the region? "Not subscribed" (InvalidAccessException or
     * ResourceNotFoundException) is an answer, not a failed call: it is returned, never counted as an error.
     */
    describeHub: (region: string) =>
      send('securityhub', region, 'DescribeHub', async (c, abortSignal, sdk): Promise<HubAnswer> => {
        try {
          const out = await c.send(new sdk.DescribeHubCommand({}), { abortSignal });
          return { subscribed: true, hubArn: out.HubArn ?? null };
        } catch (err) {
          const name = (err as { name?: string } | null)?.name ?? '';
          if (HUB_NOT_SUBSCRIBED.has(name)) return { subscribed: false, code: name };
          throw err;
        }
      }),
    getEnabledStandards: (region: string, input: GetEnabledStandardsCommandInput) =>
      send('securityhub', region, 'GetEnabledStandards', (c, abortSignal, sdk) =>
        c.send(new sdk.GetEnabledStandardsCommand(input), { abortSignal }),
      ),
    batchGetStandardsControlAssociations: (region: string, input: BatchGetStandardsControlAssociationsCommandInput) =>
      send('securityhub', region, 'BatchGetStandardsControlAssociations', (c, abortSignal, sdk) =>
        c.send(new sdk.BatchGetStandardsControlAssociationsCommand(input), { abortSignal }),
      ),
    getFindings: (region: string, input: GetFindingsCommandInput) =>
      send('securityhub', region, 'GetFindings', (c, abortSignal, sdk) => c.send(new sdk.GetFindingsCommand(input), { abortSignal })),
    getAccountAuthorizationDetails: (homeRegion: string, input: GetAccountAuthorizationDetailsCommandInput) =>
      send('iam', homeRegion, 'GetAccountAuthorizationDetails', (c, abortSignal, sdk) =>
        c.send(new sdk.GetAccountAuthorizationDetailsCommand(input), { abortSignal }),
      ),
  };
}

export type AwsApi = ReturnType<typeof awsApi>;

export interface AccountIO {
  scope: Scope;
  rt: ScopeRuntime;
  gaps: Gap[];
  /** Regions where at least one read succeeded. */
  ok: Set<string>;
  /** The operations, in the scope's own account. */
  api: AwsApi;
  /** The operations in another account the scanner holds credentials for (the management account for an org trail); null when it holds none. */
  as(accountId: string): AwsApi | null;
  /** Runs one part; a failure becomes a gap and `undefined`. */
  part<T>(part: Part, region: string | null, fn: () => Promise<T>): Promise<T | undefined>;
  /** A paged listing of `service:Operation` in a region, bounded by the scan's page ceiling. */
  listing(operation: string, region: string | null, purpose?: string): Listing;
}

export function accountIO(sessions: AwsSessions, scope: Scope, rt: ScopeRuntime, gaps: Gap[]): AccountIO {
  const sender =
    (accountId: string): Sender =>
    (kind, region, operation, fn) =>
      sessions.send(rt.call, kind, accountId, region, operation, fn);
  return {
    scope,
    rt,
    gaps,
    ok: new Set(),
    api: awsApi(sender(scope.id)),
    as: (accountId) => (accountId === scope.id || sessions.has(accountId) ? awsApi(sender(accountId)) : null),
    part: (part, region, fn) => attempt(gaps, part, region, classifyAwsError, fn),
    listing: (operation, region, purpose) => ({
      operation,
      region,
      ...(purpose ? { purpose } : {}),
      ...(rt.maxPages ? { maxPages: rt.maxPages } : {}),
    }),
  };
}

/**
 * Collects every page of a NextToken-paged listing, bounded (providers/paging.ts): a repeated or cycling token, or
 * the page ceiling, ends it with a PagingError (a gap naming the operation); items are de-duplicated by id.
 */
export function allPages<T>(
  listing: Listing,
  fetch: (token: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined }>,
): Promise<T[]> {
  return readPages<T>(listing, fetch as (token: string | undefined) => Promise<Page<T>>);
}
