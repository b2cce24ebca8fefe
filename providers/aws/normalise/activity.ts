/**
 * CloudTrail events of the snapshot family as activity (src/core/model/activity.ts), as pure functions. The record
 * fields are CloudTrail's (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html):
 * `userIdentity` (type, arn, `sessionContext.sessionIssuer.arn`, `sessionContext.attributes.mfaAuthenticated`,
 * `invokedBy`), `sourceIPAddress`, `userAgent`, `vpcEndpointId`, `errorCode`, and the operation's own
 * `requestParameters` / `responseElements`. A failed call has no responseElements: what it tried to make is named
 * by its request, when at all.
 */
import type { Event as TrailEvent } from '@aws-sdk/client-cloudtrail';
import { type ActivityEvent, ActivityEffect, type ActivityResource, classifyAgent } from '../../../src/core/model/activity.ts';
import { snapshotEventCatalogue } from '../snapshot-events.ts';
import { automationOf, callerIdentity, type UserIdentity } from './creators.ts';

interface ActivityRecord {
  eventID?: string;
  eventName?: string;
  eventTime?: string;
  awsRegion?: string;
  errorCode?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  vpcEndpointId?: string;
  userIdentity?: UserIdentity & { sessionContext?: { attributes?: { mfaAuthenticated?: string } } };
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
}

type Field = { in: 'requestParameters' | 'responseElements'; path: string; kind: string };

/**
 * Where each event names the artifact it made or acted on, and what it was made from, first match wins. Field
 * names are the APIs' request and response members as CloudTrail records them (lower camel case).
 */
const madeFields: readonly Field[] = [
  { in: 'responseElements', path: 'snapshotId', kind: 'disk-snapshot' },
  { in: 'responseElements', path: 'snapshotSet.items.0.snapshotId', kind: 'disk-snapshot' },
  { in: 'responseElements', path: 'imageId', kind: 'image' },
  { in: 'responseElements', path: 'dBSnapshotIdentifier', kind: 'db-snapshot' },
  { in: 'responseElements', path: 'dBClusterSnapshotIdentifier', kind: 'db-cluster-snapshot' },
  // requested names: what a failed call tried to make, or what a share / export acted on
  { in: 'requestParameters', path: 'snapshotId', kind: 'disk-snapshot' },
  { in: 'requestParameters', path: 'imageId', kind: 'image' },
  { in: 'requestParameters', path: 'dBSnapshotIdentifier', kind: 'db-snapshot' },
  { in: 'requestParameters', path: 'targetDBSnapshotIdentifier', kind: 'db-snapshot' },
  { in: 'requestParameters', path: 'dBClusterSnapshotIdentifier', kind: 'db-cluster-snapshot' },
  { in: 'requestParameters', path: 'targetDBClusterSnapshotIdentifier', kind: 'db-cluster-snapshot' },
  { in: 'requestParameters', path: 'recoveryPointArn', kind: 'backup-recovery-point' },
  { in: 'requestParameters', path: 'backupVaultName', kind: 'backup-vault' },
];

const sourceFields: readonly Field[] = [
  { in: 'requestParameters', path: 'volumeId', kind: 'volume' },
  { in: 'requestParameters', path: 'instanceSpecification.instanceId', kind: 'instance' },
  { in: 'requestParameters', path: 'instanceId', kind: 'instance' },
  { in: 'requestParameters', path: 'sourceSnapshotId', kind: 'disk-snapshot' },
  { in: 'requestParameters', path: 'parentSnapshotId', kind: 'disk-snapshot' },
  { in: 'requestParameters', path: 'sourceImageId', kind: 'image' },
  { in: 'requestParameters', path: 'dBInstanceIdentifier', kind: 'db-instance' },
  { in: 'requestParameters', path: 'dBClusterIdentifier', kind: 'db-cluster' },
  { in: 'requestParameters', path: 'sourceDBSnapshotIdentifier', kind: 'db-snapshot' },
  { in: 'requestParameters', path: 'sourceDBClusterSnapshotIdentifier', kind: 'db-cluster-snapshot' },
  { in: 'requestParameters', path: 'sourceArn', kind: 'resource' },
];

function at(obj: unknown, path: string): string | null {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return null;
    cur = (cur as Record<string, unknown>)[key];
  }
  return typeof cur === 'string' && cur.length > 0 ? cur : null;
}

function first(r: ActivityRecord, fields: readonly Field[], skip: ActivityResource | null): ActivityResource | null {
  for (const f of fields) {
    const id = at(r[f.in], f.path);
    if (id && !(skip && skip.id === id)) return { kind: f.kind, id };
  }
  return null;
}

function mfaOf(u: ActivityRecord['userIdentity']): ActivityEvent['identity']['mfa'] {
  const v = u?.sessionContext?.attributes?.mfaAuthenticated;
  return v === 'true' ? 'yes' : v === 'false' ? 'no' : 'unknown';
}

/** The activity effect of each catalogue event; deletes and reads are not reviewed as activity. */
const effects = new Map(
  snapshotEventCatalogue.flatMap((e) => {
    const effect = ActivityEffect.safeParse(e.effect);
    return effect.success ? [[e.name, effect.data] as const] : [];
  }),
);

/** One LookupEvents result as activity; null when the record cannot be read or names no caller. */
export function activityOf(e: TrailEvent, region: string, read: string): ActivityEvent | null {
  let r: ActivityRecord;
  try {
    r = JSON.parse(e.CloudTrailEvent ?? '{}') as ActivityRecord;
  } catch {
    return null;
  }
  const operation = r.eventName ?? e.EventName;
  const effect = operation ? effects.get(operation) : undefined;
  const identity = callerIdentity(r);
  const when = r.eventTime ? new Date(r.eventTime) : e.EventTime;
  if (!operation || !effect || !identity || !when || Number.isNaN(when.getTime())) return null;
  const u = r.userIdentity;
  const byService = u?.type === 'AWSService' || (!!u?.invokedBy && r.sourceIPAddress === u.invokedBy);
  const resource = first(r, madeFields, null);
  const auto = automationOf(u);
  return {
    id: r.eventID ?? e.EventId ?? `${region}/${operation}/${when.toISOString()}`,
    region: r.awsRegion ?? region,
    at: when.toISOString(),
    operation,
    effect,
    identity: {
      type: u?.type ?? null,
      id: identity,
      issuer: u?.sessionContext?.sessionIssuer?.arn ?? null,
      mfa: mfaOf(u),
      automation: auto?.by && auto.basis ? { by: auto.by, basis: auto.basis } : null,
    },
    source: {
      ip: r.sourceIPAddress ?? null,
      userAgent: r.userAgent ?? null,
      agent: classifyAgent(r.userAgent ?? null, byService),
      vpcEndpointId: r.vpcEndpointId ?? null,
    },
    resource,
    sourceResource: first(r, sourceFields, resource),
    outcome: r.errorCode ? 'failure' : 'success',
    errorCode: r.errorCode ?? null,
    read,
  };
}
