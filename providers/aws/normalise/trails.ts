/**
 * CloudTrail posture, as pure functions: does a trail record snapshot creation (management write events from
 * ec2.amazonaws.com), which regions does it cover, is it central and protected. The adapter feeds them SDK shapes.
 */
import type { AdvancedEventSelector, EventSelector, Trail } from '@aws-sdk/client-cloudtrail';
import type { LoggingSource, Tri } from '../../../src/core/model/result.ts';
import { detectionEvents, type SnapshotEvent } from '../snapshot-events.ts';
import type { TrailHealth } from './trail-health.ts';

interface SimEvent {
  eventCategory: string;
  readOnly: string;
  eventSource: string;
  eventName: string;
  eventType: string;
  /** Data events: the resource type the event is about. */
  resourcesType?: string;
}

function simEvent(e: SnapshotEvent): SimEvent {
  return { eventCategory: 'Management', readOnly: 'false', eventSource: e.eventSource, eventName: e.name, eventType: 'AwsApiCall' };
}

export interface SelectorVerdict {
  records: Tri;
  reasons: string[];
}

/** Basic selectors: a management selector that includes writes and does not exclude the ec2 event source. */
export function basicSelectorsRecord(selectors: readonly EventSelector[]): SelectorVerdict {
  const reasons: string[] = [];
  for (const s of selectors) {
    const includes = s.IncludeManagementEvents ?? true;
    const rw = s.ReadWriteType ?? 'All';
    const excluded = (s.ExcludeManagementEventSources ?? []).includes('ec2.amazonaws.com');
    if (!includes) reasons.push('event selector excludes management events');
    else if (rw === 'ReadOnly') reasons.push('event selector records read-only events only');
    else if (excluded) reasons.push('event selector excludes the ec2.amazonaws.com event source');
    else return { records: 'yes', reasons: [] };
  }
  if (selectors.length === 0) reasons.push('trail has no event selectors');
  return { records: 'no', reasons: [...new Set(reasons)] };
}

function fieldValue(ev: SimEvent, field: string): string | null {
  switch (field) {
    case 'eventCategory':
      return ev.eventCategory;
    case 'readOnly':
      return ev.readOnly;
    case 'eventSource':
      return ev.eventSource;
    case 'eventName':
      return ev.eventName;
    case 'eventType':
      return ev.eventType;
    case 'resources.type':
      return ev.resourcesType ?? null;
    default:
      return null;
  }
}

/** Does one advanced selector (all its field selectors AND-ed) match the event? */
function advancedMatches(sel: AdvancedEventSelector, ev: SimEvent): boolean {
  return (sel.FieldSelectors ?? []).every((f) => {
    const v = fieldValue(ev, f.Field ?? '');
    if (v === null) return !f.Field?.startsWith('resources.');
    if (f.Equals && !f.Equals.includes(v)) return false;
    if (f.NotEquals?.includes(v)) return false;
    if (f.StartsWith && !f.StartsWith.some((p) => v.startsWith(p))) return false;
    if (f.NotStartsWith?.some((p) => v.startsWith(p))) return false;
    if (f.EndsWith && !f.EndsWith.some((p) => v.endsWith(p))) return false;
    if (f.NotEndsWith?.some((p) => v.endsWith(p))) return false;
    return true;
  });
}

/** Advanced selectors are OR-ed; every snapshot event must get through for a full "yes". */
export function advancedSelectorsRecord(selectors: readonly AdvancedEventSelector[]): SelectorVerdict {
  const missed = detectionEvents.filter((e) => !selectors.some((s) => advancedMatches(s, simEvent(e)))).map((e) => e.name);
  if (missed.length === 0) return { records: 'yes', reasons: [] };
  const mgmt = selectors.filter((s) =>
    (s.FieldSelectors ?? []).some((f) => f.Field === 'eventCategory' && f.Equals?.includes('Management')),
  );
  const reasons =
    mgmt.length === 0
      ? ['advanced event selectors record no management events']
      : mgmt.some((s) => (s.FieldSelectors ?? []).some((f) => f.Field === 'readOnly' && f.Equals?.includes('true')))
        ? ['advanced event selectors record read-only management events only']
        : [`advanced event selectors do not record ${missed.join(', ')}`];
  return { records: 'no', reasons };
}

/**
 * Reads of a snapshot's blocks through the EBS direct APIs (ListSnapshotBlocks, ListChangedBlocks, GetSnapshotBlock)
 * are CloudTrail data events: a trail records them only with an advanced event selector on `eventCategory` Data and
 * `resources.type` AWS::EC2::Snapshot; basic event selectors cannot select them
 * (https://docs.aws.amazon.com/ebs/latest/userguide/logging-ebs-apis-using-cloudtrail.html,
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html). Data events
 * are charged per event recorded, which is why trails often leave them out.
 */
export const blockReadEvents = ['ListSnapshotBlocks', 'ListChangedBlocks', 'GetSnapshotBlock'] as const;

function blockReadEvent(name: string): SimEvent {
  return {
    eventCategory: 'Data',
    readOnly: 'true',
    eventSource: 'ebs.amazonaws.com',
    eventName: name,
    eventType: 'AwsApiCall',
    resourcesType: 'AWS::EC2::Snapshot',
  };
}

/** Do the trail's selectors record every EBS direct block read of every snapshot? */
export function blockReadsRecord(advanced: readonly AdvancedEventSelector[] | null): SelectorVerdict {
  if (!advanced || advanced.length === 0)
    return { records: 'no', reasons: ['no advanced event selector records data events on AWS::EC2::Snapshot (basic selectors cannot)'] };
  const missed = blockReadEvents.filter((n) => !advanced.some((s) => advancedMatches(s, blockReadEvent(n))));
  if (missed.length === 0) return { records: 'yes', reasons: [] };
  return {
    records: 'no',
    reasons: [`advanced event selectors do not record the EBS direct API reads ${missed.join(', ')} on every snapshot`],
  };
}

