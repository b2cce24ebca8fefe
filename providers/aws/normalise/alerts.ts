/**
 * Alert routes, as pure functions: would an EventBridge rule or a CloudWatch Logs metric filter fire on the
 * CloudTrail event a snapshot creation produces? Each is tested against the simulated detection events of
 * snapshot-events.ts (CreateSnapshot, CreateSnapshots, CopySnapshot, StartSnapshot), and against unrelated control
 * events: matching a control too makes the route `broad` (it fires on a whole category, e.g. every aws.ec2 API
 * call), matching no snapshot event makes it `none`. A route that notifies nobody is not an alert: a rule without
 * targets, and a rule in a region where no trail records the events EventBridge would receive.
 */
import type { AlertRoute, RouteOperation, Tri } from '../../../src/core/model/result.ts';
import { matchEventPattern, OPAQUE, type PatternMatch, type SimObject } from './event-pattern.ts';
import { matchFilterPattern } from './metric-filter.ts';
import { detectionEvents, snapshotEventCatalogue } from '../snapshot-events.ts';

/**
 * Unrelated calls: a route that also fires on these is broad. Per event of the family, the controls of its own
 * service (`eventSource`) and the cross-service one decide: a rule on every aws.rds call is broad for CreateDBSnapshot.
 * (EBS has no management event outside the family: only the cross-service control judges StartSnapshot.)
 */
