/**
 * Alert routes, table-driven: would this EventBridge pattern / metric filter fire on snapshot creation?
 * One generated test per case.
 */
import { describe, expect, it } from 'vitest';
import { metricFilterRoute, ruleRoute } from '../../providers/aws/normalise/alerts.ts';

const ACCT = '222222222222';
const REGION = 'eu-west-1';

const snap = {
  source: ['aws.ec2'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: { eventSource: ['ec2.amazonaws.com'], eventName: ['CreateSnapshot', 'CreateSnapshots', 'CopySnapshot'] },
};

const ruleCases: Array<{ name: string; pattern: unknown; match: 'exact' | 'broad' | 'none'; reason?: RegExp }> = [
  { name: 'exact names of all three events', pattern: snap, match: 'exact' },
  { name: 'CreateVolume only', pattern: { ...snap, detail: { eventName: ['CreateVolume'] } }, match: 'none', reason: /does not match/ },
  {
    name: 'CreateSnapshot only still counts, naming what it misses',
    pattern: { source: ['aws.ec2'], detail: { eventName: ['CreateSnapshot'] } },
    match: 'exact',
    reason: /does not match CreateSnapshots, CopySnapshot/,
  },
  { name: 'every aws.ec2 event is broad', pattern: { source: ['aws.ec2'] }, match: 'broad', reason: /RunInstances/ },
  {
    name: 'every CloudTrail API call is broad',
    pattern: { 'detail-type': ['AWS API Call via CloudTrail'] },
    match: 'broad',
  },
  { name: 'wrong source', pattern: { source: ['aws.s3'], detail: { eventName: ['CreateSnapshot'] } }, match: 'none' },
  {
    name: 'prefix on the name',
    pattern: { detail: { eventSource: ['ec2.amazonaws.com'], eventName: [{ prefix: 'CreateSnap' }] } },
    match: 'exact',
  },
  {
    name: 'prefix Create also catches unrelated calls',
    pattern: { source: ['aws.ec2'], detail: { eventName: [{ prefix: 'Create' }] } },
    match: 'broad',
  },
  { name: 'suffix Snapshot', pattern: { source: ['aws.ec2'], detail: { eventName: [{ suffix: 'Snapshot' }] } }, match: 'exact' },
  {
    name: 'equals-ignore-case',
    pattern: { detail: { eventName: [{ 'equals-ignore-case': 'createsnapshot' }] } },
    match: 'exact',
  },
  { name: 'wildcard *Snapshot*', pattern: { source: ['aws.ec2'], detail: { eventName: [{ wildcard: '*Snapshot*' }] } }, match: 'exact' },
  {
    name: 'anything-but read calls on ec2 is broad',
    pattern: { source: ['aws.ec2'], detail: { eventName: [{ 'anything-but': { prefix: 'Describe' } }] } },
    match: 'broad',
  },
  {
    name: 'anything-but the snapshot names matches none of them',
    pattern: { source: ['aws.ec2'], detail: { eventName: [{ 'anything-but': ['CreateSnapshot', 'CreateSnapshots', 'CopySnapshot'] }] } },
    match: 'none',
    reason: /does not match CreateSnapshot, CreateSnapshots, CopySnapshot/,
  },
  {
    name: 'excluding the backup role (unknowable identity) still counts, with the assumption',
    pattern: {
      ...snap,
      detail: { ...snap.detail, userIdentity: { arn: [{ 'anything-but': { prefix: 'arn:aws:sts::222222222222:assumed-role/backup' } }] } },
    },
    match: 'exact',
    reason: /assumes detail\.userIdentity\.arn is not/,
  },
  {
    name: 'root user only is a subset: does not count',
    pattern: { ...snap, detail: { ...snap.detail, userIdentity: { type: ['Root'] } } },
    match: 'none',
  },
  {
    name: 'successful calls only (errorCode absent)',
    pattern: { ...snap, detail: { ...snap.detail, errorCode: [{ exists: false }] } },
    match: 'exact',
  },
  {
    name: 'errorCode must exist: failed calls only',
    pattern: { ...snap, detail: { ...snap.detail, errorCode: [{ exists: true }] } },
    match: 'none',
  },
  {
    name: 'readOnly false',
    pattern: { source: ['aws.ec2'], detail: { readOnly: [false], eventName: ['CreateSnapshot'] } },
    match: 'exact',
  },
  { name: 'readOnly true', pattern: { source: ['aws.ec2'], detail: { readOnly: [true] } }, match: 'none' },
  {
    name: '$or of a snapshot branch and a volume branch',
    pattern: { source: ['aws.ec2'], $or: [{ detail: { eventName: ['CreateSnapshot'] } }, { detail: { eventName: ['CreateVolume'] } }] },
    match: 'exact',
  },
  { name: 'another account', pattern: { ...snap, account: ['999999999999'] }, match: 'none' },
  { name: 'this account and region', pattern: { ...snap, account: [ACCT], region: [REGION] }, match: 'exact' },
  { name: 'another region', pattern: { ...snap, region: ['us-east-1'] }, match: 'none' },
  {
    name: 'numeric on an unknowable field',
    pattern: { ...snap, detail: { ...snap.detail, requestParameters: { size: [{ numeric: ['>', 100] }] } } },
    match: 'none',
  },
  { name: 'a value not in a list is invalid', pattern: { source: 'aws.ec2' }, match: 'none', reason: /values must be in a list/ },
  { name: 'unknown operator is invalid', pattern: { source: [{ 'starts-with': 'aws' }] }, match: 'none', reason: /unknown matcher/ },
  { name: 'not JSON', pattern: '{"source": [', match: 'none', reason: /not valid JSON/ },
];

describe('EventBridge rule patterns against snapshot creation', () => {
  for (const c of ruleCases) {
    it(c.name, () => {
      const route = ruleRoute(
        {
          Name: 'r',
          Arn: `arn:aws:events:${REGION}:${ACCT}:rule/r`,
          State: 'ENABLED',
          EventPattern: typeof c.pattern === 'string' ? c.pattern : JSON.stringify(c.pattern),
        },
        ACCT,
        REGION,
        1,
      );
      expect(route.match).toBe(c.match);
      if (c.reason) expect(route.reasons.join(' | ')).toMatch(c.reason);
    });
  }

  it('a disabled rule is reported as disabled (and regionLogging ignores it)', () => {
    const route = ruleRoute({ Name: 'r', State: 'DISABLED', EventPattern: JSON.stringify(snap) }, ACCT, REGION, 1);
    expect(route).toMatchObject({ enabled: false, match: 'exact' });
    expect(route.reasons[0]).toBe('rule is disabled');
  });

  it('a matching rule without targets notifies nobody', () => {
    const route = ruleRoute({ Name: 'r', State: 'ENABLED', EventPattern: JSON.stringify(snap) }, ACCT, REGION, 0);
    expect(route.match).toBe('none');
    expect(route.reasons[0]).toMatch(/no targets/);
  });

  it('a scheduled rule has no pattern', () => {
    expect(ruleRoute({ Name: 'nightly', State: 'ENABLED', ScheduleExpression: 'rate(1 day)' }, ACCT, REGION, null).match).toBe('none');
  });
});

const filterCases: Array<{ name: string; pattern: string; match: 'exact' | 'broad' | 'none'; reason?: RegExp }> = [
  {
    name: 'JSON names',
    pattern: '{ ($.eventName = CreateSnapshot) || ($.eventName = CreateSnapshots) || ($.eventName = CopySnapshot) }',
    match: 'exact',
  },
  { name: 'quoted with source', pattern: '{ ($.eventSource = "ec2.amazonaws.com") && ($.eventName = "CreateSnapshot") }', match: 'exact' },
  { name: 'wildcard value', pattern: '{ $.eventName = "*Snapshot*" }', match: 'exact' },
  { name: 'every ec2 write is broad', pattern: '{ ($.eventSource = ec2.amazonaws.com) && ($.readOnly IS FALSE) }', match: 'broad' },
  { name: 'CreateVolume only', pattern: '{ $.eventName = CreateVolume }', match: 'none' },
  { name: 'root only is a subset', pattern: '{ ($.eventName = CreateSnapshot) && ($.userIdentity.type = "Root") }', match: 'none' },
  {
    name: 'not the backup role',
    pattern: '{ ($.eventName = CreateSnapshot) && ($.userIdentity.arn != "*backup*") }',
    match: 'exact',
    reason: /assumes/,
  },
  { name: 'successful only', pattern: '{ ($.eventName = CreateSnapshot) && ($.errorCode NOT EXISTS) }', match: 'exact' },
  { name: 'regex', pattern: '{ $.eventName = %^(Create|Copy)Snapshots?$% }', match: 'exact' },
  { name: 'term', pattern: 'CreateSnapshot', match: 'exact' },
  {
    name: 'any of terms',
    pattern: '?CopySnapshot ?CreateVolume',
    match: 'exact',
    reason: /does not match CreateSnapshot, CreateSnapshots/,
  },
  { name: 'term with exclusion', pattern: 'ec2.amazonaws.com -Describe', match: 'broad' },
  { name: 'empty pattern matches every event', pattern: '', match: 'broad' },
  { name: 'space-delimited does not apply', pattern: '[ip, user, ...]', match: 'none', reason: /space-delimited/ },
  { name: 'broken JSON pattern', pattern: '{ ($.eventName = CreateSnapshot }', match: 'none', reason: /invalid filter pattern/ },
];

describe('CloudWatch Logs metric filters against snapshot creation', () => {
  const lg = `arn:aws:logs:${REGION}:${ACCT}:log-group:trail-logs:*`;
  for (const c of filterCases) {
    it(c.name, () => {
      const route = metricFilterRoute(
        {
          filterName: 'f',
          filterPattern: c.pattern,
          logGroupName: 'trail-logs',
          metricTransformations: [{ metricName: 'M', metricNamespace: 'N' }],
        },
        lg,
        { name: 'main', region: '*', recording: true },
        ACCT,
      );
      expect(route.match).toBe(c.match);
      expect(route.region).toBe('*');
      if (c.reason) expect(route.reasons.join(' | ')).toMatch(c.reason);
    });
  }

  it('is disabled when the trail does not record', () => {
    const route = metricFilterRoute(
      { filterName: 'f', filterPattern: 'CreateSnapshot' },
      lg,
      { name: 'main', region: REGION, recording: false },
      ACCT,
    );
    expect(route).toMatchObject({
      enabled: false,
      region: REGION,
      id: `arn:aws:logs:${REGION}:${ACCT}:log-group:trail-logs:metric-filter:f`,
    });
  });
});

describe('EventBridge rule patterns, per event of the snapshot family', () => {
  const route = (pattern: unknown) =>
    ruleRoute(
      { Name: 'r', Arn: `arn:aws:events:${REGION}:${ACCT}:rule/r`, State: 'ENABLED', EventPattern: JSON.stringify(pattern) },
      ACCT,
      REGION,
      1,
    );
  const ops = (pattern: unknown) => Object.fromEntries((route(pattern).operations ?? []).map((o) => [o.operation, o.match]));

  // Patterns match on the event's fields (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html).
  it('a rule naming RDS share events fires on exactly those, though it misses snapshot creation', () => {
    const r = route({ source: ['aws.rds'], detail: { eventName: ['ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute'] } });
    expect(r.match).toBe('none');
    expect(r.operations).toEqual([
      { operation: 'ModifyDBSnapshotAttribute', match: 'exact' },
      { operation: 'ModifyDBClusterSnapshotAttribute', match: 'exact' },
    ]);
  });

  it('every aws.rds call is broad for the RDS events and silent on EC2', () => {
    const o = ops({ source: ['aws.rds'] });
    expect(o.CreateDBSnapshot).toBe('broad');
    expect(o.StartExportTask).toBe('broad');
    expect(o.CreateSnapshot).toBeUndefined();
  });

  it('every CloudTrail API call is broad for every event of the family', () => {
    const o = ops({ 'detail-type': ['AWS API Call via CloudTrail'] });
    expect(new Set(Object.values(o))).toEqual(new Set(['broad']));
    expect(Object.keys(o)).toEqual(expect.arrayContaining(['StartSnapshot', 'CopyImage', 'StartCopyJob', 'PutBackupVaultAccessPolicy']));
  });

  it('a rule without targets fires on nothing, per event too', () => {
    const r = ruleRoute({ Name: 'r', State: 'ENABLED', EventPattern: JSON.stringify({ source: ['aws.backup'] }) }, ACCT, REGION, 0);
    expect(r.operations).toEqual([]);
  });
});
