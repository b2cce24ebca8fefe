/**
 * The Azure provider end to end: real Azure SDK clients and a real ClientSecretCredential → the lab over HTTPS
 * (its self-signed certificate trusted per client) → the engine → checks. The demo estate is the fixture.
 */
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../reports/json.ts';
import { allFindings } from '../../src/core/model/order.ts';
import { assertValidResult, readOnlyOperation, scanEstate } from '../support/lab.ts';
import { azureEstate, DEMO, demoAzure, grantsOf, scopeNamed } from './support.ts';

const providers = ['azure' as const];

describe('Azure scan of the demo estate', () => {
  it('reads every subscription completely, with management-group ancestry and one global region', async () => {
    const { result } = await scanEstate(azureEstate(), { providers });
    assertValidResult(result);
    expect(result.scan.complete).toBe(true);
    expect(result.discovery).toEqual([
      { provider: 'azure', root: DEMO.tenant, status: 'complete', scopesFound: 3, scopesSelected: 3, gaps: [] },
    ]);
    expect(result.scopes.map((s) => [s.scope.name, s.scope.kind, s.scope.regions, s.coverage.status, s.scope.state])).toEqual([
      ['prod-payments', 'subscription', ['global'], 'complete', 'active'],
      ['dev-sandbox', 'subscription', ['global'], 'complete', 'active'],
      ['security', 'subscription', ['global'], 'complete', 'active'],
    ]);
    const root = { kind: 'tenant', id: DEMO.tenant, name: 'Contoso Root' };
    const platform = { kind: 'management-group', id: 'mg-platform', name: 'Platform' };
    const workloads = { kind: 'management-group', id: 'mg-workloads', name: 'Workloads' };
    expect(scopeNamed(result, 'prod-payments').scope.parents).toEqual([root, platform, workloads]);
    expect(scopeNamed(result, 'security').scope.parents).toEqual([root, platform]);
  });

  it('reports activity-log export and alerting per subscription', async () => {
    const { result } = await scanEstate(azureEstate(), { providers });
    const logging = (name: string) => {
      const r = scopeNamed(result, name).logging.regions[0]!;
      return { recorded: r.recorded, central: r.central, retentionDays: r.retentionDays, alerted: r.alerted, reasons: r.reasons };
    };
    // The workspace the export reaches keeps two years; the storage account's lifecycle is not read.
    expect(logging('prod-payments')).toEqual({ recorded: 'yes', central: 'yes', retentionDays: 730, alerted: 'exact', reasons: [] });
    // dev-sandbox exports to its own workspace (90 days): recorded, not central, alerted only by a Sentinel rule.
    expect(logging('dev-sandbox')).toEqual({ recorded: 'yes', central: 'no', retentionDays: 90, alerted: 'exact', reasons: [] });
    // security exports no Administrative events: the activity log itself is the source (recorded, 90 days, not central).
    expect(logging('security')).toEqual({ recorded: 'yes', central: 'no', retentionDays: 90, alerted: 'broad', reasons: [] });
    const securitySources = scopeNamed(result, 'security').logging.sources;
    expect(securitySources.map((s) => [s.kind, s.name, s.recordsSnapshotCreation, s.central, s.retentionDays])).toEqual([
      ['activity-log-export', 'security-only', 'no', 'no', null],
      ['activity-log', 'activity log', 'yes', 'no', 90],
    ]);
    expect(securitySources[0]!.reasons).toEqual([
      'diagnostic setting security-only exports only Security, Policy, not the Administrative category (snapshot creation is an Administrative event)',
    ]);
    expect(securitySources[1]!.reasons[0]).toMatch(/kept by Azure for 90 days only, outside any store you control/);
    const prodSource = scopeNamed(result, 'prod-payments').logging.sources[0]!;
    expect(prodSource.destinations.map((d) => [d.kind, d.scopeId, d.retentionDays])).toEqual([
      ['log-analytics', DEMO.security, 730],
      ['storage-account', DEMO.security, null],
      ['event-hub', DEMO.security, null],
    ]);
    // Every destination read: the workspace (and its retention), the storage account, the event hub namespace.
    expect(prodSource.health).toEqual({
      flowing: 'yes',
      lastDelivery: null,
      problems: [],
      source: 'Microsoft.EventHub:GetNamespace, Microsoft.OperationalInsights:GetWorkspace, Microsoft.Storage:GetStorageAccountProperties',
    });
    expect(prodSource.reasons).toEqual([
      "retention of diagnostic setting to-central is read from its workspace (730 days); the other destinations' (storage lifecycle policy, event hub consumers) is not read",
    ]);
    const alerts = (name: string) => scopeNamed(result, name).logging.alerts.map((a) => [a.name, a.enabled, a.match]);
    // prod-payments: its own activity log alert, and a log search alert over the central workspace it exports to.
    expect(alerts('prod-payments')).toEqual([
      ['snapshot-created', true, 'exact'],
      ['snapshot-activity', true, 'broad'],
    ]);
    // dev-sandbox: the disabled activity log alert, and the Sentinel rule on its workspace (the sign-in and Fusion
    // rules there name no snapshot operation and are left out).
    expect(alerts('dev-sandbox')).toEqual([
      ['snapshot-created', false, 'exact'],
      ['Disk snapshot created or exported', true, 'exact'],
    ]);
    const sentinel = scopeNamed(result, 'dev-sandbox').logging.alerts.find((a) => a.kind === 'sentinel-rule')!;
    expect(sentinel.reasons).toEqual([
      `Microsoft Sentinel analytics rule on workspace /subscriptions/${DEMO.dev}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/sandbox-logs`,
      'the query names Microsoft.Compute/snapshots/write',
    ]);
    expect(sentinel.operations?.find((o) => o.operation === 'Microsoft.Compute/snapshots/beginGetAccess/action')?.match).toBe('exact');
    expect(scopeNamed(result, 'dev-sandbox').logging.regions[0]!.alertIds).toEqual([sentinel.id]);
    expect(alerts('security')).toEqual([
      ['admin-errors', true, 'none'],
      ['admin-operations', true, 'broad'],
      ['snapshot-created-unrouted', true, 'none'],
    ]);
    // An exact rule whose action group has no receivers notifies nobody: it is not an alert.
    expect(scopeNamed(result, 'security').logging.alerts.find((a) => a.name === 'snapshot-created-unrouted')!.reasons).toEqual([
      'action group ops-quiet has no receivers: it notifies nobody',
    ]);
    const failing = (check: string) =>
      allFindings(result)
        .filter((f) => f.checkId === check)
        .map((f) => [scopeNamed(result, result.scopes.find((s) => s.scope.id === f.scopeId)!.scope.name).scope.name, f.severity]);
    // Every subscription is recorded (the activity log always is); what fails is where and how long it is kept.
    expect(failing('logging.snapshot-events-recorded')).toEqual([]);
    expect(failing('logging.retention')).toEqual([
      ['security', 'medium'],
      ['dev-sandbox', 'medium'],
    ]);
    // Snapshot creation per subscription (noAlert, broadAlertOnly), and the rest of the family per effect.
    const alerting = allFindings(result).filter((f) => f.checkId === 'logging.snapshot-alerting');
    const nameOf = (id: string) => result.scopes.find((s) => s.scope.id === id)?.scope.name;
    expect(
      alerting.filter((f) => f.messageId === 'noAlert' || f.messageId === 'broadAlertOnly').map((f) => [nameOf(f.scopeId), f.severity]),
    ).toEqual([['security', 'low']]);
    expect(
      alerting
        .filter((f) => f.messageId === 'operationsNotAlerted' && f.severity === 'high')
        .map((f) => `${nameOf(f.scopeId)} ${f.resource?.id}`)
        .sort(),
    ).toEqual([
      'dev-sandbox operations-export-not-alerted',
      'dev-sandbox operations-share-not-alerted',
      'prod-payments operations-export-not-alerted',
      'prod-payments operations-share-not-alerted',
    ]);
  });

  it('finds who can snapshot, through which assignment, honouring NotActions, deny assignments and scopes', async () => {
    const { result } = await scanEstate(azureEstate(), { providers });
    const prod = scopeNamed(result, 'prod-payments');
    const dev = scopeNamed(result, 'dev-sandbox');
    const security = scopeNamed(result, 'security');
    const ids = (s: typeof prod) => s.principals.map((p) => `${p.type}:${p.id}:${p.capabilities.join('+')}`);
    // Owner inherited from mg-platform everywhere; UAA and Reader grant nothing. SAS exports (beginGetAccess, the
    // download data actions) are `export`; `share` is sharing a gallery, which Contributor's NotActions exclude.
    expect(ids(security)).toEqual([`user:${DEMO.alice}:create+delete+export+restore+share`]);
    expect(ids(prod)).toEqual([
      // The custom role's NotAction removes snapshot deletion only: images and gallery versions it can delete.
      `group:${DEMO.ops}:create+delete+export+share`,
      `user:${DEMO.alice}:create+delete+export+restore+share`,
      `user:${DEMO.bob}:create+delete+export+restore`,
      // Microsoft Graph says the backup vault's service principal is a managed identity.
      `managed-identity:${DEMO.backup}:create+delete+export`,
      // carol: eligible (PIM) for Disk Snapshot Contributor on rg-web only (below the subscription); the
      // subscription's deny assignment takes export from what activation would give, as from everyone else
      `user:${DEMO.carol}:create+delete`,
      // dave: eligible (PIM) for Contributor here — no active grant, minutes from one.
      `user:${DEMO.dave}:create+delete+export+restore`,
    ]);
    const dave = prod.principals.find((p) => p.id === DEMO.dave)!;
    expect(dave.grants.every((g) => g.reach === 'eligible' && g.hops === 1)).toBe(true);
    expect(dave.grants.find((g) => g.action === 'Microsoft.Compute/snapshots/delete')!.path.map((s) => `${s.kind}:${s.label}`)).toEqual([
      // Named by Microsoft Graph, like the principals with a direct grant.
      'principal:User Dave Okafor',
      'eligibility:eligible (PIM) at subscription; activation needs MFA, justification, at most PT4H',
      'role:Contributor',
      'action-pattern:Actions *',
      'scope:the whole subscription',
    ]);
    // Self-served activation (no approver): the eligible grant is not conditional for that reason.
    expect(dave.grants.find((g) => g.action === 'Microsoft.Compute/snapshots/delete')!.conditional).toBe(false);
    // Below the subscription (read by the unfiltered listing): the grant holds on that resource group only, with the
    // activation rules of the role's settings there (an approver: conditional), not the subscription's.
    const carol = prod.principals.find((p) => p.id === DEMO.carol)!;
    const write = carol.grants.find((g) => g.action === 'Microsoft.Compute/snapshots/write')!;
    expect(write).toMatchObject({ reach: 'eligible', hops: 1, conditional: true });
    expect(write.resourceScope.toLowerCase()).toBe(`/subscriptions/${DEMO.prod}/resourcegroups/rg-web`);
    expect(write.path.find((s) => s.kind === 'eligibility')?.label).toBe(
      'eligible (PIM) at resource group rg-web; activation needs approval, MFA, justification, at most PT2H',
    );
    expect(write.conditions).toContain('activation needs approval by an approver');
    expect(ids(dev)).toEqual([
      `group:${DEMO.ops}:create+delete+export+share`,
      `user:${DEMO.alice}:create+delete+export+restore+share`,
      `user:${DEMO.carol}:create+delete+export+restore`,
      `group:${DEMO.partner}:export`,
    ]);
    // The deny assignment on prod-payments removes snapshot export for everyone but the backup identity and the
    // members of Backup Operators.
    expect(grantsOf(prod, DEMO.alice)).not.toContain('Microsoft.Compute/snapshots/beginGetAccess/action@*');
    expect(grantsOf(dev, DEMO.alice)).toContain('Microsoft.Compute/snapshots/beginGetAccess/action@*');
    expect(grantsOf(prod, DEMO.backup)).toContain('Microsoft.Compute/snapshots/beginGetAccess/action@rg:azurebackuprg_westeurope_1');
    // The custom role's NotAction removes delete; Disk Snapshot Contributor on rg-dev brings it back there only.
    expect(grantsOf(prod, DEMO.ops).filter((g) => g.includes('snapshots/delete'))).toEqual([]);
    expect(grantsOf(dev, DEMO.ops).filter((g) => g.includes('snapshots/delete'))).toEqual(['Microsoft.Compute/snapshots/delete@rg:rg-dev']);
    // bob: Contributor on one resource group only.
    expect(new Set(grantsOf(prod, DEMO.bob).map((g) => g.split('@')[1]))).toEqual(new Set(['rg:rg-web']));
    const bobWrite = prod.principals.find((p) => p.id === DEMO.bob)!.grants.find((g) => g.action === 'Microsoft.Compute/snapshots/write')!;
    expect(bobWrite.path.map((s) => s.label)).toEqual([
      // Microsoft Graph named him.
      'User Bob Lee',
      'role assignment at resource group rg-web',
      'Contributor',
      'Actions *',
      'resource group rg-web only',
      // A snapshot of a disk also needs beginGetAccess on that disk. The deny assignment takes it away here, but not
      // from Bob: Microsoft Graph says he is in Backup Operators, a group the deny excludes.
      'required too: Microsoft.Compute/disks/beginGetAccess/action via Contributor at resource group rg-web',
    ]);
    expect(bobWrite.broad).toBe(true);
    expect(bobWrite.conditional).toBe(false);
    const opsWrite = prod.principals.find((p) => p.id === DEMO.ops)!.grants.find((g) => g.action === 'Microsoft.Compute/snapshots/write')!;
    expect(opsWrite.path.map((s) => s.label)).toEqual([
      'Group Cloud Ops',
      'role assignment at management group mg-workloads',
      'Snapshot Operator (custom)',
      'Actions Microsoft.Compute/*',
      'the whole subscription',
      'required permission not held here',
    ]);
    // Conditions and external principals.
    expect(dev.principals.find((p) => p.id === DEMO.carol)!.grants.every((g) => g.conditional)).toBe(true);
    const partner = dev.principals.find((p) => p.id === DEMO.partner)!;
    expect(partner).toMatchObject({ external: true, capabilities: ['export'] });
    expect(partner.grants.map((g) => g.action)).toEqual([
      'Microsoft.Compute/disks/download/action',
      'Microsoft.Compute/snapshots/download/action',
    ]);
    expect(
      allFindings(result)
        .filter((f) => f.checkId === 'permissions.external-path')
        .map((f) => f.resource?.id),
    ).toEqual([DEMO.partner]);
  });

  it('finds an eligibility at a management group above the subscription through the one unfiltered PIM listing', async () => {
    const azure = demoAzure() as { eligibilities: unknown[] };
    // Eve is eligible for Contributor at mg-workloads, above prod-payments and dev-sandbox (not security).
    azure.eligibilities.push({
      scope: '/providers/Microsoft.Management/managementGroups/mg-workloads',
      principalId: DEMO.eve,
      principalType: 'User',
      role: 'Contributor',
    });
    const { result, lab } = await scanEstate(azureEstate(azure as ReturnType<typeof demoAzure>), { providers });
    for (const [name, inherited] of [
      ['prod-payments', true],
      ['dev-sandbox', true],
      ['security', false],
    ] as const) {
      const eve = scopeNamed(result, name).principals.find((p) => p.id === DEMO.eve);
      const eligible = (eve?.grants ?? []).filter((g) => g.reach === 'eligible');
      expect(eligible.length > 0, name).toBe(inherited);
      if (inherited)
        expect(eligible[0]?.path.find((x) => x.kind === 'eligibility')?.label, name).toMatch(
          /^eligible \(PIM\) at management group mg-workloads/,
        );
    }
    const listings = lab.log.entries.filter((e) => e.operation === 'ListRoleEligibilityScheduleInstances');
    // No $filter, one listing per subscription (prod-payments' three eligibilities take two pages of 2).
    expect(listings.some((e) => e.query.toLowerCase().includes('filter'))).toBe(false);
    expect(listings.map((e) => e.scope?.toLowerCase()).sort()).toEqual([DEMO.dev, DEMO.prod, DEMO.prod, DEMO.security].sort());
  });

  it('classifies snapshots: exposure, encryption, owners and creators, Azure Backup', async () => {
    const { result } = await scanEstate(azureEstate(), { providers });
    // Disk snapshots here; the rest of the family in family.test.ts.
    const snaps = result.scopes.flatMap((s) => s.snapshots).filter((s) => s.kind === 'disk-snapshot');
    const view = Object.fromEntries(
      snaps.map((s) => [
        s.name,
        {
          region: s.region,
          encryption: s.encryption.status,
          public: s.sharing.public,
          owner: `${s.owner.source}:${s.owner.value}`,
          creator: s.creator ? `${s.creator.source}:${s.creator.identity}` : null,
          source: s.source.kind,
          automation: s.automation.by,
        },
      ]),
    );
    expect(view).toEqual({
      'snap-db-nightly': {
        region: 'westeurope',
        encryption: 'customer-key',
        public: 'no',
        owner: 'tag:dba-team',
        // A runbook's managed identity made it (its creation event); an Automation account is not recognised backup.
        creator: 'audit-event:a0a0a0a0-0000-4000-8000-0000000000aa',
        source: 'disk',
        automation: null,
      },
      'snap-web-adhoc': {
        region: 'westeurope',
        encryption: 'provider-key',
        public: 'yes',
        // The creation event (bob), not the later tag update (eve).
        owner: 'audit-event:bob@contoso.com',
        creator: 'audit-event:bob@contoso.com',
        source: 'disk',
        automation: null,
      },
      // AllowAll, but its export URL needs a Microsoft Entra sign-in: not anonymous, not public.
      'snap-web-entra': {
        region: 'westeurope',
        encryption: 'provider-key',
        public: 'no',
        owner: 'tag:web-team',
        creator: 'audit-event:bob@contoso.com',
        source: 'disk',
        automation: null,
      },
      // Made by the Backup vault's managed identity: approved by the identity that acted (its token names the vault).
      'AzureBackup_disk-db_2026-11-25': {
        region: 'westeurope',
        encryption: 'provider-key',
        public: 'no',
        owner: `audit-event:${DEMO.backup}`,
        creator: `audit-event:${DEMO.backup}`,
        source: 'disk',
        automation: 'azure-backup',
      },
      // A person's copy in a resource group named like Azure Backup's: the name approves nothing.
      'AzureBackup_disk-web_2026-11-24': {
        region: 'westeurope',
        encryption: 'provider-key',
        public: 'no',
        owner: 'audit-event:mallory@contoso.com',
        creator: 'audit-event:mallory@contoso.com',
        source: 'disk',
        automation: null,
      },
      'snap-export': {
        region: 'northeurope',
        encryption: 'provider-key',
        public: 'yes',
        owner: 'system-data:mallory@contoso.com',
        creator: 'system-data:mallory@contoso.com',
        source: 'disk',
        automation: null,
      },
      'snap-imported': {
        region: 'northeurope',
        encryption: 'provider-key',
        public: 'no',
        owner: 'unknown:null',
        creator: null,
        source: 'import',
        automation: null,
      },
    });
    const notes = (name: string) => snaps.find((s) => s.name === name)!.sharing.notes;
    expect(notes('snap-export')).toEqual([
      'networkAccessPolicy AllowAll, publicNetworkAccess Enabled, dataAccessAuthMode not reported (None by default): anyone holding its SAS export URL (beginGetAccess) can download it from any network',
      'a SAS export URL is active now (diskState ActiveSAS)',
      'exported with a SAS URL (beginGetAccess) by mallory@contoso.com at 2026-11-20T10:00:00.000Z',
    ]);
    // Exportable only through the disk access's approved private endpoint (the rejected one does not count).
    expect(notes('snap-imported')).toEqual([
      `networkAccessPolicy AllowPrivate: export only through private endpoint(s) /subscriptions/${DEMO.dev}/resourceGroups/rg-dev/providers/Microsoft.Network/privateEndpoints/pe-build-agents of disk access /subscriptions/${DEMO.dev}/resourceGroups/rg-dev/providers/Microsoft.Compute/diskAccesses/da-dev`,
    ]);
    const nightly = snaps.find((s) => s.name === 'snap-db-nightly')!;
    expect(nightly.source.tags).toEqual({ owner: 'dba-team', classification: 'secret' });
    expect(nightly.resourceId).toBe(
      `/subscriptions/${DEMO.prod}/resourceGroups/rg-db/providers/Microsoft.Compute/snapshots/snap-db-nightly`,
    );
    const byCheck = (check: string) =>
      allFindings(result)
        .filter((f) => f.checkId === check && f.resource?.kind === 'disk-snapshot')
        .map((f) => f.resource?.name)
        .sort();
    expect(byCheck('snapshots.public')).toEqual(['snap-export', 'snap-web-adhoc']);
    expect(byCheck('snapshots.no-owner')).toEqual(['snap-imported']);
    expect(byCheck('snapshots.unapproved-creator')).toEqual([
      'AzureBackup_disk-web_2026-11-24',
      'snap-db-nightly',
      'snap-export',
      'snap-web-adhoc',
      'snap-web-entra',
    ]);
    expect(byCheck('snapshots.stale')).toEqual(['snap-export']);
  });

  it('makes the documented API calls per subscription, pages included, and only reads', async () => {
    const { lab, result } = await scanEstate(azureEstate(), { providers });
    const per = (scope: string | null) => {
      const out: Record<string, number> = {};
      for (const e of lab.log.entries.filter((x) => x.scope === scope))
        out[`${e.service}:${e.operation}`] = (out[`${e.service}:${e.operation}`] ?? 0) + 1;
      return out;
    };
    // Discovery, once per scan (pageSize 2: 3 subscriptions = 2 pages, 3 groups = 2 pages).
    // One sign-in per token audience for the scan: the lab serves Microsoft Graph on the ARM endpoint, one audience.
    expect(per(null)).toMatchObject({
      'login:GetOpenIdConfiguration': 1,
      'login:GetToken': 1,
      'Microsoft.Resources:ListSubscriptions': 2,
      'Microsoft.Management:ListManagementGroups': 2,
    });
    // Microsoft Graph: names in batches (each id read once per scan, at most once per subscription); the members of
    // the groups that matter (Cloud Ops holds a role, Backup Operators is excluded from a deny), each group once, paged
    // (4 transitive members at pageSize 2); the partner's foreign group is not in this directory and is not listed.
    expect(per(null)['Microsoft.Graph:GetDirectoryObjectsByIds']).toBeGreaterThanOrEqual(1);
    expect(per(null)['Microsoft.Graph:GetDirectoryObjectsByIds']).toBeLessThanOrEqual(3);
    expect(per(DEMO.ops)).toEqual({ 'Microsoft.Graph:ListGroupTransitiveMembers': 2 });
    expect(per(DEMO.backupOperators)).toEqual({ 'Microsoft.Graph:ListGroupTransitiveMembers': 1 });
    expect(per(DEMO.partner)).toEqual({});
    expect(per(DEMO.tenant)).toEqual({ 'Microsoft.Management:ListManagementGroupDescendants': 3 });
    const subCalls = (id: string) => {
      const { 'Microsoft.Authorization:GetRoleDefinition': _roles, ...rest } = per(id);
      return rest;
    };
    // The snapshot family: one listing each of snapshots, disks (live SAS exports), images, galleries and restore point
    // collections; below them, one read per collection and per restore point (no subscription-wide listing exists).
    expect(subCalls(DEMO.prod)).toEqual({
      'Microsoft.Insights:ListDiagnosticSettings': 1,
      'Microsoft.Insights:ListActivityLogAlerts': 1,
      'Microsoft.Authorization:ListRoleAssignments': 3,
      'Microsoft.Authorization:ListDenyAssignments': 1,
      // PIM: one unfiltered listing of the eligibilities at, above and below the subscription, and (two eligibilities
      // grant a capability, at the subscription and on rg-web) the activation rules at each scope.
      'Microsoft.Authorization:ListRoleEligibilityScheduleInstances': 1,
      'Microsoft.Authorization:ListRoleManagementPolicyAssignments': 2,
      'Microsoft.Compute:ListSnapshots': 3,
      'Microsoft.Compute:ListDisks': 1,
      'Microsoft.Compute:ListImages': 1,
      'Microsoft.Compute:ListGalleries': 1,
      'Microsoft.Compute:ListRestorePointCollections': 1,
      'Microsoft.Compute:GetRestorePointCollection': 1,
      'Microsoft.Compute:ListDiskRestorePoints': 2,
      // One listing (11 events, 2 a page) for the creator lookup and the activity review together.
      'Microsoft.Insights:ListActivityLogs': 6,
    });
    // Two galleries: each one's image definitions, each definition's versions; the directly shared one's groups. A
    // snapshot exported through a private endpoint: its disk access is read.
    // Its export workspace: read once, with the Sentinel rules on it (two pages) and the log search alert rules of
    // its subscription.
    expect(subCalls(DEMO.dev)).toEqual({
      'Microsoft.OperationalInsights:GetWorkspace': 1,
      'Microsoft.SecurityInsights:ListAlertRules': 2,
      'Microsoft.Insights:ListScheduledQueryRules': 1,
      'Microsoft.Compute:ListDiskAccesses': 1,
      'Microsoft.Insights:ListDiagnosticSettings': 1,
      'Microsoft.Insights:ListActivityLogAlerts': 1,
      'Microsoft.Authorization:ListRoleAssignments': 4,
      'Microsoft.Authorization:ListDenyAssignments': 1,
      'Microsoft.Authorization:ListRoleEligibilityScheduleInstances': 1,
      'Microsoft.Compute:ListSnapshots': 1,
      'Microsoft.Compute:ListDisks': 1,
      'Microsoft.Compute:ListImages': 1,
      'Microsoft.Compute:ListGalleries': 1,
      'Microsoft.Compute:GetGallery': 1,
      'Microsoft.Compute:ListGalleryImages': 2,
      'Microsoft.Compute:ListGalleryImageVersions': 2,
      'Microsoft.Compute:ListRestorePointCollections': 1,
      'Microsoft.Insights:ListActivityLogs': 2,
    });
    // Nothing of the family: one listing each, and the activity log for the activity review only (no creator to look
    // up). The SOC's two action groups live here: each read once per scan. prod-payments' central workspace lives
    // here: read once, its Sentinel rules and log search alert rules listed; so do its archive storage account and
    // the SIEM's event hub namespace, each read once to tell that it exists.
    expect(subCalls(DEMO.security)).toEqual({
      'Microsoft.OperationalInsights:GetWorkspace': 1,
      'Microsoft.Storage:GetStorageAccountProperties': 1,
      'Microsoft.EventHub:GetNamespace': 1,
      'Microsoft.SecurityInsights:ListAlertRules': 1,
      'Microsoft.Insights:ListScheduledQueryRules': 1,
      'Microsoft.Insights:ListDiagnosticSettings': 1,
      'Microsoft.Insights:ListActivityLogAlerts': 2,
      'Microsoft.Insights:GetActionGroup': 2,
      'Microsoft.Authorization:ListRoleAssignments': 2,
      'Microsoft.Authorization:ListDenyAssignments': 1,
      'Microsoft.Authorization:ListRoleEligibilityScheduleInstances': 1,
      'Microsoft.Compute:ListSnapshots': 1,
      'Microsoft.Compute:ListDisks': 1,
      'Microsoft.Compute:ListImages': 1,
      'Microsoft.Compute:ListGalleries': 1,
      'Microsoft.Compute:ListRestorePointCollections': 1,
      'Microsoft.Insights:ListActivityLogs': 1,
    });
    // Role definitions: one GET per distinct role for the whole scan, whichever subscription asked first.
    expect(lab.log.entries.filter((e) => e.operation === 'GetRoleDefinition')).toHaveLength(7);
    expect(result.stats.apiCalls).toBe(lab.log.entries.filter((e) => e.service !== 'login').length);
    const ops = [...new Set(lab.log.entries.map((e) => e.operation))].sort();
    expect(ops.filter((o) => !readOnlyOperation.test(o))).toEqual([]);
    expect(new Set(lab.log.entries.filter((e) => e.method !== 'GET').map((e) => `${e.service}:${e.operation}`))).toEqual(
      // The sign-in, and Microsoft Graph's getByIds: a read with a body (directoryObject: getByIds).
      new Set(['login:GetToken', 'Microsoft.Graph:GetDirectoryObjectsByIds']),
    );
    expect(lab.log.entries.every((e) => e.status === 200)).toBe(true);
  });

  it('produces byte-identical JSON for two scans of the same estate', async () => {
    const a = await scanEstate(azureEstate(), { providers });
    const b = await scanEstate(azureEstate(), { providers });
    expect(renderJson(b.result)).toBe(renderJson(a.result));
  });

  it('skips the activity-log listing when creator lookup is off, and falls back to systemData', async () => {
    const { lab, result } = await scanEstate(azureEstate(), { providers, config: { providers: { azure: { creatorLookup: false } } } });
    expect(lab.log.entries.some((e) => e.operation === 'ListActivityLogs')).toBe(false);
    const adhoc = result.scopes.flatMap((s) => s.snapshots).find((s) => s.name === 'snap-web-adhoc')!;
    expect(adhoc.owner.source).toBe('source-tag');
    expect(adhoc.owner).toMatchObject({ value: 'web', detail: 'team' });
  });
});

