/** Sinks, destinations and alert policies → logging sources and alert routes (pure). */
import { describe, expect, it } from 'vitest';
import {
  alertRoutes,
  type BucketInfo,
  type LoggingContext,
  parseDestination,
  requiredSource,
  type SinkInfo,
  sinkSource,
} from '../../providers/gcp/logging.ts';
import { scanEstate } from '../support/lab.ts';
import { demoGcpEstate, ORG, scopeOf } from './support.ts';

const buckets: Record<string, BucketInfo[]> = {
  'prod-1': [
    { name: 'projects/prod-1/locations/global/buckets/_Required', retentionDays: 400, locked: true },
    { name: 'projects/prod-1/locations/global/buckets/local', retentionDays: 30, locked: false },
  ],
  central: [{ name: 'projects/central/locations/eu/buckets/archive', retentionDays: 3650, locked: true }],
};

function ctx(centralProjects: string[] = []): LoggingContext {
  return {
    projectId: 'prod-1',
    centralProjects,
    buckets: (p) => buckets[p] ?? `log buckets of project ${p} could not be read (PERMISSION_DENIED)`,
  };
}

function sink(o: Partial<SinkInfo>): SinkInfo {
  return {
    resourceName: 'projects/prod-1/sinks/s',
    name: 's',
    destination: 'logging.googleapis.com/projects/central/locations/eu/buckets/archive',
    filter: '',
    disabled: false,
    includeChildren: false,
    interceptChildren: false,
    exclusions: [],
    ...o,
  };
}

describe('GCP logging sources', () => {
  it.each([
    [
      'log bucket',
      'logging.googleapis.com/projects/c/locations/eu/buckets/b',
      { kind: 'log-bucket', projectId: 'c', bucket: 'projects/c/locations/eu/buckets/b' },
    ],
    ['project', 'logging.googleapis.com/projects/c', { kind: 'other', projectId: 'c' }],
    ['BigQuery', 'bigquery.googleapis.com/projects/c/datasets/audit', { kind: 'bigquery', projectId: 'c' }],
    ['Pub/Sub', 'pubsub.googleapis.com/projects/c/topics/t', { kind: 'pubsub', projectId: 'c' }],
    ['Cloud Storage', 'storage.googleapis.com/my-bucket', { kind: 'other', projectId: null }],
  ])('parses a %s destination', (_n, dest, expected) => {
    expect(parseDestination(dest)).toMatchObject(expected);
  });

  it('a project sink to a locked bucket in a central project is central and protected, with its retention', () => {
    expect(sinkSource(sink({}), ctx(['central']), null, null)).toMatchObject({
      recordsSnapshotCreation: 'yes',
      central: 'yes',
      integrity: 'yes',
      retentionDays: 3650,
      destinations: [{ kind: 'log-bucket', scopeId: 'central', retentionDays: 3650, locked: 'yes' }],
    });
  });

  it('without centralProjects another project is unknown, and says how to decide', () => {
    const s = sinkSource(sink({}), ctx(), null, null);
    expect(s.central).toBe('unknown');
    expect(s.reasons).toContain(
      'sink s: destination logging.googleapis.com/projects/central/locations/eu/buckets/archive is outside the project; list central log projects in providers.gcp.centralProjects to judge it',
    );
  });

  it('centralProjects decide even for aggregated sinks', () => {
    expect(sinkSource(sink({}), ctx(['elsewhere']), `organizations/${ORG}`, null).central).toBe('no');
    expect(sinkSource(sink({}), ctx(), `organizations/${ORG}`, null)).toMatchObject({
      central: 'yes',
      inherited: true,
      ownerScopeId: `organizations/${ORG}`,
    });
  });

  it('a sink to its own unlocked bucket is neither central nor protected', () => {
    const s = sinkSource(sink({ destination: 'logging.googleapis.com/projects/prod-1/locations/global/buckets/local' }), ctx(), null, null);
    expect(s).toMatchObject({ central: 'no', integrity: 'no', retentionDays: 30 });
  });

  it('an unreadable destination bucket leaves retention unknown and says why', () => {
    const s = sinkSource(sink({ destination: 'logging.googleapis.com/projects/secret/locations/global/buckets/b' }), ctx(), null, null);
    expect(s).toMatchObject({ retentionDays: null, integrity: 'unknown' });
    expect(s.reasons).toContain('sink s: log buckets of project secret could not be read (PERMISSION_DENIED)');
  });

  it('a disabled sink exports nothing; an intercepted one gets nothing', () => {
    expect(sinkSource(sink({ disabled: true }), ctx(), null, null)).toMatchObject({ enabled: 'no' });
    const s = sinkSource(sink({}), ctx(), null, 'folders/1/sinks/all');
    expect(s.recordsSnapshotCreation).toBe('no');
    expect(s.reasons).toContain('sink s: logs of the project are intercepted by folders/1/sinks/all and do not reach project sinks');
  });

  it('a sink with an unevaluable filter is unknown, not a guess', () => {
    expect(sinkSource(sink({ filter: 'SEARCH("snapshot")' }), ctx(), null, null).recordsSnapshotCreation).toBe('unknown');
  });

  it('the always-on Admin Activity record is recorded, protected, not central; unconfirmed when unreadable', () => {
    expect(requiredSource(ctx(), true)).toMatchObject({
      recordsSnapshotCreation: 'yes',
      central: 'no',
      integrity: 'yes',
      retentionDays: 400,
    });
    const unread = requiredSource(ctx(), false);
    expect(unread).toMatchObject({ enabled: 'unknown', recordsSnapshotCreation: 'unknown' });
    expect(unread.reasons[0]).toMatch(/could not be read, so even the always-on record is unconfirmed/);
  });
});

