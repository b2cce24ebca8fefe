/**
 * The normalisers against every official example payload in ../shared/fixtures/azure, read through the real SDK
 * clients (served over HTTPS on loopback), quirks included.
 */
import { readdirSync } from 'node:fs';
import { AuthorizationManagementClient, getContinuationToken as authzToken } from '@azure/arm-authorization';
import { ComputeManagementClient } from '@azure/arm-compute';
import { MonitorClient } from '@azure/arm-monitor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureAdapter } from '../../providers/azure/adapter.ts';
import { classicOptions, modularOptions } from '../../providers/azure/clients.ts';
import { listAll, modularToken } from '../../providers/azure/scope-io.ts';
import { activityLogAlertRoute } from '../../providers/azure/normalise/alerts.ts';
import { activityLogExport } from '../../providers/azure/normalise/activity-log-export.ts';
import { toAssignment, toRole } from '../../providers/azure/normalise/rbac.ts';
import { creatorsFromEvents } from '../../providers/azure/normalise/activity.ts';
import { normaliseSnapshot } from '../../providers/azure/normalise/snapshots.ts';
import { classifyAzureError } from '../../providers/azure/errors.ts';
import { parseConfig } from '../../src/core/config/load.ts';
import { createCallRunner } from '../../src/engine/call-runner.ts';
import { ScanStats } from '../../src/engine/stats.ts';
import { silentLogger } from '../../src/core/log.ts';
import { resolveOwner } from '../../src/core/model/owner.ts';
import { FIXTURES, type FixtureServer, fixture, serveFixtures, staticCredential } from './fixture-server.ts';

const rt = {
  call: createCallRunner({
    provider: 'azure',
    limiters: [],
    classify: classifyAzureError,
    retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    stats: new ScanStats(),
    signal: new AbortController().signal,
    random: () => 0,
  }),
};

const SNAPSHOT_SUB = '{subscription-id}';
const DIAG_SUB = fixture('listSubscriptionDiagnosticSettings.json').parameters.subscriptionId!;
const ALERT_SUB = fixture('ActivityLogAlertRule_ListBySubscriptionId.json').parameters.subscriptionId!;
const LOG_SUB = fixture('GetActivityLogsFiltered.json').parameters.subscriptionId!;
const RA_SCOPE = fixture('RoleAssignments_ListForScope.json').parameters.scope!;

const routes: Record<string, string> = {
  [`/subscriptions/${encodeURIComponent(SNAPSHOT_SUB)}/providers/microsoft.compute/snapshots`.toLowerCase()]:
    'Snapshot_ListBySubscription.json',
  [`/subscriptions/${DIAG_SUB}/providers/microsoft.insights/diagnosticsettings`]: 'listSubscriptionDiagnosticSettings.json',
  [`/subscriptions/${ALERT_SUB}/providers/microsoft.insights/activitylogalerts`]: 'ActivityLogAlertRule_ListBySubscriptionId.json',
  [`/subscriptions/${LOG_SUB}/providers/microsoft.insights/eventtypes/management/values`]: 'GetActivityLogsFiltered.json',
  [`/${RA_SCOPE}/providers/microsoft.authorization/roleassignments`.toLowerCase()]: 'RoleAssignments_ListForScope.json',
  '/subscriptions/subid/providers/microsoft.authorization/roledefinitions/roledefinitionid': 'GetRoleDefinitionById.json',
  '/subscriptions': 'GetSubscriptions.json',
  '/providers/microsoft.management/managementgroups': 'ListManagementGroups.json',
};

let server: FixtureServer;
let conn: { endpoint: string; ca: string; credential: typeof staticCredential };

beforeAll(async () => {
  server = await serveFixtures(routes);
  conn = { endpoint: server.endpoint, ca: server.ca, credential: staticCredential };
});
afterAll(() => server.close());

