/**
 * The GCP adapter under faults and at its edges: throttling retried by the engine (honouring RetryInfo /
 * Retry-After), a denied project becoming a gap while the others complete, paging, discovery modes, read-only calls,
 * determinism.
 */
import { describe, expect, it } from 'vitest';
import type { FaultRule } from '../../lab/core.ts';
import { renderJson } from '../../reports/json.ts';
import { allFindings } from '../../src/core/model/order.ts';
import { assertValidResult, scanEstate } from '../support/lab.ts';
import { demoGcpEstate, ORG, scopeOf } from './support.ts';

const orgConfig = { providers: { gcp: { organizationId: ORG } } };

function throttle(operation: string, times: number, retryAfterSeconds?: number): FaultRule {
  return {
    provider: 'gcp',
    operation,
    kind: 'throttle',
    rate: 1,
    times,
    after: 0,
    ms: 0,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  };
}

describe('GCP throttling', () => {
  // One operation per client family: the newer REST clients (compute, logging, monitoring), the older fallback
  // clients (resource manager, IAM v2) and raw REST through the auth client (IAM roles, log entries).
  it.each([
    'compute:snapshots.list',
    'logging:sinks.list',
    'monitoring:alertPolicies.list',
    'cloudresourcemanager:getIamPolicy',
    'iam:policies.list',
    'iam:roles.get',
    'logging:entries.list',
  ])('retries 429 RESOURCE_EXHAUSTED on %s after the server-requested delay', async (operation) => {
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    const clean = await scanEstate(demoGcpEstate(), { providers: ['gcp'], config: orgConfig });
    const { result } = await scanEstate(demoGcpEstate(), {
      providers: ['gcp'],
      config: { ...orgConfig, scan: { retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 60_000 } } },
      faults: [throttle(operation, 2, 7)],
      scan: { sleep },
    });
    expect(result.stats.throttles).toBe(2);
    expect(result.stats.retries).toBe(2);
    expect(waits).toEqual([7000, 7000]);
    expect(result.scan.complete).toBe(true);
    expect(result.scopes).toEqual(clean.result.scopes);
  });

  it('backs off with its own schedule when the server names no delay, and counts the calls', async () => {
    const clean = await scanEstate(demoGcpEstate(), { providers: ['gcp'], config: orgConfig });
    const { result } = await scanEstate(demoGcpEstate(), { providers: ['gcp'], config: orgConfig, faults: [throttle('compute:*', 3)] });
    expect(result.stats.throttles).toBe(3);
    expect(result.stats.apiCalls).toBe(clean.result.stats.apiCalls + 3);
    expect(result.scopes).toEqual(clean.result.scopes);
  });

  it('gives up after the retry budget and records a throttled gap for that part only', async () => {
    const { result } = await scanEstate(demoGcpEstate(), {
      providers: ['gcp'],
      config: orgConfig,
      faults: [
        { provider: 'gcp', scope: 'prod-web', operation: 'monitoring:alertPolicies.list', kind: 'throttle', rate: 1, after: 0, ms: 0 },
      ],
    });
    const web = scopeOf(result, 'prod-web');
    expect(web.coverage.status).toBe('partial');
    expect(web.coverage.gaps).toEqual([
      expect.objectContaining({ code: 'throttled', part: 'alerting', operation: 'monitoring:alertPolicies.list', region: 'global' }),
    ]);
    expect(web.logging.regions[0]?.alerted).toBe('unknown');
    expect(web.snapshots.map((s) => s.kind).sort()).toEqual(['disk-snapshot', 'disk-snapshot', 'disk-snapshot', 'machine-image']);
  });
});