const controlEvents = [
  { source: 'aws.ec2', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances' },
  { source: 'aws.ec2', eventSource: 'ec2.amazonaws.com', eventName: 'CreateSecurityGroup' },
  { source: 'aws.rds', eventSource: 'rds.amazonaws.com', eventName: 'RebootDBInstance' },
  { source: 'aws.backup', eventSource: 'backup.amazonaws.com', eventName: 'CreateBackupSelection' },
  { source: 'aws.iam', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' },
] as const;

/** The controls of the detection verdict (the EBS creation events are EC2's and EBS's; IAM is the cross-service one). */
const detectionControls = controlEvents.filter((c) => c.source === 'aws.ec2' || c.source === 'aws.iam');

/** The CloudTrail record of a successful management write call, as a trail writes it. Unknowable fields are opaque. */
export function cloudTrailRecord(eventSource: string, eventName: string, account: string, region: string): SimObject {
  return {
    open: false,
    fields: {
      eventVersion: OPAQUE,
      userIdentity: OPAQUE,
      eventTime: OPAQUE,
      eventSource,
      eventName,
      awsRegion: region,
      sourceIPAddress: OPAQUE,
      userAgent: OPAQUE,
      requestParameters: OPAQUE,
      responseElements: OPAQUE,
      requestID: OPAQUE,
      eventID: OPAQUE,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: account,
      eventCategory: 'Management',
      tlsDetails: OPAQUE,
      sessionCredentialFromConsole: OPAQUE,
      additionalEventData: OPAQUE,
      resources: OPAQUE,
      apiVersion: OPAQUE,
      vpcEndpointId: OPAQUE,
    },
  };
}

/** The same call as EventBridge delivers it on the default bus ("AWS API Call via CloudTrail"). */
export function eventBridgeEvent(source: string, eventSource: string, eventName: string, account: string, region: string): SimObject {
  return {
    open: false,
    fields: {
      version: '0',
      id: OPAQUE,
      'detail-type': 'AWS API Call via CloudTrail',
      source,
      account,
      time: OPAQUE,
      region,
      resources: [],
      detail: cloudTrailRecord(eventSource, eventName, account, region),
    },
  };
}

/** The raw text a term pattern sees, as far as it is known. */
function knownText(record: SimObject): string {
  return JSON.stringify(Object.fromEntries(Object.entries(record.fields).filter(([, v]) => v !== OPAQUE)));
}

export interface RouteVerdict {
  match: AlertRoute['match'];
  reasons: string[];
  /** Every event of the family the route fires on, in catalogue order, each exact or broad. */
  operations: RouteOperation[];
}

type PatternTest = (source: string, eventSource: string, eventName: string) => PatternMatch;

/** The events of the whole family (snapshot-events.ts) the route fires on, broad where it fires on a control of the same service too. */
function familyOperations(test: PatternTest): RouteOperation[] {
  const fires = (c: (typeof controlEvents)[number]) => test(c.source, c.eventSource, c.eventName).matches;
  const broadFor = (eventSource: string) =>
    controlEvents.some((c) => (c.eventSource === eventSource || c.source === 'aws.iam') && fires(c));
  return snapshotEventCatalogue
    .filter((e) => test(e.busSource, e.eventSource, e.name).matches)
    .map((e) => ({ operation: e.name, match: broadFor(e.eventSource) ? 'broad' : 'exact' }));
}

function verdict(test: PatternTest): RouteVerdict {
  return { ...detectionVerdict(test), operations: familyOperations(test) };
}

function detectionVerdict(test: PatternTest): Omit<RouteVerdict, 'operations'> {
  const hits = detectionEvents.map((e) => ({ name: e.name, r: test(e.busSource, e.eventSource, e.name) }));
  const invalid = hits.find((h) => h.r.invalid)?.r.invalid;
  if (invalid) return { match: 'none', reasons: [invalid] };
  const matched = hits.filter((h) => h.r.matches);
  if (matched.length === 0) {
    const assumed = [...new Set(hits.flatMap((h) => h.r.assumptions))];
    return {
      match: 'none',
      reasons: [`does not match ${detectionEvents.map((e) => e.name).join(', ')} CloudTrail events`, ...assumed.map((a) => `assumes ${a}`)],
    };
  }
  const broadBy = detectionControls.filter((c) => test(c.source, c.eventSource, c.eventName).matches).map((c) => c.eventName);
  const missed = hits.filter((h) => !h.r.matches).map((h) => h.name);
  const assumptions = [...new Set(matched.flatMap((h) => h.r.assumptions))];
  const reasons = [
    ...(broadBy.length ? [`also matches unrelated calls such as ${broadBy.join(', ')}`] : []),
    ...(missed.length ? [`does not match ${missed.join(', ')}`] : []),
    ...assumptions.map((a) => `assumes ${a}`),
  ];
  return { match: broadBy.length ? 'broad' : 'exact', reasons };
}

export interface RuleFacts {
  Name?: string | undefined;
  Arn?: string | undefined;
  EventPattern?: string | undefined;
  State?: string | undefined;
  ScheduleExpression?: string | undefined;
}

/**
 * One EventBridge rule as an alert route. `targets` is the number of targets the rule has (null: not read, or not
 * asked because the rule does not match): a matching rule without targets notifies nobody.
 */
export function ruleRoute(rule: RuleFacts, account: string, region: string, targets: number | null): AlertRoute {
  const name = rule.Name ?? '?';
  const enabled = rule.State !== 'DISABLED';
  let v: RouteVerdict;
  if (!rule.EventPattern)
    v = {
      match: 'none',
      reasons: [rule.ScheduleExpression ? 'scheduled rule without an event pattern' : 'rule has no event pattern'],
      operations: [],
    };
  else {
    const pattern = rule.EventPattern;
    v = verdict((source, eventSource, eventName) =>
      matchEventPattern(pattern, eventBridgeEvent(source, eventSource, eventName, account, region)),
    );
  }
  const reasons = [...v.reasons];
  let match = v.match;
  let operations = v.operations;
  if (!enabled) reasons.unshift('rule is disabled');
  if ((match !== 'none' || operations.length > 0) && targets === 0) {
    match = 'none';
    operations = [];
    reasons.unshift('rule has no targets: nothing is notified');
  }
  return {
    id: rule.Arn ?? `arn:aws:events:${region}:${account}:rule/${name}`,
    kind: 'eventbridge-rule',
    name,
    region,
    enabled,
    match,
    reasons,
    operations,
  };
}

/** The documented rule behind `gateRulesByRecording`. */
export const EVENTBRIDGE_NEEDS_TRAIL = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html';

/**
 * EventBridge receives "AWS API Call via CloudTrail" events only where a trail with logging enabled records them,
 * and a rule acts only on the events of its own region (EVENTBRIDGE_NEEDS_TRAIL): in a region no recording trail
 * covers, a matching rule is not an alert. `recorded` is the region's recording verdict (unknown when the trails
 * could not be read: the rule keeps its match, with the reason).
 */
export function gateRulesByRecording(routes: readonly AlertRoute[], recorded: (region: string) => Tri): AlertRoute[] {
  return routes.map((r) => {
    if (r.kind !== 'eventbridge-rule' || (r.match === 'none' && !r.operations?.length)) return r;
    const state = recorded(r.region);
    if (state === 'yes') return r;
    if (state === 'unknown')
      return { ...r, reasons: [...r.reasons, `whether a trail records snapshot events in ${r.region} could not be read`] };
    return {
      ...r,
      match: 'none',
      operations: [],
      reasons: [`no trail records snapshot events in ${r.region}: EventBridge receives no CloudTrail events to match`, ...r.reasons],
    };
  });
}

export interface MetricFilterFacts {
  filterName?: string | undefined;
  filterPattern?: string | undefined;
  logGroupName?: string | undefined;
  metricTransformations?: Array<{ metricName?: string | undefined; metricNamespace?: string | undefined }> | undefined;
}

/**
 * One metric filter on a trail's log group as an alert route. It sees what the trail delivers: every region for a
 * multi-region trail (`*`), else the trail's home region; it is enabled only while the trail records.
 */
export function metricFilterRoute(
  f: MetricFilterFacts,
  logGroupArn: string,
  trail: { name: string; region: string; recording: boolean },
  account: string,
): AlertRoute {
  const name = f.filterName ?? '?';
  const homeRegion = logGroupArn.split(':')[3] ?? trail.region;
  const v = verdict((_source, eventSource, eventName) => {
    const record = cloudTrailRecord(eventSource, eventName, account, homeRegion);
    return matchFilterPattern(f.filterPattern ?? '', record, knownText(record));
  });
  const metrics = (f.metricTransformations ?? []).map((m) => `${m.metricNamespace}/${m.metricName}`);
  const reasons = [
    `metric filter on log group ${f.logGroupName ?? logGroupArn} of trail ${trail.name}`,
    ...(trail.recording ? [] : [`trail ${trail.name} does not deliver snapshot events`]),
    ...v.reasons,
    ...(v.match !== 'none' && metrics.length ? [`an alarm on ${metrics.join(', ')} is not verified`] : []),
  ];
  return {
    id: `${logGroupArn.replace(/:\*$/, '')}:metric-filter:${name}`,
    kind: 'metric-filter',
    name,
    region: trail.region,
    enabled: trail.recording,
    match: v.match,
    reasons,
    operations: trail.recording ? v.operations : [],
  };
}
