/** Sinks, destinations and alert policies → logging sources and alert routes (pure). */
import { describe, expect, it } from 'vitest';
import {
  alertRoutes,
  type BucketInfo,
  type ChannelLookup,
  type Interception,
  interception,
  interceptedRoutes,
  type LoggingContext,
  parseDestination,
  requiredSource,
  type SinkInfo,
  sinkSource,
} from '../../providers/gcp/normalise/logging.ts';
import { scanEstate } from '../support/lab.ts';
import { demoGcpEstate, ORG, scopeOf } from './support.ts';

const NONE: Interception = { intercepted: 'no', by: [] };
const channels: ChannelLookup = new Map([
  ['projects/prod-1/notificationChannels/oncall', { enabled: true, displayName: 'Security on-call' }],
  ['projects/prod-1/notificationChannels/muted', { enabled: false, displayName: 'Muted' }],
]);

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
    expect(sinkSource(sink({}), ctx(['central']), null, NONE)).toMatchObject({
      recordsSnapshotCreation: 'yes',
      central: 'yes',
      integrity: 'yes',
      retentionDays: 3650,
      destinations: [{ kind: 'log-bucket', scopeId: 'central', retentionDays: 3650, locked: 'yes' }],
    });
  });

  it('without centralProjects another project is unknown, and says how to decide', () => {
    const s = sinkSource(sink({}), ctx(), null, NONE);
    expect(s.central).toBe('unknown');
    expect(s.reasons).toContain(
      'sink s: destination logging.googleapis.com/projects/central/locations/eu/buckets/archive is outside the project; list central log projects in providers.gcp.centralProjects to judge it',
    );
  });

  it('centralProjects decide even for aggregated sinks', () => {
    expect(sinkSource(sink({}), ctx(['elsewhere']), `organizations/${ORG}`, NONE).central).toBe('no');
    expect(sinkSource(sink({}), ctx(), `organizations/${ORG}`, NONE)).toMatchObject({
      central: 'yes',
      inherited: true,
      ownerScopeId: `organizations/${ORG}`,
    });
  });

  it('a sink to its own unlocked bucket is neither central nor protected', () => {
    const s = sinkSource(sink({ destination: 'logging.googleapis.com/projects/prod-1/locations/global/buckets/local' }), ctx(), null, NONE);
    expect(s).toMatchObject({ central: 'no', integrity: 'no', retentionDays: 30 });
  });

  it('an unreadable destination bucket leaves retention unknown and says why', () => {
    const s = sinkSource(sink({ destination: 'logging.googleapis.com/projects/secret/locations/global/buckets/b' }), ctx(), null, NONE);
    expect(s).toMatchObject({ retentionDays: null, integrity: 'unknown' });
    expect(s.reasons).toContain('sink s: log buckets of project secret could not be read (PERMISSION_DENIED)');
  });

  it('a disabled sink exports nothing; an intercepted one gets nothing', () => {
    expect(sinkSource(sink({ disabled: true }), ctx(), null, NONE)).toMatchObject({ enabled: 'no' });
    const s = sinkSource(sink({}), ctx(), null, { intercepted: 'yes', by: ['folders/1/sinks/all'] });
    expect(s.recordsSnapshotCreation).toBe('no');
    expect(s.reasons).toContain('sink s: snapshot-creation entries are intercepted by folders/1/sinks/all and never reach it');
  });

  // https://cloud.google.com/logging/docs/export/aggregated_sinks_overview: an intercepting sink keeps the entries it
  // routes from the sinks of child resources (except _Required) and from their log-based metrics and alerts.
  it('an intercepting sink intercepts only what its filter and exclusions let through', () => {
    const at = (o: Partial<Parameters<typeof sink>[0]>) =>
      sink({ resourceName: 'folders/1/sinks/all', includeChildren: true, interceptChildren: true, ...o });
    expect(interception([at({ filter: 'LOG_ID("cloudaudit.googleapis.com/activity")' })], 'prod-1')).toEqual({
      intercepted: 'yes',
      by: ['folders/1/sinks/all'],
    });
    expect(interception([at({ filter: 'LOG_ID("cloudaudit.googleapis.com/data_access")' })], 'prod-1').intercepted).toBe('no');
    expect(interception([at({ filter: 'SEARCH("x")' })], 'prod-1').intercepted).toBe('unknown');
    expect(interception([at({ disabled: true })], 'prod-1').intercepted).toBe('no');
    expect(interception([at({ interceptChildren: false })], 'prod-1').intercepted).toBe('no');
  });

  it("intercepted entries never reach the project's log-based metrics or log-match alerts", () => {
    const metric = {
      name: 'snap',
      filter: 'protoPayload.methodName:("snapshots.insert" OR "disks.createSnapshot" OR "images.insert" OR "setIamPolicy")',
      disabled: false,
    };
    const policy = {
      name: 'projects/prod-1/alertPolicies/1',
      displayName: 'p',
      enabled: true,
      notificationChannels: ['projects/prod-1/notificationChannels/oncall'],
      conditions: [{ name: 'c1', displayName: 'c', filter: 'metric.type="logging.googleapis.com/user/snap"', logMatch: null, query: null }],
    };
    const routes = alertRoutes('prod-1', [metric], [policy], channels);
    const cut = interceptedRoutes(routes, { intercepted: 'yes', by: ['folders/1/sinks/all'] });
    expect(cut.routes[0]).toMatchObject({ match: 'none' });
    expect(cut.routes[0]?.reasons.at(-1)).toBe(
      'snapshot-creation entries are intercepted by folders/1/sinks/all: log-based metrics and log-match alerts of the project never see them',
    );
    expect(interceptedRoutes(routes, { intercepted: 'unknown', by: ['folders/1/sinks/all'] }).undecided).toBe(true);
    expect(interceptedRoutes(routes, NONE)).toEqual(routes);
  });

  it('a sink with an unevaluable filter is unknown, not a guess', () => {
    expect(sinkSource(sink({ filter: 'SEARCH("snapshot")' }), ctx(), null, NONE).recordsSnapshotCreation).toBe('unknown');
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
  const metric = {
    name: 'snap',
    filter: 'protoPayload.methodName:("snapshots.insert" OR "disks.createSnapshot" OR "images.insert" OR "setIamPolicy")',
    disabled: false,
  };
  const policy = (enabled: boolean, filter: string, notificationChannels = ['projects/prod-1/notificationChannels/oncall']) => ({
    name: 'projects/prod-1/alertPolicies/1',
    displayName: 'p',
    enabled,
    notificationChannels,
    conditions: [{ name: 'projects/prod-1/alertPolicies/1/conditions/1', displayName: 'c', filter, logMatch: null, query: null }],
  });
  const on = 'metric.type="logging.googleapis.com/user/snap"';

  // One rule for every cloud: an alert that notifies nobody is not alerting. A policy notifies through its
  // notification channels (https://cloud.google.com/monitoring/alerts/using-alerting-ui#create-policy, "Notifications").
  it.each([
    ['no channel at all', [], channels, false, 'alert policy "p" has no notification channel: it notifies nobody'],
    [
      'only a disabled channel',
      ['projects/prod-1/notificationChannels/muted'],
      channels,
      false,
      'alert policy "p" notifies nobody: its notification channels are disabled or deleted (projects/prod-1/notificationChannels/muted)',
    ],
    [
      'a deleted channel',
      ['projects/prod-1/notificationChannels/gone'],
      channels,
      false,
      'alert policy "p" notifies nobody: its notification channels are disabled or deleted (projects/prod-1/notificationChannels/gone)',
    ],
    ['an enabled channel', ['projects/prod-1/notificationChannels/oncall'], channels, true, 'alert policy "p" notifies Security on-call'],
  ] as const)('a policy with %s alerts: %s', (_n, list, ch, enabled, reason) => {
    const r = alertRoutes('prod-1', [metric], [policy(true, on, [...list])], ch).routes[0];
    expect(r?.enabled).toBe(enabled);
    expect(r?.reasons).toContain(reason);
  });
  it('channels that could not be read leave alerting undecided', () => {
    const r = alertRoutes('prod-1', [metric], [policy(true, on)], null);
    expect(r.routes[0]?.enabled).toBe(false);
    expect(r.undecided).toBe(true);
  });
  it('a metric with an enabled policy alerts', () => {
    expect(alertRoutes('prod-1', [metric], [policy(true, 'metric.type="logging.googleapis.com/user/snap"')], channels).routes).toEqual([
      expect.objectContaining({ id: 'projects/prod-1/metrics/snap', enabled: true, match: 'exact' }),
    ]);
  });
  it('a disabled policy does not count', () => {
    const r = alertRoutes('prod-1', [metric], [policy(false, 'metric.type="logging.googleapis.com/user/snap"')], channels).routes[0];
    expect(r).toMatchObject({ enabled: false });
    expect(r?.reasons).toContain('the alert policies using metric snap are disabled: p');
  });
  it('a policy on another metric does not count', () => {
    expect(
      alertRoutes('prod-1', [metric], [policy(true, 'metric.type="logging.googleapis.com/user/snapshots-other"')], channels).routes[0]
        ?.enabled,
    ).toBe(false);
  });
  it('unrelated metrics are left out; unevaluable ones make alerting undecided', () => {
    expect(alertRoutes('prod-1', [{ name: 'errors', filter: 'severity>=ERROR', disabled: false }], [], channels).routes).toEqual([]);
    const r = alertRoutes(
      'prod-1',
      [{ name: 'x', filter: 'SEARCH("snapshot")', disabled: false }],
      [policy(true, 'metric.type="logging.googleapis.com/user/x"')],
      channels,
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

describe('GCP intercepting aggregated sinks, through the lab', () => {
  it('reads interceptChildren from the REST answer: the project sinks and metrics below an intercepting folder sink get nothing', async () => {
    const estate = demoGcpEstate((gcp) => {
      const folders = gcp.folders as Array<Record<string, unknown>>;
      const production = folders.find((f) => f.name === 'Production') as Record<string, unknown>;
      production.sinks = [
        {
          name: 'prod-audit-intercept',
          destination: 'logging.googleapis.com/projects/logging-central/locations/global/buckets/org-audit',
          filter: 'LOG_ID("cloudaudit.googleapis.com/activity")',
          includeChildren: true,
          interceptChildren: true,
        },
      ];
    });
    const { result } = await scanEstate(estate, { providers: ['gcp'], config: { providers: { gcp: { organizationId: ORG } } } });
    const web = scopeOf(result, 'prod-web').logging.sources.find((s) => s.id === 'projects/prod-web/sinks/audit-local');
    expect(web?.reasons).toContain(
      'sink audit-local: snapshot-creation entries are intercepted by folders/200000000001/sinks/prod-audit-intercept and never reach it',
    );
    const payments = scopeOf(result, 'prod-payments');
    expect(payments.logging.alerts.map((a) => [a.id, a.match])).toEqual([['projects/prod-payments/metrics/snapshot-creation', 'none']]);
    expect(payments.logging.regions[0]).toMatchObject({ recorded: 'yes', alerted: 'none' });
    // Outside the folder, nothing is intercepted.
    expect(scopeOf(result, 'dev-sandbox').logging.sources.every((s) => !s.reasons.some((r) => r.includes('intercepted')))).toBe(true);
  });
});