describe('GCP gaps', () => {
  it('records a denied project as gaps while the other projects complete', async () => {
    const { result } = await scanEstate(demoGcpEstate(), {
      providers: ['gcp'],
      config: orgConfig,
      faults: [{ provider: 'gcp', scope: 'prod-web', kind: 'access_denied', rate: 1, after: 0, ms: 0 }],
    });
    assertValidResult(result);
    const web = scopeOf(result, 'prod-web');
    expect(web.coverage.status).toBe('failed');
    expect(new Set(web.coverage.gaps.map((g) => g.code))).toEqual(new Set(['access_denied']));
    expect(new Set(web.coverage.gaps.map((g) => g.part))).toEqual(new Set(['logging', 'alerting', 'principals', 'snapshots', 'activity']));
    expect(web.logging.regions[0]).toMatchObject({ recorded: 'yes', alerted: 'unknown' });
    expect(web.logging.sources.find((s) => s.id === 'projects/prod-web/sinks/_Required')).toMatchObject({ enabled: 'unknown' });
    for (const id of ['dev-sandbox', 'logging-central', 'prod-payments']) expect(scopeOf(result, id).coverage.status).toBe('complete');
    expect(result.scan.complete).toBe(false);
    expect(
      allFindings(result)
        .filter((f) => f.checkId === 'coverage.scope-unreadable')
        .map((f) => [f.scopeId, f.severity]),
    ).toEqual([['prod-web', 'high']]);
  });

  it('keeps going when a folder cannot be read, with the gap in discovery', async () => {
    const { result } = await scanEstate(demoGcpEstate(), {
      providers: ['gcp'],
      config: orgConfig,
      faults: [
        {
          provider: 'gcp',
          scope: 'folders/200000000002',
          operation: 'cloudresourcemanager:projects.list',
          kind: 'access_denied',
          rate: 1,
          after: 0,
          ms: 0,
        },
      ],
    });
    expect(result.discovery[0]).toMatchObject({ status: 'partial', scopesFound: 3 });
    expect(result.discovery[0]?.gaps[0]).toMatchObject({
      code: 'access_denied',
      part: 'discovery',
      operation: 'cloudresourcemanager:projects.list',
    });
    expect(result.scopes.map((s) => s.scope.id)).toEqual(['logging-central', 'prod-payments', 'prod-web']);
  });

  it('retries 5xx and a malformed body', async () => {
    const clean = await scanEstate(demoGcpEstate(), { providers: ['gcp'], config: orgConfig });
    const { result } = await scanEstate(demoGcpEstate(), {
      providers: ['gcp'],
      config: orgConfig,
      faults: [
        { provider: 'gcp', operation: 'compute:snapshots.getIamPolicy', kind: 'server_error', rate: 1, times: 2, after: 0, ms: 0 },
        { provider: 'gcp', operation: 'logging:buckets.list', kind: 'malformed', rate: 1, times: 1, after: 0, ms: 0 },
      ],
    });
    expect(result.stats.retries).toBe(3);
    expect(result.scopes).toEqual(clean.result.scopes);
  });

  it('names unreadable deny policies and roles as gaps instead of guessing', async () => {
    const { result } = await scanEstate(demoGcpEstate(), {
      providers: ['gcp'],
      config: orgConfig,
      faults: [{ provider: 'gcp', operation: 'iam:roles.get', kind: 'access_denied', rate: 1, after: 0, ms: 0 }],
    });
    const dev = scopeOf(result, 'dev-sandbox');
    expect(dev.principals).toEqual([]);
    expect(dev.coverage.gaps.every((g) => g.part === 'principals' && g.operation === 'iam:roles.get')).toBe(true);
  });
});

describe('GCP discovery modes', () => {
  it('scans an explicit project list with its ancestry', async () => {
    const { result, lab } = await scanEstate(demoGcpEstate(), {
      providers: ['gcp'],
      config: { providers: { gcp: { projects: ['prod-web', 'dev-sandbox', 'no-such-project'] } } },
      keepOpen: true,
    });
    await lab.close();
    expect(result.scopes.map((s) => [s.scope.id, s.scope.parents.map((p) => p.id), s.coverage.status])).toEqual([
      ['dev-sandbox', [`organizations/${ORG}`, 'folders/200000000002'], 'complete'],
      ['no-such-project', [], 'failed'],
      ['prod-web', [`organizations/${ORG}`, 'folders/200000000001'], 'complete'],
    ]);
    expect(scopeOf(result, 'no-such-project').coverage.gaps[0]).toMatchObject({
      code: 'access_denied',
      operation: 'cloudresourcemanager:projects.get',
    });
    expect(lab.log.counts('gcp')['cloudresourcemanager:folders.get']).toBe(2);
  });

  it('scans the projects under one folder, inheriting from the folders and organisation above', async () => {
    const { result } = await scanEstate(demoGcpEstate(), {
      providers: ['gcp'],
      config: { providers: { gcp: { folders: ['200000000001'] } } },
    });
    expect(result.discovery[0]?.root).toBe('folders/200000000001');
    expect(result.scopes.map((s) => s.scope.id)).toEqual(['prod-payments', 'prod-web']);
    expect(scopeOf(result, 'prod-web').principals.map((p) => p.id)).toContain('group:backup-operators@example.com');
  });

  it('without a scope in the config, searches every project the identity can see', async () => {
    const { result } = await scanEstate(demoGcpEstate(), { providers: ['gcp'] });
    expect(result.discovery[0]).toMatchObject({ root: null, status: 'complete', scopesFound: 4 });
  });

  it('follows every page of every listing', async () => {
    const clean = await scanEstate(demoGcpEstate(), { providers: ['gcp'], config: orgConfig });
    const { result, lab } = await scanEstate(
      demoGcpEstate((g) => {
        g.pageSize = 1;
      }),
      { providers: ['gcp'], config: orgConfig, keepOpen: true },
    );
    await lab.close();
    expect(result.scopes).toEqual(clean.result.scopes);
    expect(result.stats.apiCalls).toBeGreaterThan(clean.result.stats.apiCalls + 10);
    expect(lab.log.counts('gcp')['compute:snapshots.list']).toBe(3 + 3 + 1 + 1);
  });
});