describe('Azure faults', () => {
  it('honours 429 Retry-After through the engine (the SDK does not retry by itself) and loses nothing', async () => {
    const clean = await scanEstate(azureEstate(), { providers });
    const slept: number[] = [];
    const { result, lab } = await scanEstate(azureEstate(), {
      providers,
      config: { scan: { retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 60_000 } } },
      faults: [
        {
          provider: 'azure',
          scope: DEMO.prod,
          operation: 'Microsoft.Compute:ListSnapshots',
          kind: 'throttle',
          times: 2,
          after: 0,
          rate: 1,
          ms: 0,
          retryAfterSeconds: 3,
        },
      ],
      scan: {
        sleep: async (ms) => {
          slept.push(ms);
        },
      },
    });
    expect(slept).toEqual([3000, 3000]);
    expect(result.stats.throttles).toBe(2);
    expect(result.stats.retries).toBe(2);
    expect(result.scan.complete).toBe(true);
    const listed = lab.log.entries.filter((e) => e.scope === DEMO.prod && e.operation === 'ListSnapshots');
    expect(listed.map((e) => e.status)).toEqual([429, 429, 200, 200, 200]);
    expect(result.scopes.map((s) => s.snapshots)).toEqual(clean.result.scopes.map((s) => s.snapshots));
  });

  it('records a denied subscription as a gap while the others complete', async () => {
    const { result } = await scanEstate(azureEstate(), {
      providers,
      faults: [{ provider: 'azure', scope: DEMO.dev, kind: 'access_denied', rate: 1, after: 0, ms: 0 }],
    });
    assertValidResult(result);
    expect(result.scopes.map((s) => [s.scope.name, s.coverage.status])).toEqual([
      ['prod-payments', 'complete'],
      ['dev-sandbox', 'failed'],
      ['security', 'complete'],
    ]);
    const dev = scopeNamed(result, 'dev-sandbox');
    expect(dev.coverage.gaps.map((g) => [g.part, g.code, g.operation])).toEqual([
      // The activity review's activity-log listing.
      ['activity', 'access_denied', 'Microsoft.Insights:ListActivityLogs'],
      ['alerting', 'access_denied', 'Microsoft.Insights:ListActivityLogAlerts'],
      ['logging', 'access_denied', 'Microsoft.Insights:ListDiagnosticSettings'],
      ['principals', 'access_denied', 'Microsoft.Authorization:ListRoleAssignments'],
      // Every listing of the snapshot family, each its own gap.
      ['snapshots', 'access_denied', 'Microsoft.Compute:ListDisks'],
      ['snapshots', 'access_denied', 'Microsoft.Compute:ListGalleries'],
      ['snapshots', 'access_denied', 'Microsoft.Compute:ListImages'],
      ['snapshots', 'access_denied', 'Microsoft.Compute:ListRestorePointCollections'],
      ['snapshots', 'access_denied', 'Microsoft.Compute:ListSnapshots'],
    ]);
    expect(dev.coverage.gaps[0]!.message).toMatch(/AuthorizationFailed: The client .* does not have authorization/);
    // Azure records the activity log whatever the scanner can read: recorded, but whether it is exported is unknown.
    expect(dev.logging.regions[0]).toMatchObject({ recorded: 'yes', central: 'unknown', alerted: 'unknown' });
    expect(dev.logging.regions[0]!.reasons).toEqual(['the subscription diagnostic settings could not be read']);
    expect(dev.logging.sources.map((s) => s.kind)).toEqual(['activity-log']);
    expect(result.scan.complete).toBe(false);
    expect(
      allFindings(result)
        .filter((f) => f.checkId === 'coverage.scope-unreadable')
        .map((f) => [f.scopeId, f.severity]),
    ).toEqual([[DEMO.dev, 'high']]);
    // A gap is not "not configured": no logging finding for the unreadable subscription.
    expect(allFindings(result).some((f) => f.scopeId === DEMO.dev && f.checkId.startsWith('logging.'))).toBe(false);
  });

  it('keeps the snapshot inventory when only the activity log is denied (creators fall back to systemData)', async () => {
    const { result } = await scanEstate(azureEstate(), {
      providers,
      faults: [{ provider: 'azure', operation: 'Microsoft.Insights:ListActivityLogs', kind: 'access_denied', rate: 1, after: 0, ms: 0 }],
    });
    const prod = scopeNamed(result, 'prod-payments');
    expect(prod.coverage.status).toBe('partial');
    expect(prod.coverage.gaps.map((g) => [g.part, g.code])).toEqual([
      ['activity', 'access_denied'],
      ['creators', 'access_denied'],
    ]);
    expect(prod.snapshots.filter((s) => s.kind === 'disk-snapshot')).toHaveLength(5);
    expect(prod.snapshots.find((s) => s.name === 'snap-web-adhoc')!.owner.source).toBe('source-tag');
  });

  it('still reports grants when only the deny assignments are unreadable (they can only take grants away)', async () => {
    const { result } = await scanEstate(azureEstate(), {
      providers,
      faults: [
        {
          provider: 'azure',
          scope: DEMO.prod,
          operation: 'Microsoft.Authorization:ListDenyAssignments',
          kind: 'access_denied',
          rate: 1,
          after: 0,
          ms: 0,
        },
      ],
    });
    const prod = scopeNamed(result, 'prod-payments');
    expect(prod.coverage.gaps.map((g) => [g.part, g.code, g.operation])).toEqual([
      ['principals', 'access_denied', 'Microsoft.Authorization:ListDenyAssignments'],
    ]);
    expect(grantsOf(prod, DEMO.alice)).toContain('Microsoft.Compute/snapshots/beginGetAccess/action@*');
  });

  it('turns a malformed page into a retried call, then a gap', async () => {
    const { result } = await scanEstate(azureEstate(), {
      providers,
      faults: [
        {
          provider: 'azure',
          scope: DEMO.security,
          operation: 'Microsoft.Insights:ListActivityLogAlerts',
          kind: 'malformed',
          rate: 1,
          after: 0,
          ms: 0,
        },
      ],
    });
    const security = scopeNamed(result, 'security');
    expect(security.coverage.gaps.map((g) => [g.part, g.code])).toEqual([['alerting', 'invalid_response']]);
    expect(result.stats.retries).toBeGreaterThan(0);
  });
});