describe('GCP alert routes', () => {
  const metric = { name: 'snap', filter: 'protoPayload.methodName:("snapshots.insert" OR "disks.createSnapshot")', disabled: false };
  const policy = (enabled: boolean, filter: string) => ({
    name: 'projects/prod-1/alertPolicies/1',
    displayName: 'p',
    enabled,
    conditions: [{ name: 'projects/prod-1/alertPolicies/1/conditions/1', displayName: 'c', filter, logMatch: null, query: null }],
  });
  it('a metric with an enabled policy alerts', () => {
    expect(alertRoutes('prod-1', [metric], [policy(true, 'metric.type="logging.googleapis.com/user/snap"')]).routes).toEqual([
      expect.objectContaining({ id: 'projects/prod-1/metrics/snap', enabled: true, match: 'exact' }),
    ]);
  });
  it('a disabled policy does not count', () => {
    const r = alertRoutes('prod-1', [metric], [policy(false, 'metric.type="logging.googleapis.com/user/snap"')]).routes[0];
    expect(r).toMatchObject({ enabled: false });
    expect(r?.reasons).toContain('the alert policies using metric snap are disabled: p');
  });
  it('a policy on another metric does not count', () => {
    expect(
      alertRoutes('prod-1', [metric], [policy(true, 'metric.type="logging.googleapis.com/user/snapshots-other"')]).routes[0]?.enabled,
    ).toBe(false);
  });
  it('unrelated metrics are left out; unevaluable ones make alerting undecided', () => {
    expect(alertRoutes('prod-1', [{ name: 'errors', filter: 'severity>=ERROR', disabled: false }], []).routes).toEqual([]);
    const r = alertRoutes(
      'prod-1',
      [{ name: 'x', filter: 'SEARCH("snapshot")', disabled: false }],
      [policy(true, 'metric.type="logging.googleapis.com/user/x"')],
    );
    expect(r.undecided).toBe(true);
  });
});

describe('GCP retention', () => {
  it('fires logging.retention when the policy asks for more than the longest copy keeps', async () => {
    const { result } = await scanEstate(demoGcpEstate(), {
      providers: ['gcp'],
      config: { providers: { gcp: { organizationId: ORG } }, policy: { minRetentionDays: 730 } },
    });
    const f = scopeOf(result, 'prod-payments').findings.find((x) => x.checkId === 'logging.retention');
    expect(f?.message).toMatch(/kept for 400 day\(s\), less than the required 730/);
  });
});