describe('GCP scan hygiene', () => {
  it('calls only read operations (GET, or POST to getIamPolicy and entries:list)', async () => {
    const { lab } = await scanEstate(demoGcpEstate(), { providers: ['gcp'], config: orgConfig, keepOpen: true });
    await lab.close();
    const calls = lab.log.entries.filter((e) => e.provider === 'gcp');
    const writes = calls.filter((e) => !(e.method === 'GET' || (e.method === 'POST' && /(:getIamPolicy|\/entries:list)$/.test(e.path))));
    expect(writes).toEqual([]);
    expect(new Set(calls.map((e) => `${e.service}:${e.operation}`))).toEqual(
      new Set([
        'cloudresourcemanager:projects.list',
        'cloudresourcemanager:folders.list',
        'cloudresourcemanager:organizations.get',
        'cloudresourcemanager:getIamPolicy',
        'logging:sinks.list',
        'logging:buckets.list',
        'logging:metrics.list',
        'logging:entries.list',
        'monitoring:alertPolicies.list',
        'monitoring:notificationChannels.list',
        'iam:policies.list',
        'iam:policies.get',
        'iam:roles.get',
        'iam:serviceAccounts.getIamPolicy',
        'iam:serviceAccounts.list',
        'cloudidentity:groups.lookup',
        'cloudidentity:groups.memberships.list',
        'compute:snapshots.list',
        'compute:snapshots.getIamPolicy',
        'compute:regions.list',
        'compute:regionSnapshots.list',
        'compute:regionSnapshots.getIamPolicy',
        'compute:disks.aggregatedList',
        'compute:images.list',
        'compute:images.getIamPolicy',
        'compute:machineImages.list',
        'compute:machineImages.getIamPolicy',
        'compute:instantSnapshots.aggregatedList',
        'compute:instantSnapshots.getIamPolicy',
        'compute:regionInstantSnapshots.getIamPolicy',
        'compute:resourcePolicies.aggregatedList',
        // Who may write to a sink's Cloud Storage destination.
        'storage:buckets.getIamPolicy',
        // Security Command Center as a detective control for public images (#25).
        'securitycentermanagement:securityCenterServices.get',
        'securitycenter:findings.list',
      ]),
    );
    expect(calls.every((e) => e.status === 200 || (e.status === 403 && e.scope === 'logging-central'))).toBe(true);
  });

  it('reads shared facts once per scan, and per project only what the project owns', async () => {
    const { lab } = await scanEstate(demoGcpEstate(), { providers: ['gcp'], config: orgConfig, keepOpen: true });
    await lab.close();
    const c = lab.log.counts('gcp');
    // Organisation + 2 folders + 4 projects, each read once; the central project once more, for the organisation
    // sink's writer (once per scan, however many projects the sink covers).
    expect(c['cloudresourcemanager:getIamPolicy']).toBe(8);
    expect(c['storage:buckets.getIamPolicy']).toBe(1);
    expect(c['logging:sinks.list']).toBe(7);
    expect(c['iam:policies.list']).toBe(7);
    expect(c['iam:policies.get']).toBe(1);
    // Per project: one Admin Activity search of two entries:list (the first answer of a search is an empty page with a
    // token), shared by the creator lookup and the activity review (the project without snapshots: the review's
    // alone); per project with snapshots one disks listing; one getIamPolicy per snapshot, global or regional.
    expect(c['logging:entries.list']).toBe(8);
    expect(c['compute:disks.aggregatedList']).toBe(3);
    expect(c['compute:snapshots.getIamPolicy']).toBe(7);
    expect(c['compute:regionSnapshots.getIamPolicy']).toBe(1);
    // Regional snapshots: one regions.list and one listing per region, per project with Compute Engine.
    expect(c['compute:regions.list']).toBe(3);
    expect(c['compute:regionSnapshots.list']).toBe(3 * 2);
    expect(new Set(lab.log.entries.filter((e) => e.operation === 'roles.get').map((e) => e.path)).size).toBe(c['iam:roles.get']);
  });

  it('skips the per-snapshot IAM lookups when turned off, and says sharing is unknown', async () => {
    const { result, lab } = await scanEstate(demoGcpEstate(), {
      providers: ['gcp'],
      config: { providers: { gcp: { organizationId: ORG, snapshotIamLookup: { enabled: false } } } },
      keepOpen: true,
    });
    await lab.close();
    expect(lab.log.counts('gcp')['compute:snapshots.getIamPolicy']).toBeUndefined();
    const s = scopeOf(result, 'prod-payments').snapshots.find((x) => x.kind === 'disk-snapshot');
    expect(s?.sharing).toEqual({ public: 'unknown', sharedWith: [], sharesKnown: false, notes: ['snapshot IAM lookup is turned off'] });
  });

  it('produces byte-identical JSON for two scans of the same estate', async () => {
    const a = await scanEstate(demoGcpEstate(), { providers: ['gcp'], config: orgConfig });
    const b = await scanEstate(demoGcpEstate(), { providers: ['gcp'], config: orgConfig });
    expect(renderJson(b.result)).toBe(renderJson(a.result));
  });

  it('rejects a wrong token as a credentials problem', async () => {
    const { result } = await scanEstate(demoGcpEstate(), {
      providers: ['gcp'],
      config: orgConfig,
      faults: [{ provider: 'gcp', kind: 'expired_credentials', rate: 1, after: 0, ms: 0 }],
    });
    expect(result.discovery[0]?.gaps.map((g) => g.code)).toContain('credentials');
    expect(result.scopes).toEqual([]);
  });
});