export interface TrailFacts {
  trail: Trail;
  /** Account that owns the trail (from its ARN). */
  ownerAccountId: string;
  isLogging: Tri;
  selectors: SelectorVerdict;
  /** Delivery health from GetTrailStatus (normalise/trail-health.ts). */
  health: TrailHealth;
}

export function accountOfArn(arn: string | undefined): string | null {
  return arn?.split(':')[4] || null;
}

/** Where a trail's S3 bucket lives, as far as the scanner can tell (DescribeTrails does not name its account). */
export interface BucketPlacement {
  /** The bucket's account, when known. */
  scopeId: string | null;
  central: Tri;
  reason: string | null;
}

/**
 * Is the trail's bucket central? An organisation trail is. Otherwise the config decides: a bucket matching
 * `centralBuckets`, or whose name carries a log-archive account id (`logArchiveAccounts`, or another account of the
 * organisation), is central; one whose name carries the trail's own account id is not. Without such evidence the
 * bucket is taken to be in the trail's own account, and the reason says how to teach the scanner otherwise.
 */
export function bucketPlacement(
  trail: Trail,
  ownerAccountId: string,
  central: { buckets: readonly string[]; logArchiveAccounts: readonly string[]; orgAccounts: ReadonlySet<string> | null },
  matches: (pattern: string, value: string) => boolean,
): BucketPlacement {
  const bucket = trail.S3BucketName ?? '';
  const ids: string[] = bucket.match(/(?<!\d)\d{12}(?!\d)/g) ?? [];
  const archive = ids.find((id) => central.logArchiveAccounts.includes(id));
  if (archive) return { scopeId: archive, central: 'yes', reason: null };
  if (central.buckets.some((p) => matches(p, bucket))) return { scopeId: null, central: 'yes', reason: null };
  const other = ids.find((id) => id !== ownerAccountId && (central.orgAccounts?.has(id) ?? false));
  if (other) return { scopeId: other, central: 'yes', reason: null };
  if (trail.IsOrganizationTrail) return { scopeId: ids[0] ?? null, central: 'yes', reason: null };
  if (ids.includes(ownerAccountId))
    return { scopeId: ownerAccountId, central: 'no', reason: `trail ${trail.Name} delivers to bucket ${bucket} in its own account` };
  return {
    scopeId: ownerAccountId,
    central: 'no',
    reason: `trail ${trail.Name} delivers to bucket ${bucket}, taken to be in its own account (list log-archive buckets in providers.aws.centralBuckets or accounts in providers.aws.logArchiveAccounts)`,
  };
}

/** What the trail's CloudWatch Logs log group says, when it was read. */
export interface LogGroupFacts {
  /** null: never expires, or not read (see `read`). */
  retentionDays: number | null;
  read: boolean;
  reason: string | null;
}

/** Builds the neutral logging source for one trail, seen from `scopeAccountId`. */
export function trailSource(
  f: TrailFacts,
  scopeAccountId: string,
  enabledRegions: readonly string[],
  bucket: BucketPlacement,
  logGroup: LogGroupFacts | null,
): LoggingSource {
  const t = f.trail;
  const multi = t.IsMultiRegionTrail === true;
  const inherited = f.ownerAccountId !== scopeAccountId;
  const reasons: string[] = [...f.health.health.problems.filter((p) => !p.includes('(IsLogging false)')), ...f.selectors.reasons];
  if (f.isLogging === 'no') reasons.push(`trail ${t.Name} is not logging (stopped)`);
  if (!multi) reasons.push(`trail ${t.Name} is single-region (${t.HomeRegion})`);
  if (bucket.reason) reasons.push(bucket.reason);
  const validation: Tri = t.LogFileValidationEnabled === true ? 'yes' : t.LogFileValidationEnabled === false ? 'no' : 'unknown';
  if (validation === 'no') reasons.push(`trail ${t.Name} has log file validation off`);
  // Validation without its digest files validates nothing.
  const integrity: Tri = validation === 'yes' && f.health.digestFailing ? 'no' : validation;
  const encrypted: Tri = t.KmsKeyId ? 'yes' : 'no';
  if (encrypted === 'no') reasons.push(`trail ${t.Name} is not encrypted with a KMS key`);
  if (logGroup?.reason) reasons.push(logGroup.reason);
  const retention = logGroup?.retentionDays ?? null;
  return {
    id: t.TrailARN ?? `trail/${t.Name}`,
    kind: 'cloudtrail-trail',
    name: t.Name ?? '?',
    home: t.HomeRegion ?? 'unknown',
    ownerScopeId: inherited ? f.ownerAccountId : null,
    inherited,
    enabled: f.isLogging,
    regions: multi ? ['*'] : [t.HomeRegion ?? 'unknown'].filter((r) => enabledRegions.includes(r) || r === 'unknown'),
    recordsSnapshotCreation: f.selectors.records,
    central: bucket.central,
    integrity,
    encrypted,
    retentionDays: retention,
    destinations: [
      { kind: 's3-bucket', id: t.S3BucketName ?? '?', scopeId: bucket.scopeId, retentionDays: null, locked: 'unknown' },
      ...(t.CloudWatchLogsLogGroupArn
        ? [
            {
              kind: 'cloudwatch-logs' as const,
              id: t.CloudWatchLogsLogGroupArn,
              scopeId: accountOfArn(t.CloudWatchLogsLogGroupArn),
              retentionDays: retention,
              locked: 'unknown' as const,
            },
          ]
        : []),
    ],
    reasons: [...new Set(reasons)],
    health: f.health.health,
  };
}