describe('Azure discovery', () => {
  function estateWith(extra: Record<string, unknown>[]) {
    const azure = demoAzure();
    (azure.subscriptions as Record<string, unknown>[]).push(...extra);
    return azureEstate(azure);
  }

  it('reports disabled subscriptions and subscriptions the credential cannot read as gaps, and collects warned ones', async () => {
    const { result } = await scanEstate(
      estateWith([
        { id: '6a1f3c52-8d4e-4b7a-9c2f-1e5d7b3a9c04', name: 'legacy', state: 'Disabled' },
        { id: '6a1f3c52-8d4e-4b7a-9c2f-1e5d7b3a9c05', name: 'acquired', parent: 'mg-platform', visible: false },
        { id: '6a1f3c52-8d4e-4b7a-9c2f-1e5d7b3a9c06', name: 'past-due', parent: 'mg-workloads', state: 'Warned' },
      ]),
      { providers },
    );
    assertValidResult(result);
    const row = (name: string) => {
      const s = scopeNamed(result, name);
      return [s.scope.state, s.coverage.status, s.coverage.gaps.map((g) => g.code).join(',')];
    };
    expect(row('legacy')).toEqual(['disabled', 'failed', 'suspended']);
    expect(row('acquired')).toEqual(['unknown', 'failed', 'access_denied']);
    expect(row('past-due')).toEqual(['active', 'complete', '']);
    expect(scopeNamed(result, 'acquired').coverage.gaps[0]!.message).toMatch(
      /is in management group mg-platform but the credential cannot read it/,
    );
    expect(scopeNamed(result, 'acquired').scope.parents.map((p) => p.id)).toEqual([DEMO.tenant, 'mg-platform']);
    expect(result.discovery[0]).toMatchObject({ status: 'complete', scopesFound: 6, scopesSelected: 6 });
  });

  it('keeps only subscriptions under the configured management groups, at any depth', async () => {
    const { result } = await scanEstate(azureEstate(), {
      providers,
      config: { providers: { azure: { managementGroups: ['MG-WORKLOADS'] } } },
    });
    expect(result.scopes.map((s) => s.scope.name)).toEqual(['prod-payments', 'dev-sandbox']);
    const platform = await scanEstate(azureEstate(), {
      providers,
      config: { providers: { azure: { managementGroups: ['mg-platform'] } } },
    });
    expect(platform.result.scopes.map((s) => s.scope.name)).toEqual(['prod-payments', 'dev-sandbox', 'security']);
  });

  it('falls back to the configured management groups when the root group cannot be read', async () => {
    const { result } = await scanEstate(azureEstate(), {
      providers,
      config: { providers: { azure: { managementGroups: ['mg-workloads'] } } },
      faults: [{ provider: 'azure', scope: DEMO.tenant, kind: 'access_denied', rate: 1, after: 0, ms: 0 }],
    });
    expect(result.discovery[0]).toMatchObject({ status: 'partial', root: 'mg-workloads' });
    expect(result.discovery[0]!.gaps.map((g) => [g.code, g.operation])).toEqual([
      ['access_denied', 'Microsoft.Management:ListManagementGroupDescendants'],
    ]);
    expect(result.scopes.map((s) => [s.scope.name, s.scope.parents.map((p) => p.id)])).toEqual([
      ['prod-payments', ['mg-workloads']],
      ['dev-sandbox', ['mg-workloads']],
    ]);
    // Owner inherited from mg-platform (above the groups read) still counts: the API said it applies.
    expect(scopeNamed(result, 'prod-payments').principals.map((p) => p.id)).toContain(DEMO.alice);
  });

  it('filters subscriptions by id or name', async () => {
    const { result } = await scanEstate(azureEstate(), {
      providers,
      config: { providers: { azure: { subscriptions: { include: ['*-sandbox', DEMO.security], exclude: [] } } } },
    });
    expect(result.scopes.map((s) => s.scope.name)).toEqual(['dev-sandbox', 'security']);
  });
});
