/**
 * The Azure lab speaks like ARM: its responses carry the keys of the official example payloads (top level and
 * `properties`), with the differences listed and explained here; tokens, api-versions, paging and errors behave as
 * ARM and Microsoft Entra ID do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEstate } from '../../lab/estate.ts';
import { type Lab, startLab } from '../../lab/server.ts';
import { LAB_CLIENT_ID } from '../../lab/azure/state.ts';
import { fixture } from './fixture-server.ts';
import { armRequest, armToken, azureEstate, DEMO } from './support.ts';

let lab: Lab;
let token: string;

function request(method: string, path: string, opts: { token?: string | null; body?: string; headers?: Record<string, string> } = {}) {
  return armRequest(lab, method, path, { ...opts, token: opts.token === null ? null : (opts.token ?? token) });
}

async function firstItem(path: string): Promise<Record<string, unknown>> {
  const r = await request('GET', path);
  expect(r.status).toBe(200);
  const value = r.json.value as Record<string, unknown>[] | undefined;
  return value ? value[0]! : r.json;
}

function fixtureItem(file: string): Record<string, unknown> {
  const body = fixture(file).responses['200'].body;
  const value = body.value as Record<string, unknown>[] | undefined;
  return value ? value[0]! : body;
}

function keys(o: Record<string, unknown>): string[] {
  const top = Object.keys(o);
  const props = o.properties && typeof o.properties === 'object' ? Object.keys(o.properties).map((k) => `properties.${k}`) : [];
  return [...top, ...props].sort();
}

beforeAll(async () => {
  lab = await startLab({ estate: parseEstate(azureEstate(), 'demo'), providers: ['azure'] });
  token = await armToken(lab);
});
afterAll(() => lab.close());

const sub = `/subscriptions/${DEMO.prod}`;
const shapes: Array<{ file: string; path: string; missing: string[]; extra: string[] }> = [
  { file: 'GetSubscriptions.json', path: '/subscriptions?api-version=2022-12-01', missing: [], extra: [] },
  {
    file: 'ListManagementGroups.json',
    path: '/providers/Microsoft.Management/managementGroups?api-version=2021-04-01',
    missing: [],
    extra: [],
  },
  {
    file: 'Snapshot_ListBySubscription.json',
    path: `${sub}/providers/Microsoft.Compute/snapshots?api-version=2025-01-02`,
    // osType and Azure Disk Encryption settings are optional: the lab's snapshots are data disks without ADE.
    missing: ['properties.encryptionSettingsCollection', 'properties.osType'],
    // Real responses carry these; the example leaves them out.
    extra: [
      'properties.diskSizeBytes',
      'properties.diskState',
      'properties.incremental',
      'properties.networkAccessPolicy',
      'properties.publicNetworkAccess',
      'properties.uniqueId',
      'sku',
    ],
  },
  {
    file: 'listSubscriptionDiagnosticSettings.json',
    path: `${sub}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`,
    missing: [],
    extra: [],
  },
  {
    file: 'ActivityLogAlertRule_ListBySubscriptionId.json',
    path: `${sub}/providers/Microsoft.Insights/activityLogAlerts?api-version=2023-01-01-preview`,
    missing: [],
    extra: [],
  },
  {
    file: 'GetActivityLogsFiltered.json',
    path: `${sub}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&$filter=${encodeURIComponent("eventTimestamp ge '2026-09-01T00:00:00Z' and eventTimestamp le '2026-11-26T00:00:00Z'")}`,
    missing: [],
    // Fields the example leaves out but the event schema documents.
    extra: ['category', 'resourceId', 'resourceType', 'tenantId'],
  },
  {
    file: 'RoleAssignments_ListForScope.json',
    path: `${sub}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`,
    missing: [],
    // Documented by the spec (RoleAssignmentProperties); the example leaves them out.
    extra: ['properties.createdOn', 'properties.updatedOn'],
  },
  {
    file: 'GetRoleDefinitionById.json',
    path: `${sub}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635?api-version=2022-04-01`,
    missing: [],
    extra: [],
  },
];

describe('the Azure lab answers in the shapes of the official examples', () => {
  for (const s of shapes) {
    it(s.file, async () => {
      const lab = keys(await firstItem(s.path));
      const official = keys(fixtureItem(s.file));
      expect(official.filter((k) => !lab.includes(k))).toEqual(s.missing);
      expect(lab.filter((k) => !official.includes(k))).toEqual(s.extra);
    });
  }

  it('keeps the diagnostic-settings quirks: an id without a leading slash, type null', async () => {
    const item = await firstItem(`${sub}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`);
    expect(item.id).toBe(`subscriptions/${DEMO.prod}/providers/microsoft.insights/diagnosticSettings/to-central`);
    expect(item.type).toBeNull();
  });
});

describe('the Azure lab behaves like ARM and Entra ID', () => {
  it('pages with absolute nextLinks back to the lab, keeping the query', async () => {
    const first = await request('GET', '/subscriptions?api-version=2022-12-01');
    const next = String(first.json.nextLink);
    expect(next.startsWith(`${lab.endpoints.azure}/subscriptions?api-version=2022-12-01&%24skiptoken=`)).toBe(true);
    const second = await request('GET', next);
    expect((second.json.value as unknown[]).length).toBe(1);
    expect(second.json.nextLink).toBeUndefined();
  });

  it('rejects requests without a token it issued, without an api-version, and writes', async () => {
    expect((await request('GET', '/subscriptions?api-version=2022-12-01', { token: null })).json).toMatchObject({
      error: { code: 'AuthenticationFailed' },
    });
    expect((await request('GET', '/subscriptions?api-version=2022-12-01', { token: 'forged' })).status).toBe(401);
    expect((await request('GET', '/subscriptions')).json).toMatchObject({ error: { code: 'MissingApiVersionParameter' } });
    const put = await request('PUT', `${sub}/resourceGroups/rg/providers/Microsoft.Compute/snapshots/x?api-version=2025-01-02`);
    expect([put.status, put.json]).toEqual([
      405,
      { error: { code: 'MethodNotAllowed', message: 'The lab only serves reads; PUT is not allowed.' } },
    ]);
  });

  it('refuses a wrong client secret as Entra ID does', async () => {
    const form = new URLSearchParams({ client_id: LAB_CLIENT_ID, client_secret: 'wrong', grant_type: 'client_credentials' });
    const r = await request('POST', `/${DEMO.tenant}/oauth2/v2.0/token`, { token: null, body: form.toString() });
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
  });

  it('answers role assignments at, above and below a scope; atScope() only at and above', async () => {
    const list = async (scope: string, filter = '') => {
      const out: Array<{ properties: { scope: string } }> = [];
      let next: string | undefined = `${scope}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01${filter}`;
      while (next) {
        const page = (await request('GET', next)).json;
        out.push(...(page.value as typeof out));
        next = page.nextLink as string | undefined;
      }
      return out;
    };
    const mg = '/providers/Microsoft.Management/managementGroups/mg-workloads';
    const all = (await list(mg)).map((a) => a.properties.scope);
    const atScope = (await list(mg, `&$filter=${encodeURIComponent('atScope()')}`)).map((a) => a.properties.scope);
    expect([...new Set(atScope)].sort()).toEqual(['/', '/providers/Microsoft.Management/managementGroups/mg-platform', mg]);
    expect(all.length).toBeGreaterThan(atScope.length);
    expect(all.some((s) => s.startsWith(`/subscriptions/${DEMO.prod}/resourceGroups/`))).toBe(true);
  });

  it('serves role definitions by tenant-level and subscription-level id', async () => {
    const owner = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
    const tenantLevel = await request('GET', `/providers/Microsoft.Authorization/roleDefinitions/${owner}?api-version=2022-04-01`);
    expect(tenantLevel.json).toMatchObject({
      id: `/providers/Microsoft.Authorization/roleDefinitions/${owner}`,
      properties: { roleName: 'Owner', type: 'BuiltInRole' },
    });
    const missing = await request(
      'GET',
      `${sub}/providers/Microsoft.Authorization/roleDefinitions/00000000-0000-4000-8000-0000000000ff?api-version=2022-04-01`,
    );
    expect([missing.status, (missing.json.error as { code: string }).code]).toEqual([404, 'RoleDefinitionDoesNotExist']);
  });

  it('throttles with 429 and Retry-After, and denies with AuthorizationFailed', async () => {
    lab.faults.rules.push(
      {
        provider: 'azure',
        scope: DEMO.dev,
        operation: 'Microsoft.Compute:ListSnapshots',
        kind: 'throttle',
        rate: 1,
        after: 0,
        ms: 0,
        times: 1,
        retryAfterSeconds: 7,
      },
      { provider: 'azure', scope: DEMO.security, kind: 'access_denied', rate: 1, after: 0, ms: 0, times: 1 },
    );
    const throttled = await request('GET', `/subscriptions/${DEMO.dev}/providers/Microsoft.Compute/snapshots?api-version=2025-01-02`);
    expect([throttled.status, throttled.headers['retry-after'], (throttled.json.error as { code: string }).code]).toEqual([
      429,
      '7',
      'SubscriptionRequestsThrottled',
    ]);
    const denied = await request('GET', `/subscriptions/${DEMO.security}/providers/Microsoft.Compute/snapshots?api-version=2025-01-02`);
    expect([denied.status, (denied.json.error as { code: string }).code]).toEqual([403, 'AuthorizationFailed']);
  });
});
