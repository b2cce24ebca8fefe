/**
 * The Azure lab is as strict as ARM's documentation, and the scanner copes with it: published api-versions only
 * (InvalidApiVersionParameter), the activity log's five `$filter` shapes only, the role- and deny-assignment filters
 * as documented (unquoted principalId included), reads authorised against the caller's own role assignments
 * (management groups and subscriptions it cannot read are not listed, reads there answer 403 — and the scanner
 * reports what it could not see), and ARM's read token buckets (429 with Retry-After, which the scanner honours).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import apiVersions from '../../lab/azure/data/api-versions.json' with { type: 'json' };
import { parseEstate } from '../../lab/estate.ts';
import { type Lab, startLab } from '../../lab/server.ts';
import { sleep } from '../../src/core/clock.ts';
import { scanEstate } from '../support/lab.ts';
import { armList, armRequest, armToken, azureEstate, DEMO, demoAzure, grantsOf, scopeNamed } from './support.ts';

const providers = ['azure' as const];
const SCANNER = '5ca11e00-0000-4000-8000-000000000007';
const sub = `/subscriptions/${DEMO.prod}`;

let lab: Lab;
let token: string;
beforeAll(async () => {
  lab = await startLab({ estate: parseEstate(azureEstate(), 'demo'), providers });
  token = await armToken(lab);
});
afterAll(() => lab.close());

const get = (path: string) => armRequest(lab, 'GET', path, { token });
const code = (r: { json: Record<string, unknown> }) => (r.json.error as { code?: string } | undefined)?.code;

describe('api-versions', () => {
  it('every version the installed SDKs pin is a published one the lab accepts', () => {
    for (const [op, o] of Object.entries(apiVersions.operations)) expect(o.versions, op).toContain(o.sdkPinned);
  });

  it('refuses a version that was never published: 400 InvalidApiVersionParameter naming the supported ones', async () => {
    const r = await get(`${sub}/providers/Microsoft.Compute/snapshots?api-version=2099-01-01`);
    expect([r.status, code(r)]).toEqual([400, 'InvalidApiVersionParameter']);
    expect((r.json.error as { message: string }).message).toMatch(
      /^The api-version '2099-01-01' is invalid\. The supported versions are '2016-04-30-preview,.*2026-03-02'\.$/,
    );
    const old = await get(`${sub}/providers/Microsoft.Insights/activityLogAlerts?api-version=2017-04-01`);
    expect(old.status).toBe(200);
  });

  it('a demo scan uses only published versions (the request log keeps each query)', async () => {
    const { lab: l } = await scanEstate(azureEstate(), { providers, keepOpen: true });
    try {
      // ARM only: the sign-in and Microsoft Graph are versioned in the path (/v1.0), not by api-version.
      const used = l.log.entries.filter((e) => e.service !== 'login' && e.service !== 'Microsoft.Graph');
      expect(l.log.entries.filter((e) => e.service === 'Microsoft.Graph').every((e) => e.path.startsWith('/v1.0/'))).toBe(true);
      expect(used.length).toBeGreaterThan(20);
      for (const e of used) {
        const v = new URLSearchParams(e.query).get('api-version');
        expect(
          apiVersions.operations[`${e.service}:${e.operation}` as keyof typeof apiVersions.operations]?.versions,
          `${e.operation} ${v}`,
        ).toContain(v);
        expect(e.status).toBe(200);
      }
    } finally {
      await l.close();
    }
  });
});

describe('api-versions per operation', () => {
  const operations = Object.entries(apiVersions.operations) as Array<[string, { sdkPinned: string; checked: string }]>;

  it('each version sent was confirmed where it is published: the spec file of that version, or its REST reference page', () => {
    for (const [op, o] of operations)
      expect(o.checked.startsWith('https://learn.microsoft.com/') || o.checked.includes(`/${o.sdkPinned}/`), op).toBe(true);
  });

  it('docs/azure.md lists every operation with the version it sends and where that was confirmed', () => {
    const page = readFileSync(new URL('../../docs/azure.md', import.meta.url), 'utf8');
    for (const [op, o] of operations) {
      const row = page.split('\n').find((l) => l.startsWith(`| \`${op}\``));
      expect(row, op).toBeDefined();
      expect(row, op).toContain(`\`${o.sdkPinned}\``);
      expect(row, op).toContain(o.checked);
    }
  });

  it('refuses a version never published for every operation: each one a demo scan makes, and the listing the lab serves besides', async () => {
    const { lab: l } = await scanEstate(azureEstate(), { providers, keepOpen: true });
    try {
      const first = new Map<string, string>();
      for (const e of l.log.entries) {
        const op = `${e.service}:${e.operation}`;
        if (op in apiVersions.operations && !first.has(op)) first.set(op, `${e.path}?${e.query}`);
      }
      // The lab serves it (a role-definition listing); the scanner reads definitions one by one (GetRoleDefinition).
      expect(first.has('Microsoft.Authorization:ListRoleDefinitions')).toBe(false);
      first.set(
        'Microsoft.Authorization:ListRoleDefinitions',
        `${sub}/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01`,
      );
      expect([...first.keys()].sort()).toEqual(operations.map(([op]) => op).sort());
      const t = await armToken(l);
      for (const [op, url] of first) {
        const u = new URL(url, 'https://lab.invalid');
        u.searchParams.set('api-version', '2099-01-01');
        const r = await armRequest(l, 'GET', `${u.pathname}${u.search}`, { token: t });
        expect([op, r.status, code(r)]).toEqual([op, 400, 'InvalidApiVersionParameter']);
      }
    } finally {
      await l.close();
    }
  });
});

describe('query grammars', () => {
  const logs = (filter: string) =>
    get(`${sub}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&$filter=${encodeURIComponent(filter)}`);
  const range = "eventTimestamp ge '2026-09-01T00:00:00Z' and eventTimestamp le '2026-11-26T00:00:00Z'";

  it('accepts exactly the five documented activity-log $filter shapes', async () => {
    for (const f of [
      range,
      `${range} and resourceGroupName eq 'rg-web'`,
      `${range} and resourceUri eq '${sub}/resourceGroups/rg-web/providers/Microsoft.Compute/snapshots/snap-web-adhoc'`,
      `${range} and resourceProvider eq 'Microsoft.Compute'`,
      `${range} and correlationId eq '00000000-0000-0000-0000-000000000000'`,
    ]) {
      expect((await logs(f)).status, f).toBe(200);
    }
    const web = await logs(`${range} and resourceGroupName eq 'rg-web'`);
    expect((web.json.value as Array<{ resourceGroupName: string }>).every((e) => e.resourceGroupName === 'rg-web')).toBe(true);
  });

  it('refuses any other syntax: "No other syntax is allowed"', async () => {
    for (const f of [
      '',
      "eventTimestamp le '2026-11-26T00:00:00Z'",
      `${range} and operationName eq 'Microsoft.Compute/snapshots/write'`,
      `${range} and resourceProvider eq 'Microsoft.Compute' and resourceGroupName eq 'rg-web'`,
      `resourceProvider eq 'Microsoft.Compute' and ${range}`,
      `${range} or resourceProvider eq 'Microsoft.Compute'`,
    ]) {
      const r = await logs(f);
      expect([r.status, code(r)], f).toEqual([400, 'BadRequest']);
    }
  });

  it('role assignments filter by principalId quoted or not (as documented: principalId eq {id}); others are refused', async () => {
    const path = (f: string) =>
      `${sub}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=${encodeURIComponent(f)}`;
    const principals = async (f: string) =>
      (await armList<{ properties: { principalId: string } }>(lab, token, path(f))).map((a) => a.properties.principalId);
    expect(new Set(await principals(`principalId eq ${DEMO.bob}`))).toEqual(new Set([DEMO.bob]));
    expect(new Set(await principals(`principalId eq '${DEMO.bob}'`))).toEqual(new Set([DEMO.bob]));
    const bad = await get(path('roleName eq "Owner"'));
    expect([bad.status, code(bad)]).toEqual([400, 'BadRequest']);
  });
});

describe('what the real service emits', () => {
  it("deny assignments carry their condition; snapshots their dataAccessAuthMode and disk access; alerts' action groups resolve", async () => {
    const azure = demoAzure();
    azure.denyAssignments = [
      ...(azure.denyAssignments ?? []),
      {
        name: 'deny-prod-tagged',
        scope: sub,
        permissions: [{ actions: ['Microsoft.Compute/snapshots/delete'] }],
        principals: [{ id: '00000000-0000-0000-0000-000000000000', type: 'SystemDefined' }],
        condition: "@Resource[Microsoft.Resources/tags:env] StringEquals 'prod'",
      },
    ];
    const { result, lab: l } = await scanEstate(azureEstate(azure), { providers, keepOpen: true });
    try {
      const t = await armToken(l);
      const denies = await armList<{ properties: { denyAssignmentName: string; condition?: string; conditionVersion?: string } }>(
        l,
        t,
        `${sub}/providers/Microsoft.Authorization/denyAssignments?api-version=2022-04-01`,
      );
      expect(denies.find((d) => d.properties.denyAssignmentName === 'deny-prod-tagged')!.properties).toMatchObject({
        condition: "@Resource[Microsoft.Resources/tags:env] StringEquals 'prod'",
        conditionVersion: '2.0',
      });
      // The deny may apply (its condition depends on the snapshot's tags): delete becomes conditional for alice.
      const alice = scopeNamed(result, 'prod-payments').principals.find((p) => p.id === DEMO.alice)!;
      const del = alice.grants.find((g) => g.action === 'Microsoft.Compute/snapshots/delete')!;
      expect(del.conditional).toBe(true);
      expect(del.conditions).toEqual([
        `deny assignment deny-prod-tagged at ${sub} denies Microsoft.Compute/snapshots/delete when @Resource[Microsoft.Resources/tags:env] StringEquals 'prod'`,
      ]);
      const snaps = await armList<{ name: string; properties: Record<string, unknown> }>(
        l,
        t,
        `${sub}/providers/Microsoft.Compute/snapshots?api-version=2026-03-02`,
      );
      expect(snaps.find((s) => s.name === 'snap-web-entra')!.properties.dataAccessAuthMode).toBe('AzureActiveDirectory');
      expect('dataAccessAuthMode' in snaps.find((s) => s.name === 'snap-web-adhoc')!.properties).toBe(false);
    } finally {
      await l.close();
    }
  });
});

describe("visibility by the caller's grants", () => {
  /** The demo with the scanner's Reader moved from the tenant root to one management group (or a resource group). */
  function readerAt(scope: string) {
    const azure = demoAzure();
    azure.roleAssignments = [
      ...(azure.roleAssignments ?? []).filter((a) => a.principalId !== SCANNER),
      { scope, principalId: SCANNER, principalType: 'ServicePrincipal', role: 'Reader' },
    ];
    return azureEstate(azure);
  }

  it('lists only the management groups and subscriptions the caller can read; reads elsewhere answer 403', async () => {
    const l = await startLab({
      estate: parseEstate(readerAt('/providers/Microsoft.Management/managementGroups/mg-workloads'), 'x'),
      providers,
    });
    try {
      const t = await armToken(l);
      const groups = await armList<{ name: string }>(l, t, '/providers/Microsoft.Management/managementGroups?api-version=2021-04-01');
      expect(groups.map((g) => g.name)).toEqual(['mg-workloads']);
      const subs = await armList<{ subscriptionId: string }>(l, t, '/subscriptions?api-version=2022-12-01');
      expect(subs.map((s) => s.subscriptionId).sort()).toEqual([DEMO.prod, DEMO.dev].sort());
      const root = await armRequest(
        l,
        'GET',
        `/providers/Microsoft.Management/managementGroups/${DEMO.tenant}/descendants?api-version=2021-04-01`,
        { token: t },
      );
      expect([root.status, code(root)]).toEqual([403, 'AuthorizationFailed']);
      expect((root.json.error as { message: string }).message).toContain(`The client '${SCANNER}'`);
      const security = await armRequest(
        l,
        'GET',
        `/subscriptions/${DEMO.security}/providers/Microsoft.Compute/snapshots?api-version=2026-03-02`,
        { token: t },
      );
      expect([security.status, code(security)]).toEqual([403, 'AuthorizationFailed']);
    } finally {
      await l.close();
    }
  });

  it('the scanner reads the trees it can see, says the root could not be read, and scans what it can', async () => {
    const { result } = await scanEstate(readerAt('/providers/Microsoft.Management/managementGroups/mg-workloads'), { providers });
    const discovery = result.discovery[0]!;
    expect(discovery.status).toBe('partial');
    expect(discovery.gaps.map((g) => [g.part, g.code, g.operation])).toEqual([
      ['discovery', 'access_denied', 'Microsoft.Management:ListManagementGroupDescendants'],
    ]);
    expect(discovery.gaps[0]!.message).toContain(`/providers/Microsoft.Management/managementGroups/${DEMO.tenant}`);
    expect(result.scopes.map((s) => [s.scope.name, s.coverage.status])).toEqual([
      ['prod-payments', 'partial'],
      ['dev-sandbox', 'complete'],
    ]);
    // prod's alert notifies the SOC's action group, in a subscription the caller cannot read: a gap, and the alert
    // still counts, saying whether anyone is notified is unknown. The central workspace it exports to lives there too:
    // the workspace, its Sentinel rules and that subscription's log search alert rules are gaps as well, and so are its
    // other export destinations there (the archive storage account, the SIEM's event hub namespace).
    const prod = scopeNamed(result, 'prod-payments');
    expect(prod.coverage.gaps.map((g) => [g.part, g.code, g.operation])).toEqual([
      ['alerting', 'access_denied', 'Microsoft.Insights:GetActionGroup'],
      ['alerting', 'access_denied', 'Microsoft.Insights:ListScheduledQueryRules'],
      ['alerting', 'access_denied', 'Microsoft.SecurityInsights:ListAlertRules'],
      ['logging', 'access_denied', 'Microsoft.EventHub:GetNamespace'],
      ['logging', 'access_denied', 'Microsoft.OperationalInsights:GetWorkspace'],
      ['logging', 'access_denied', 'Microsoft.Storage:GetStorageAccountProperties'],
    ]);
    // An export whose workspace could not be read is not known to flow or not.
    expect(prod.logging.sources[0]!.health?.flowing).toBe('unknown');
    expect(prod.logging.alerts[0]).toMatchObject({ match: 'exact' });
    expect(prod.logging.alerts[0]!.reasons[0]).toMatch(
      /^action group \/subscriptions\/.*\/soc could not be read \(access_denied\): whether anyone is notified is unknown$/,
    );
    // Ancestry from the highest group it can read: what is above it is not visible.
    expect(scopeNamed(result, 'prod-payments').scope.parents).toEqual([
      { kind: 'management-group', id: 'mg-workloads', name: 'Workloads' },
    ]);
    // Assignments inherited from above are still listed by the subscription's own API.
    expect(grantsOf(scopeNamed(result, 'prod-payments'), DEMO.alice)).toContain('Microsoft.Compute/snapshots/write@*');
  });

  it('a subscription the caller sees through a resource-group grant only: every subscription-level read is a gap', async () => {
    const { result } = await scanEstate(readerAt(`${sub}/resourceGroups/rg-web`), { providers });
    expect(result.scopes.map((s) => s.scope.name)).toEqual(['prod-payments']);
    const prod = scopeNamed(result, 'prod-payments');
    expect(prod.coverage.status).toBe('failed');
    expect([...new Set(prod.coverage.gaps.map((g) => g.code))]).toEqual(['access_denied']);
    expect([...new Set(prod.coverage.gaps.map((g) => g.part))].sort()).toEqual([
      'activity',
      'alerting',
      'logging',
      'principals',
      'snapshots',
    ]);
    // Each subscription-wide listing of the snapshot family is its own gap.
    expect(prod.coverage.gaps.filter((g) => g.part === 'snapshots').map((g) => g.operation)).toEqual([
      'Microsoft.Compute:ListDisks',
      'Microsoft.Compute:ListGalleries',
      'Microsoft.Compute:ListImages',
      'Microsoft.Compute:ListRestorePointCollections',
      'Microsoft.Compute:ListSnapshots',
    ]);
  });
});

