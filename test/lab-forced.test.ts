import { describe, expect, it } from 'vitest';
import { type EstateInput, parseEstate } from '../lab/estate.ts';
import { forcedCalls, totalCalls } from '../lab/forced.ts';
import { generateEstate } from '../lab/generate.ts';
import { azureEstate } from './azure/support.ts';
import { NOW, scanEstate } from './support/lab.ts';

const snap = (n: number, region: string, encrypted = false) => ({
  id: `snap-${String(n).padStart(17, '0')}`,
  region,
  startTime: '2026-10-01T00:00:00Z',
  encrypted,
});

const account = (snapshots: ReturnType<typeof snap>[]): EstateInput =>
  ({
    estateVersion: 1,
    aws: { accounts: [{ id: '111111111111', name: 'one', regions: ['eu-west-1', 'us-east-1'], snapshots }] },
  }) as EstateInput;

describe('the calls the clouds force, from the estate alone (lab/forced.ts)', () => {
  it('costs one listing page per kind per region, empty regions included, and one attribute read per snapshot', () => {
    const estate = parseEstate(account([snap(1, 'us-east-1', true), snap(2, 'us-east-1'), snap(3, 'us-east-1')]));
    const aws = forcedCalls(estate, { shareLookup: true, activity: false }).aws ?? {};
    expect(aws['aws:ec2:DescribeSnapshots']?.calls).toBe(2);
    expect(aws['aws:rds:DescribeDBSnapshots']?.calls).toBe(2);
    expect(aws['aws:ec2:DescribeSnapshotAttribute']?.calls).toBe(3);
    expect(aws['aws:ec2:DescribeSnapshotAttribute']?.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    // The creator lookup: one LookupEvents per creating event name, only where snapshots are.
    expect(aws['aws:cloudtrail:LookupEvents']?.calls).toBe(5);
    // The activity review (part of the result by default) reads the family's 20 event names in every region.
    expect(forcedCalls(estate, { shareLookup: true }).aws?.['aws:cloudtrail:LookupEvents']?.calls).toBe(20 * 2);
    expect(aws['aws:cloudtrail:ListEventDataStores']?.calls).toBe(2);
    // Aliases only where an encrypted snapshot is.
    expect(aws['aws:kms:ListAliases']?.calls).toBe(1);
    // A single account (no organisation): nothing to assume, no organisation to read.
    expect(aws['aws:sts:AssumeRole']).toBeUndefined();
    expect(aws['aws:cloudtrail:ListTrails']?.calls).toBe(1);
  });

  it('pages by the largest page the API accepts, and reads public snapshots from a listing when attributes are not read', () => {
    const many = Array.from({ length: 1001 }, (_, n) => snap(n, 'eu-west-1'));
    const aws = forcedCalls(parseEstate(account(many)), { shareLookup: false }).aws ?? {};
    // 1001 owned snapshots: two pages of 1000 in eu-west-1, one empty page in us-east-1, one public listing.
    expect(aws['aws:ec2:DescribeSnapshots']?.calls).toBe(4);
    expect(aws['aws:ec2:DescribeSnapshotAttribute']).toBeUndefined();
  });

  it('with an IAM Access Analyzer analyzer, forces its findings and the attributes of only what it reports shared or has not analysed', async () => {
    const snapshots = [
      ...[1, 2, 3].map((n) => snap(n, 'us-east-1')),
      { ...snap(4, 'us-east-1'), sharedWith: ['999999999999'] },
      // Made after the analyzer's last analysis: not analysed yet.
      { ...snap(5, 'us-east-1'), startTime: '2026-11-20T00:00:00Z' },
      snap(6, 'eu-west-1'),
    ];
    const input = account(snapshots) as { aws: { accounts: Array<Record<string, unknown>> } };
    const only = input.aws.accounts[0] ?? {};
    only.accessAnalyzers = [{ name: 'Own', region: 'us-east-1', lastResourceAnalyzedAt: '2026-11-01T00:00:00Z' }];
    const estate = input as EstateInput;
    const aws = forcedCalls(parseEstate(estate), { shareLookup: true }).aws ?? {};
    expect(aws['aws:access-analyzer:ListAnalyzers']?.calls).toBe(1);
    expect(aws['aws:access-analyzer:ListFindings']?.calls).toBe(1);
    expect(aws['aws:access-analyzer:ListFindings']?.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    // us-east-1: the shared one and the one made since the last analysis; eu-west-1 (no analyzer): its one snapshot.
    expect(aws['aws:ec2:DescribeSnapshotAttribute']?.calls).toBe(3);
    // Without the analyzer's use, every snapshot's attribute.
    const plain = forcedCalls(parseEstate(estate), { shareLookup: true, accessAnalyzer: false }).aws ?? {};
    expect(plain['aws:ec2:DescribeSnapshotAttribute']?.calls).toBe(6);
    // The scanner makes exactly these sharing reads.
    const { result } = await scanEstate(estate, { config: { providers: { aws: {} } } as never });
    for (const op of ['aws:access-analyzer:ListAnalyzers', 'aws:access-analyzer:ListFindings', 'aws:ec2:DescribeSnapshotAttribute'])
      expect(result.stats.operations[op], op).toBe(aws[op]?.calls);
  });

  it('counts the Azure identity reads: names per tenant in batches of 1000, each group that matters once, one PIM listing per subscription', async () => {
    const sub = (n: number) => `1111111${n}-0000-4000-8000-000000000001`;
    const id = (n: number) => `2222222${n}-0000-4000-8000-000000000002`;
    const [ops, auditors, gone, alice, app, reader, bob] = [1, 2, 3, 4, 5, 6, 7].map(id) as string[] as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const input = {
      estateVersion: 1,
      azure: {
        managementGroups: [{ id: 'mg-prod', name: 'Production' }],
        subscriptions: [
          { id: sub(1), name: 'one', parent: 'mg-prod' },
          { id: sub(2), name: 'two', parent: 'mg-prod' },
        ],
        roleAssignments: [
          // Cloud Ops holds Contributor in both subscriptions: its members are the same, listed once.
          { scope: `/subscriptions/${sub(1)}`, principalId: ops, principalType: 'Group', role: 'Contributor' },
          { scope: `/subscriptions/${sub(2)}/resourceGroups/rg`, principalId: ops, principalType: 'Group', role: 'Contributor' },
          // A group the directory no longer holds: named (getByIds says it is not there), no members to list.
          { scope: `/subscriptions/${sub(1)}`, principalId: gone, principalType: 'Group', role: 'Owner' },
          // At the management group: a capability in both subscriptions.
          {
            scope: '/providers/Microsoft.Management/managementGroups/mg-prod',
            principalId: app,
            principalType: 'ServicePrincipal',
            role: 'Disk Snapshot Contributor',
          },
          // Reader holds no snapshot capability: not a principal of the result, nothing to name.
          { scope: `/subscriptions/${sub(2)}`, principalId: reader, principalType: 'User', role: 'Reader' },
        ],
        // A deny that excludes a group: its members decide the deny, so they are listed though it holds no grant.
        denyAssignments: [
          {
            name: 'deny-export',
            scope: `/subscriptions/${sub(1)}`,
            permissions: [{ actions: ['Microsoft.Compute/snapshots/beginGetAccess/action'] }],
            principals: [{ id: '00000000-0000-0000-0000-000000000000', type: 'SystemDefined' }],
            excludePrincipals: [{ id: auditors, type: 'Group' }],
          },
        ],
        // Eligible through PIM: alice in force (named), bob's ended (grants nothing, not named).
        eligibilities: [
          { scope: `/subscriptions/${sub(2)}`, principalId: alice, role: 'Contributor' },
          { scope: `/subscriptions/${sub(1)}`, principalId: bob, role: 'Contributor', endDateTime: '2026-01-01T00:00:00Z' },
        ],
        directory: {
          users: [alice, reader, bob].map((u) => ({ id: u, displayName: u, userPrincipalName: `${u}@contoso.example` })),
          groups: [
            { id: ops, displayName: 'Cloud Ops', members: [alice] },
            { id: auditors, displayName: 'Auditors', members: [] },
          ],
          servicePrincipals: [{ id: app, displayName: 'backup', appId: id(8) }],
        },
      },
    } as EstateInput;
    const azure = forcedCalls(parseEstate(input), { shareLookup: true }, new Date(NOW)).azure ?? {};
    // ops, gone, app, alice: four ids, one request for the tenant.
    expect(azure['azure:Microsoft.Graph:GetDirectoryObjectsByIds']).toEqual({
      calls: 1,
      source: 'https://learn.microsoft.com/en-us/graph/api/directoryobject-getbyids',
    });
    // Cloud Ops and Auditors, once each.
    expect(azure['azure:Microsoft.Graph:ListGroupTransitiveMembers']).toEqual({
      calls: 2,
      source: 'https://learn.microsoft.com/en-us/graph/api/group-list-transitivemembers',
    });
    // One unfiltered listing per subscription carries the eligibilities at, above and below it.
    expect(azure['azure:Microsoft.Authorization:ListRoleEligibilityScheduleInstances']).toEqual({
      calls: 2,
      source: 'https://learn.microsoft.com/en-us/powershell/module/az.resources/get-azroleeligibilityscheduleinstance',
    });
    // The scanner: one PIM listing per subscription; each group's members once per scan, the missing group's listing
    // answered 404 (the one call over the bound); names asked per subscription (its own principals), one each here.
    const { result } = await scanEstate(input, { providers: ['azure'], config: { providers: { azure: {} } } as never });
    const made = (op: string) => result.stats.operations[`azure:${op}`];
    expect(made('Microsoft.Authorization:ListRoleEligibilityScheduleInstances')).toBe(2);
    expect(made('Microsoft.Graph:ListGroupTransitiveMembers')).toBe(3);
    expect(made('Microsoft.Graph:GetDirectoryObjectsByIds')).toBe(2);
    // The activation rules of the one scope where an eligibility in force grants a capability (alice's), as read.
    expect(azure['azure:Microsoft.Authorization:ListRoleManagementPolicyAssignments']).toEqual({
      calls: 1,
      source: 'https://learn.microsoft.com/en-us/rest/api/authorization/role-management-policy-assignments/list-for-scope',
    });
    expect(made('Microsoft.Authorization:ListRoleManagementPolicyAssignments')).toBe(1);
  });

  it('reads each export destination of the Azure demo tenant once, and the alert rules on each workspace that exists, as the scanner does', async () => {
    const estate = azureEstate();
    const azure = forcedCalls(parseEstate(estate), { shareLookup: true }, new Date(NOW)).azure ?? {};
    const { result } = await scanEstate(estate, { providers: ['azure'] });
    const ops = [
      'Microsoft.OperationalInsights:GetWorkspace',
      'Microsoft.Storage:GetStorageAccountProperties',
      'Microsoft.EventHub:GetNamespace',
      'Microsoft.SecurityInsights:ListAlertRules',
      'Microsoft.Insights:ListScheduledQueryRules',
    ];
    // Two workspaces (dev-sandbox's own, the central one in security), one storage account and one event hub namespace;
    // Sentinel rules on both workspaces (two pages on dev-sandbox's), the log search alert rules of both subscriptions.
    expect(ops.map((op) => azure[`azure:${op}`]?.calls)).toEqual([2, 1, 1, 3, 2]);
    for (const op of ops) {
      expect(azure[`azure:${op}`]?.source, op).toMatch(/^https:\/\/learn\.microsoft\.com\/en-us\/rest\/api\//);
      expect(result.stats.operations[`azure:${op}`], op).toBe(azure[`azure:${op}`]?.calls);
    }
    // The activity log, filtered to Microsoft.Compute's events of the last 90 days, in every subscription (the activity
    // review reads security's too, which holds nothing of the family): 6 pages of 2, 2 and 1.
    const activity = azure['azure:Microsoft.Insights:ListActivityLogs'];
    expect([activity?.calls, activity?.source]).toEqual([9, 'https://learn.microsoft.com/en-us/rest/api/monitor/activity-logs/list']);
    expect(result.stats.operations['azure:Microsoft.Insights:ListActivityLogs']).toBe(9);
    // dev-sandbox holds a snapshot exported only through its own disk access: its disk accesses are listed.
    expect(azure['azure:Microsoft.Compute:ListDiskAccesses']?.calls).toBe(1);
    expect(azure['azure:Microsoft.Compute:ListDiskAccesses']?.source).toMatch(/^https:\/\/learn\.microsoft\.com\//);
    expect(result.stats.operations['azure:Microsoft.Compute:ListDiskAccesses']).toBe(1);
  });

  it('is a lower bound: a scan of a generated estate makes at least the forced calls, per cloud', async () => {
    const estate = generateEstate({
      seed: 3,
      // 17 regions: the generator's accounts enable the default regions, and the scanner starts from us-east-1.
      aws: { accounts: 3, regions: 17, snapshotsPerRegion: 1, principalsPerAccount: 4 },
      azure: { subscriptions: 2, snapshotsPerSubscription: 3, assignmentsPerSubscription: 3, familyPerSubscription: 2 },
      gcp: { projects: 2, snapshotsPerProject: 3, bindingsPerProject: 3 },
    });
    const forced = forcedCalls(parseEstate(estate), { shareLookup: true });
    const { result } = await scanEstate(estate, {
      config: {
        providers: {
          aws: { mode: 'organization' },
          azure: {},
          gcp: { organizationId: '100000000001', logReadsPerMinute: 6000 },
        },
      } as never,
    });
    for (const provider of ['aws', 'azure', 'gcp'] as const) {
      const made = Object.entries(result.stats.operations).filter(([op]) => op.startsWith(`${provider}:`));
      const bound = totalCalls(forced[provider] ?? {});
      expect(bound, provider).toBeGreaterThan(0);
      expect(totalCalls(Object.fromEntries(made)), provider).toBeGreaterThanOrEqual(bound);
    }
  });
});
