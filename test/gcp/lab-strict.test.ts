/**
 * The GCP lab is as strict as the documentation: the caller's grants decide what it sees (403 on a parent it cannot
 * read, never an empty 200), documented page-size limits are enforced, entries:list answers with a partial page
 * first, and regional snapshots live under their region. Each behaviour is pinned to the page that states it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEstate } from '../../lab/estate.ts';
import { LAB_GCP_TOKEN } from '../../lab/gcp/wire.ts';
import { type Lab, startLab } from '../../lab/server.ts';
import { scanEstate } from '../support/lab.ts';
import { demoGcpEstate, ORG, scopeOf } from './support.ts';

const CALLER = 'serviceAccount:snapaudit@logging-central.iam.gserviceaccount.com';

/** The demo with the caller's read roles granted on the Production folder only (Browser stays on the organisation). */
function productionOnly() {
  return demoGcpEstate((gcp) => {
    const org = gcp.organization as { iam: Array<{ role: string; members: string[] }> };
    const moved = org.iam.filter((b) => b.members.includes(CALLER) && b.role !== 'roles/browser');
    org.iam = org.iam.filter((b) => !moved.includes(b));
    const production = (gcp.folders as Array<Record<string, unknown>>).find((f) => f.name === 'Production') as { iam?: unknown[] };
    production.iam = [...(production.iam ?? []), ...moved];
  });
}