describe('GCP Compute rate limits (403 rateLimitExceeded / userRateLimitExceeded)', () => {
  it('retries them with backoff through the Compute REST reads and completes the scan, with no access-denied gap', async () => {
    const clean = await scanEstate(demoGcpEstate(), { providers: ['gcp'], config: orgConfig });
    const { result, lab } = await scanEstate(demoGcpEstate(), {
      providers: ['gcp'],
      config: orgConfig,
      // snapshots.list, snapshots.getIamPolicy and regions.list: REST through the auth client, as every Compute read.
      faults: [throttle('compute:snapshots.list', 2), throttle('compute:snapshots.getIamPolicy', 2), throttle('compute:regions.list', 2)],
      keepOpen: true,
    });
    await lab.close();
    const throttled = lab.log.entries.filter((e) => e.fault === 'throttle');
    expect(throttled.map((e) => e.status)).toEqual([403, 403, 403, 403, 403, 403]);
    expect(result.stats.throttles).toBe(6);
    expect(result.stats.retries).toBe(6);
    expect(result.scopes.flatMap((s) => s.coverage.gaps).filter((g) => g.code === 'access_denied')).toEqual([]);
    expect(result.scan.complete).toBe(true);
    expect(result.scopes).toEqual(clean.result.scopes);
  });
});

describe('GCP regional snapshot search', () => {
  it('lists only the regions the config selects (globs), and finds the regional snapshot there', async () => {
    const { result, lab } = await scanEstate(demoGcpEstate(), {
      providers: ['gcp'],
      config: { providers: { gcp: { organizationId: ORG, regions: { include: ['europe-*', 'us-*'], exclude: ['us-central1'] } } } },
      keepOpen: true,
    });
    await lab.close();
    const listed = lab.log.entries.filter((e) => e.operation === 'regionSnapshots.list').map((e) => `${e.scope} ${e.path.split('/')[6]}`);
    expect([...new Set(listed.map((l) => l.split(' ')[1]))]).toEqual(['europe-west1']);
    expect(scopeOf(result, 'prod-payments').snapshots.map((s) => s.region)).toContain('europe-west1');
  });
});