describe('throttling', () => {
  it("answers 429 with Retry-After past ARM's read bucket, and every answer tells the reads that remain", async () => {
    const l = await startLab({
      estate: parseEstate(azureEstate({ ...demoAzure(), readLimits: { bucket: 2, refillPerSecond: 0.5 } }), 'x'),
      providers,
    });
    try {
      const t = await armToken(l);
      const path = `${sub}/providers/Microsoft.Compute/disks?api-version=2026-03-02`;
      const answers = [
        await armRequest(l, 'GET', path, { token: t }),
        await armRequest(l, 'GET', path, { token: t }),
        await armRequest(l, 'GET', path, { token: t }),
      ];
      expect(answers.map((a) => [a.status, a.headers['x-ms-ratelimit-remaining-subscription-reads']])).toEqual([
        [200, '1'],
        [200, '0'],
        [429, '0'],
      ]);
      expect(code(answers[2]!)).toBe('SubscriptionRequestsThrottled');
      expect(answers[2]!.headers['retry-after']).toBe('2');
      // Another subscription has its own bucket.
      const other = await armRequest(l, 'GET', `/subscriptions/${DEMO.dev}/providers/Microsoft.Compute/snapshots?api-version=2026-03-02`, {
        token: t,
      });
      expect(other.status).toBe(200);
    } finally {
      await l.close();
    }
  });

  it('a scan under real ARM throttling completes with retries that wait the Retry-After it was given', async () => {
    const clean = await scanEstate(azureEstate(), { providers });
    const slept: number[] = [];
    const { result, lab: l } = await scanEstate(azureEstate({ ...demoAzure(), readLimits: { bucket: 3, refillPerSecond: 50 } }), {
      providers,
      keepOpen: true,
      config: { scan: { retry: { maxAttempts: 12, baseDelayMs: 1, maxDelayMs: 60_000 } } },
      scan: {
        // The requested wait is recorded; the test waits a tenth of it (the lab's bucket refills in real time).
        sleep: async (ms) => {
          slept.push(ms);
          await sleep(ms / 10);
        },
      },
    });
    try {
      expect(result.scan.complete).toBe(true);
      expect(result.stats.throttles).toBeGreaterThan(0);
      expect(l.log.entries.some((e) => e.status === 429)).toBe(true);
      expect(slept.length).toBeGreaterThan(0);
      expect(slept.every((ms) => ms === 1000)).toBe(true);
      expect(result.scopes.map((s) => [s.scope.id, s.snapshots, s.principals, s.logging])).toEqual(
        clean.result.scopes.map((s) => [s.scope.id, s.snapshots, s.principals, s.logging]),
      );
    } finally {
      await l.close();
    }
  });
});