let lab: Lab;
const call = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${lab.endpoints.gcp}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${LAB_GCP_TOKEN}`, 'content-type': 'application/json' },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  lab = await startLab({ estate: parseEstate(productionOnly(), 'strict'), faults: [], providers: ['gcp'] });
});
afterAll(() => lab.close());

describe('GCP lab visibility by the caller’s grants', () => {
  // https://cloud.google.com/resource-manager/reference/rest/v3/projects/list: "requires resourcemanager.projects.list
  // on the parent"; projects.search returns only projects the caller has resourcemanager.projects.get on.
  it('a listing under a parent the caller cannot read is 403 PERMISSION_DENIED, not an empty 200', async () => {
    const r = await call('/v2/folders/200000000002/sinks');
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED' });
    expect(JSON.stringify(r.body)).toContain('logging.sinks.list');
    expect((await call('/v2/folders/200000000001/sinks')).status).toBe(200);
  });

  it('a search leaves out what the caller may not see instead of failing', async () => {
    const noBrowser = await startLab({
      estate: parseEstate(
        demoGcpEstate((gcp) => {
          const org = gcp.organization as { iam: Array<{ role: string; members: string[] }> };
          org.iam = org.iam.filter((b) => !b.members.includes(CALLER));
          const prod = (gcp.projects as Array<Record<string, unknown>>).find((p) => p.id === 'prod-web') as { iam: unknown[] };
          prod.iam.push({ role: 'roles/browser', members: [CALLER] });
        }),
        'search',
      ),
      faults: [],
      providers: ['gcp'],
    });
    try {
      const res = await fetch(`${noBrowser.endpoints.gcp}/v3/projects:search`, { headers: { authorization: `Bearer ${LAB_GCP_TOKEN}` } });
      const body = (await res.json()) as { projects: Array<{ projectId: string }> };
      expect(res.status).toBe(200);
      expect(body.projects.map((p) => p.projectId)).toEqual(['prod-web']);
      const list = await fetch(`${noBrowser.endpoints.gcp}/v3/projects?parent=organizations/${ORG}`, {
        headers: { authorization: `Bearer ${LAB_GCP_TOKEN}` },
      });
      expect(list.status).toBe(403);
    } finally {
      await noBrowser.close();
    }
  });

  it('the scan turns what the caller cannot read into access-denied gaps and completes the rest', async () => {
    const { result } = await scanEstate(productionOnly(), { providers: ['gcp'], config: { providers: { gcp: { organizationId: ORG } } } });
    // Production projects are read; what they inherit from the organisation (its IAM policy, deny policies and
    // sinks) is not, and says so.
    for (const id of ['prod-payments', 'prod-web']) {
      const gaps = scopeOf(result, id).coverage.gaps;
      expect(gaps.map((g) => g.operation).sort()).toEqual(['cloudresourcemanager:getIamPolicy', 'iam:policies.list', 'logging:sinks.list']);
      expect(gaps.every((g) => g.code === 'access_denied' && g.message.includes(`'organizations/${ORG}'`))).toBe(true);
      expect(scopeOf(result, id).snapshots.length).toBeGreaterThan(0);
    }
    const dev = scopeOf(result, 'dev-sandbox');
    expect(dev.coverage.status).toBe('failed');
    expect(new Set(dev.coverage.gaps.map((g) => `${g.code} ${g.part}`))).toEqual(
      new Set([
        'access_denied logging',
        'access_denied alerting',
        'access_denied principals',
        'access_denied snapshots',
        'access_denied activity',
      ]),
    );
    expect(dev.logging.regions[0]?.recorded).toBe('unknown');
  });
});

describe('GCP lab query strictness', () => {
  // https://cloud.google.com/compute/docs/reference/rest/v1/snapshots/list: maxResults "Acceptable values are 0 to 500".
  it('Compute rejects maxResults above 500 with 400', async () => {
    const ok = await call('/compute/v1/projects/prod-web/global/snapshots?maxResults=500');
    expect(ok.status).toBe(200);
    const bad = await call('/compute/v1/projects/prod-web/global/snapshots?maxResults=501');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', errors: [{ reason: 'invalid' }] });
  });

  // https://cloud.google.com/logging/docs/reference/v2/rest/v2/entries/list: pageSize "maximum 1000"; "If there are more
  // results than were returned, nextPageToken is included … the response may contain no entries".
  it('entries:list rejects pageSize above 1000 and answers a new search with an empty page and a token', async () => {
    const body = { resourceNames: ['projects/prod-payments'], filter: 'protoPayload.methodName="v1.compute.disks.createSnapshot"' };
    const bad = await call('/v2/entries:list', { method: 'POST', body: JSON.stringify({ ...body, pageSize: 1001 }) });
    expect(bad.status).toBe(400);
    const first = await call('/v2/entries:list', { method: 'POST', body: JSON.stringify({ ...body, pageSize: 1000 }) });
    expect(first.status).toBe(200);
    expect(first.body.entries).toBeUndefined();
    expect(typeof first.body.nextPageToken).toBe('string');
    const next = await call('/v2/entries:list', {
      method: 'POST',
      body: JSON.stringify({ ...body, pageSize: 1000, pageToken: first.body.nextPageToken }),
    });
    expect((next.body.entries as unknown[]).length).toBeGreaterThan(0);
  });
});

describe('GCP lab regional snapshots', () => {
  // https://cloud.google.com/compute/docs/reference/rest/v1/regionSnapshots/list
  it('serves a regional snapshot under its region only, with Snapshot.region set', async () => {
    const global = await call('/compute/v1/projects/prod-payments/global/snapshots');
    expect((global.body.items as Array<{ name: string }>).map((s) => s.name)).not.toContain('payments-ledger-dr');
    const regional = await call('/compute/v1/projects/prod-payments/regions/europe-west1/snapshots');
    expect(regional.body.items).toEqual([
      expect.objectContaining({
        name: 'payments-ledger-dr',
        region: 'https://www.googleapis.com/compute/v1/projects/prod-payments/regions/europe-west1',
        selfLink: 'https://www.googleapis.com/compute/v1/projects/prod-payments/regions/europe-west1/snapshots/payments-ledger-dr',
      }),
    ]);
    expect((await call('/compute/v1/projects/prod-payments/regions/mars-north1/snapshots')).status).toBe(400);
  });
});
