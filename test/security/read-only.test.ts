/**
 * Read-only proof: a full multi-cloud scan of the demo organisation (every provider, every check, the per-snapshot
 * share and IAM lookups and the creator lookups on) calls nothing but reads. Every request the lab saw is checked
 * against an explicit allow-list; a failure prints every operation the scan made.
 */
import { describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../lab/core.ts';
import { checks } from '../../checks/index.ts';
import { demoProviders, scanDemo } from '../resilience/support.ts';

/** Why each kind of request is a read. */
function isRead(e: RequestLogEntry): boolean {
  switch (e.provider) {
    case 'aws':
      // Every AWS API is a POST on the wire: the operation name decides. BatchGet* reads several items in one call
      // (Security Hub's BatchGetStandardsControlAssociations needs only securityhub:BatchGetStandardsControlAssociations,
      // a read: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecurityhub.html).
      return /^(Describe|List|Get|Lookup|BatchGet)[A-Za-z]*$/.test(e.operation) || (e.service === 'sts' && e.operation === 'AssumeRole');
    case 'azure':
      // ARM and Microsoft Graph reads are GETs; the POSTs are the OAuth 2.0 client-credentials grant at Microsoft Entra
      // ID and Graph's directoryObject getByIds, a read that takes its ids in the body
      // (https://learn.microsoft.com/en-us/graph/api/directoryobject-getbyids?view=graph-rest-1.0).
      return (
        e.method === 'GET' ||
        (e.method === 'POST' && e.service === 'login' && e.operation === 'GetToken' && /\/oauth2\/v2\.0\/token$/.test(e.path)) ||
        (e.method === 'POST' && e.service === 'Microsoft.Graph' && e.path === '/v1.0/directoryObjects/getByIds')
      );
    case 'gcp':
      // Google reads are GETs, plus the POST-shaped reads: getIamPolicy, entries:list and projects:search.
      return e.method === 'GET' || (e.method === 'POST' && /(:getIamPolicy|\/entries:list|:search)$/.test(e.path));
  }
}

const describeOp = (e: RequestLogEntry) =>
  `${e.provider} ${e.method} ${e.service}:${e.operation} ${e.provider === 'aws' ? '' : e.path}`.trim();

describe('read-only proof', () => {
  it('a full multi-cloud scan calls only read operations', async () => {
    const { result, lab } = await scanDemo({
      config: {
        providers: {
          aws: { ...demoProviders.aws, shareLookup: { enabled: true, concurrency: 4 }, creatorLookup: true },
          azure: { creatorLookup: true },
          gcp: { snapshotIamLookup: { enabled: true, concurrency: 4 }, creatorLookup: true },
        },
      },
    });
    expect(result.checks.map((c) => c.id).sort()).toEqual(checks.map((c) => c.meta.id).sort());
    expect(result.scan.complete).toBe(true);

    const entries = lab.log.entries;
    const unique = [...new Set(entries.map(describeOp))].sort();
    const writes = [...new Set(entries.filter((e) => !isRead(e)).map(describeOp))].sort();
    expect(
      writes,
      `operations outside the read allow-list:\n  ${writes.join('\n  ')}\n\nevery operation of the scan:\n  ${unique.join('\n  ')}`,
    ).toEqual([]);

    // Not vacuous: the scan reached every provider and the per-snapshot lookups.
    const ops = new Set(entries.map((e) => `${e.provider}:${e.service}:${e.operation}`));
    for (const op of [
      'aws:sts:AssumeRole',
      'aws:ec2:DescribeSnapshotAttribute',
      'aws:cloudtrail:LookupEvents',
      'aws:cloudtrail:ListEventDataStores',
      'aws:cloudtrail:GetEventDataStore',
      'aws:iam:GetAccountAuthorizationDetails',
      'aws:kms:ListAliases',
      'aws:ec2:DescribeImageAttribute',
      'aws:ec2:GetImageBlockPublicAccessState',
      'aws:rds:DescribeDBSnapshotAttributes',
      'aws:rds:DescribeDBClusterSnapshotAttributes',
      'aws:backup:GetBackupVaultAccessPolicy',
      'aws:backup:ListRecoveryPointsByBackupVault',
      'aws:backup:ListCopyJobs',
      'aws:sso:ListInstances',
      'aws:sso:ListPermissionSetsProvisionedToAccount',
      'aws:sso:DescribePermissionSet',
      'aws:sso:ListAccountAssignments',
      'aws:identitystore:DescribeUser',
      'aws:identitystore:DescribeGroup',
      'aws:identitystore:ListGroupMemberships',
      'aws:access-analyzer:ListAnalyzers',
      'aws:access-analyzer:ListFindings',
      'aws:securityhub:DescribeHub',
      'aws:securityhub:GetEnabledStandards',
      'aws:securityhub:BatchGetStandardsControlAssociations',
      'aws:securityhub:GetFindings',
      'azure:login:GetToken',
      'azure:Microsoft.Compute:ListSnapshots',
      'azure:Microsoft.Insights:ListActivityLogs',
      'azure:Microsoft.Insights:GetActionGroup',
      'azure:Microsoft.OperationalInsights:GetWorkspace',
      'azure:Microsoft.Storage:GetStorageAccountProperties',
      'azure:Microsoft.EventHub:GetNamespace',
      'azure:Microsoft.SecurityInsights:ListAlertRules',
      'azure:Microsoft.Insights:ListScheduledQueryRules',
      'azure:Microsoft.Compute:ListDiskAccesses',
      'azure:Microsoft.Graph:GetDirectoryObjectsByIds',
      'azure:Microsoft.Graph:ListGroupTransitiveMembers',
      'azure:Microsoft.Compute:GetGallery',
      'azure:Microsoft.Compute:ListGalleryImageVersions',
      'azure:Microsoft.Compute:GetRestorePointCollection',
      'azure:Microsoft.Compute:ListDiskRestorePoints',
      'gcp:compute:snapshots.getIamPolicy',
      'gcp:compute:images.getIamPolicy',
      'gcp:compute:machineImages.getIamPolicy',
      'gcp:compute:instantSnapshots.aggregatedList',
      'gcp:compute:instantSnapshots.getIamPolicy',
      'gcp:compute:regionInstantSnapshots.getIamPolicy',
      'gcp:compute:resourcePolicies.aggregatedList',
      'gcp:logging:entries.list',
      'gcp:cloudresourcemanager:getIamPolicy',
      'gcp:iam:serviceAccounts.getIamPolicy',
      'gcp:cloudidentity:groups.lookup',
      'gcp:cloudidentity:groups.memberships.list',
      'gcp:iam:serviceAccounts.list',
      'gcp:securitycenter:findings.list',
      'gcp:securitycentermanagement:securityCenterServices.get',
    ]) {
      expect(ops, `the scan never called ${op}; it called:\n  ${unique.join('\n  ')}`).toContain(op);
    }
  });
});