describe('official Azure example payloads', () => {
  it('every fixture file has a test below', () => {
    const files = readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(files).toEqual([...new Set(Object.values(routes))].sort());
  });

  it('Snapshot_ListBySubscription: encryption (ADE = customer key), copy and import sources, no network policy reported', async () => {
    const compute = new ComputeManagementClient(staticCredential, SNAPSHOT_SUB, modularOptions(conn));
    const raw = await listAll(
      rt,
      { service: 'Microsoft.Compute', name: 'ListSnapshots' },
      (signal) => compute.snapshots.list({ abortSignal: signal }),
      modularToken,
    );
    const snaps = raw.map((s) =>
      normaliseSnapshot(s, {
        ownerTagKeys: ['owner'],
        creator: null,
        exports: [],
        diskAccesses: { byId: null },
        disks: new Map(),
        resolveOwner: (i) => resolveOwner({ ...i, ownerTagKeys: ['owner', 'department'] }),
      }),
    );
    expect(snaps.map((s) => [s.name, s.region, s.createdAt, s.sizeGiB, s.state, s.source.kind, s.source.id])).toEqual([
      [
        'mySnapshot1',
        'westus',
        '2016-12-28T04:47:30.663Z',
        200,
        'Succeeded',
        'snapshot',
        '/subscriptions/{subscriptionId}/resourceGroups/myResourceGroup/providers/Microsoft.Compute/snapshots/mySnapshot',
      ],
      [
        'mySnapshot2',
        'westus',
        '2016-12-28T04:47:30.324Z',
        200,
        'Succeeded',
        'import',
        'https://mystorageaccount.blob.core.windows.net/osimages/osimage.vhd',
      ],
    ]);
    expect(snaps[0]!.encryption).toEqual({ status: 'customer-key', keyId: 'https://myvmvault.vault-int.azure-int.net/keys/{key}' });
    expect(snaps[0]!.sharing).toEqual({
      public: 'unknown',
      sharedWith: [],
      sharesKnown: true,
      notes: ['networkAccessPolicy not reported: whether it can be exported from any network is unknown'],
    });
    expect(snaps[0]!.owner).toEqual({ value: 'Development', source: 'tag', detail: 'department' });
    expect(snaps[0]!.resourceId).toBe(
      '/subscriptions/{subscriptionId}/resourceGroups/myResourceGroup/providers/Microsoft.Compute/snapshots/mySnapshot1',
    );
  });

  it('listSubscriptionDiagnosticSettings: categoryGroup allLogs records, an id without leading slash, type null, three destinations', async () => {
    const monitor = new MonitorClient(staticCredential, DIAG_SUB, modularOptions(conn));
    const settings = await listAll(
      rt,
      { service: 'Microsoft.Insights', name: 'ListDiagnosticSettings' },
      (signal) => monitor.diagnosticSettings.list(`subscriptions/${DIAG_SUB}`, { abortSignal: signal }),
      modularToken,
    );
    const source = activityLogExport(settings[0]!, { subscriptionId: DIAG_SUB, centralWorkspaces: [] });
    expect(source).toMatchObject({
      id: `/subscriptions/${DIAG_SUB}/providers/AzureResourceManager/diagnosticSettings/ds4`,
      kind: 'activity-log-export',
      name: 'ds4',
      enabled: 'yes',
      recordsSnapshotCreation: 'yes',
      central: 'no',
      regions: ['*'],
    });
    expect(source.destinations.map((d) => [d.kind, d.scopeId])).toEqual([
      ['log-analytics', DIAG_SUB],
      ['storage-account', DIAG_SUB],
      ['event-hub', DIAG_SUB],
    ]);
    expect(source.reasons).toEqual([
      'diagnostic setting ds4 exports only to resources inside the subscription it records',
      'retention is not part of diagnostic setting ds4: it is set on the destination (workspace retention, storage lifecycle policy), which is not read',
    ]);
    const central = activityLogExport(settings[0]!, {
      subscriptionId: DIAG_SUB,
      centralWorkspaces: [`/SUBSCRIPTIONS/${DIAG_SUB}/resourceGroups/apptest/providers/Microsoft.OperationalInsights/workspaces/test1`],
    });
    expect(central.central).toBe('yes');
  });

  it('ActivityLogAlertRule_ListBySubscriptionId: an Error-level filter and a resource-group scope do not cover snapshot creation', async () => {
    const monitor = new MonitorClient(staticCredential, ALERT_SUB, modularOptions(conn));
    const alerts = await listAll(
      rt,
      { service: 'Microsoft.Insights', name: 'ListActivityLogAlerts' },
      (signal) => monitor.activityLogAlerts.listBySubscriptionId({ abortSignal: signal }),
      modularToken,
    );
    const routesOut = alerts.map((a) => activityLogAlertRoute(a, ALERT_SUB, null));
    expect(routesOut.map((r) => [r.name, r.region, r.enabled, r.match, r.reasons])).toEqual([
      ['SampleActivityLogAlertRule1', 'global', true, 'none', ['condition level = Error excludes snapshot creation']],
      [
        'SampleActivityLogAlertRule2',
        'global',
        true,
        'none',
        ['scoped to resource group MyResourceGroup2 only, not the whole subscription'],
      ],
    ]);
    // The same first rule without its level filter would be a broad (category-wide) match.
    const broad = activityLogAlertRoute({ ...alerts[0]!, condition: { allOf: [alerts[0]!.condition!.allOf[0]!] } }, ALERT_SUB, null);
    expect(broad.match).toBe('broad');
  });

  it('GetActivityLogsFiltered: events parse (caller, operation, timestamps); a support-ticket write is no snapshot creator', async () => {
    const monitor = new MonitorClient(staticCredential, LOG_SUB, modularOptions(conn));
    const events = await listAll(
      rt,
      { service: 'Microsoft.Insights', name: 'ListActivityLogs' },
      (signal) => monitor.activityLogs.list(fixture('GetActivityLogsFiltered.json').parameters.$filter!, { abortSignal: signal }),
      modularToken,
    );
    expect(events.map((e) => [e.caller, e.operationName?.value, e.status?.value, e.eventTimestamp?.toISOString()])).toEqual([
      ['admin@contoso.com', 'microsoft.support/supporttickets/write', 'Succeeded', '2015-01-21T22:14:26.979Z'],
    ]);
    // The example event has no resourceId: its authorization scope names the resource.
    const asSnapshot = { id: events[0]!.authorization!.scope!, timeCreated: events[0]!.eventTimestamp!, location: 'westus' };
    expect(creatorsFromEvents(events, [asSnapshot]).size).toBe(0);
    const snapshotWrite = { ...events[0]!, operationName: { value: 'Microsoft.Compute/snapshots/write' } };
    expect([...creatorsFromEvents([snapshotWrite], [asSnapshot]).values()]).toEqual([
      // A user: no managed identity's resource in its claims.
      { identity: 'admin@contoso.com', at: '2015-01-21T22:14:26.979Z', actingResource: null },
    ]);
  });

  it('RoleAssignments_ListForScope and GetRoleDefinitionById: tenant-level and subscription-level role ids', async () => {
    const authz = new AuthorizationManagementClient(staticCredential, 'subID', classicOptions(conn));
    const assignments = await listAll(
      rt,
      { service: 'Microsoft.Authorization', name: 'ListRoleAssignments' },
      (signal) => authz.roleAssignments.listForScope(RA_SCOPE, { abortSignal: signal }),
      authzToken,
    );
    expect(assignments.map(toAssignment)).toEqual([
      {
        id: '/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2/providers/Microsoft.Authorization/roleAssignments/b0f43c54-e787-4862-89b1-a653fa9cf747',
        scope: '/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2',
        principalId: 'ce2ce14e-85d7-4629-bdbc-454d0519d987',
        principalType: 'User',
        roleId: '0b5fe924-9a61-425c-96af-cfe6e287ca2d',
        roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/0b5fe924-9a61-425c-96af-cfe6e287ca2d',
        condition: null,
      },
    ]);
    const id = 'subscriptions/subID/providers/Microsoft.Authorization/roleDefinitions/roleDefinitionId';
    const def = await authz.roleDefinitions.getById(id);
    expect(toRole(def, `/${id}`)).toEqual({
      id: 'roledefinitionid',
      resourceId: '/subscriptions/subID/providers/Microsoft.Authorization/roleDefinitions/roleDefinitionId',
      name: 'Role name',
      custom: false,
      permissions: [{ actions: ['action'], notActions: [], dataActions: ['dataAction'], notDataActions: [] }],
    });
    expect(server.requests).toContain(`GET /${id}`);
  });

  it('GetSubscriptions and ListManagementGroups: discovery without a readable hierarchy records the gap and keeps the tenant', async () => {
    const adapter = createAzureAdapter({
      config: parseConfig({ version: 1, providers: { azure: { endpoint: server.endpoint } } }, 'test').providers.azure!,
      policy: parseConfig({ version: 1 }, 'test').policy,
      baseline: parseConfig({ version: 1 }, 'test').baseline,
      credential: staticCredential,
      ca: server.ca,
    });
    const d = await adapter.discover({ ...rt, signal: new AbortController().signal, now: new Date(), log: silentLogger, needs: new Set() });
    // The two example subscriptions are in different tenants: each sits under its own tenant root.
    expect(d.root).toBe('2a0ff0de-96b2-4859-bb7c-a430d07a3e0c');
    const tenant = (id: string) => [{ kind: 'tenant', id, name: null }];
    expect(d.scopes.map((s) => [s.scope.id, s.scope.name, s.scope.state, s.scope.parents, s.blockedBy])).toEqual([
      ['291bba3f-e0a5-47bc-a099-3bdcb2a50a05', 'Example Subscription', 'active', tenant('31c75423-32d6-4322-88b7-c478bdde4858'), null],
      ['72ac930a-f34e-42d8-b06d-dc2a9e12ed71', 'Example Subscription2', 'active', tenant('2a0ff0de-96b2-4859-bb7c-a430d07a3e0c'), null],
    ]);
    expect(server.requests).toContain(
      'GET /providers/Microsoft.Management/managementGroups/2a0ff0de-96b2-4859-bb7c-a430d07a3e0c/descendants',
    );
    // The root's tree, then the tree under each group the credential can see: none can be read here, each a gap.
    expect(d.gaps.map((g) => [g.part, g.code, g.operation])).toEqual([
      ['discovery', 'not_found', 'Microsoft.Management:ListManagementGroupDescendants'],
      ['discovery', 'not_found', 'Microsoft.Management:ListManagementGroupDescendants'],
      ['discovery', 'not_found', 'Microsoft.Management:ListManagementGroupDescendants'],
    ]);
  });
});
