/**
 * Who made each snapshot, from CloudTrail's 90-day event history (LookupEvents), as pure functions. The snapshot id
 * is in the event's responseElements: `snapshotId` for CreateSnapshot, CopySnapshot and StartSnapshot (EBS direct
 * APIs), `snapshotSet.items[]` for CreateSnapshots. CopyImage and RegisterImage name the AMI in `imageId`; RDS events name the DB snapshot in
 * `dBSnapshotIdentifier`, the cluster snapshot in `dBClusterSnapshotIdentifier`. CreateImage names only the AMI: its snapshots say "Created by
 * CreateImage(i-…) for ami-…" in their description, which links them to the event. The events read are the
 * catalogue of snapshot-events.ts.
 *
 * Automation is recognised from the identity that acted, never from a tag or a name anyone can create: CloudTrail's
 * `userIdentity.invokedBy` names the AWS service that made the call on the customer's behalf
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html), and a
 * service-linked role can be assumed only by its service
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html). A session of a role merely
 * named like a backup role (AWSBackupDefaultServiceRole, AWSDataLifecycleManagerDefaultRole) is not enough.
 */
import type { Event as TrailEvent } from '@aws-sdk/client-cloudtrail';
import type { Snapshot } from '../../../src/core/model/result.ts';

/** Services whose snapshots are automation, by the marker the baseline's `automation` list names. */
export const automationServices = [
  { marker: 'aws-backup', service: 'backup.amazonaws.com' },
  { marker: 'dlm', service: 'dlm.amazonaws.com' },
] as const;

export interface CreationRecord {
  /** The caller: an IAM ARN, an assumed-role session ARN, or the AWS service that acted. */
  identity: string;
  at: string | null;
  eventName: string;
  /** CopySnapshot: the snapshot copied from. */
  sourceSnapshotId: string | null;
  /** The automation the acting identity belongs to, with what identified it; null when it is none of them. */
  automation: Snapshot['automation'] | null;
}

export interface CreationIndex {
  bySnapshot: Map<string, CreationRecord>;
  byImage: Map<string, CreationRecord>;
  /** RDS snapshots by `<kind>/<identifier>` (DB and cluster snapshot identifiers are separate namespaces). */
  byDb: Map<string, CreationRecord>;
}

export interface UserIdentity {
  type?: string;
  arn?: string;
  principalId?: string;
  accountId?: string;
  userName?: string;
  /** IAM Identity Center users: the directory user the call was made for. */
  onBehalfOf?: { userId?: string };
  invokedBy?: string;
  sessionContext?: { sessionIssuer?: { arn?: string } };
}

interface CloudTrailRecord {
  eventName?: string;
  eventTime?: string;
  errorCode?: string;
  userIdentity?: UserIdentity;
  requestParameters?: { sourceSnapshotId?: string } | null;
  responseElements?: {
    snapshotId?: string;
    imageId?: string;
    snapshotSet?: { items?: Array<{ snapshotId?: string }> };
    dBSnapshotIdentifier?: string;
    dBClusterSnapshotIdentifier?: string;
  } | null;
}

/**
 * The identity to record for an event, from its userIdentity element: the caller's ARN; the service that acted on
 * its own; for identities without an ARN (AWSAccount, IdentityCenterUser, Unknown…) their type with the ids and name
 * the event gives. Only values the event holds are used.
 */
export function callerIdentity(r: { userIdentity?: UserIdentity | undefined }): string | null {
  const u = r.userIdentity;
  if (!u) return null;
  if (u.arn) return u.arn;
  if (u.type === 'AWSService' && u.invokedBy) return u.invokedBy;
  const issuer = u.sessionContext?.sessionIssuer?.arn ?? u.invokedBy;
  if (issuer) return issuer;
  const who = u.userName ?? u.principalId ?? u.onBehalfOf?.userId;
  if (!who) return null;
  return `${u.type ?? 'Unknown'} ${who}${u.accountId ? ` (account ${u.accountId})` : ''}`;
}

/** The automation service that acted, recognised from the event's identity alone. */
export function automationOf(u: UserIdentity | undefined): Snapshot['automation'] | null {
  if (!u) return null;
  const issuer = u.sessionContext?.sessionIssuer?.arn ?? '';
  for (const s of automationServices) {
    if (u.invokedBy === s.service) return { by: s.marker, basis: `userIdentity.invokedBy ${s.service}` };
    if (u.type === 'AssumedRole' && /^arn:[^:]+:iam::\d{12}:role\/aws-service-role\//.test(issuer) && issuer.includes(`/${s.service}/`))
      return { by: s.marker, basis: `service-linked role ${issuer}` };
  }
  return null;
}

export function emptyIndex(): CreationIndex {
  return { bySnapshot: new Map(), byImage: new Map(), byDb: new Map() };
}

/** Adds LookupEvents results to the index; failed calls (errorCode) and unreadable records are skipped. */
export function indexEvents(index: CreationIndex, events: readonly TrailEvent[]): CreationIndex {
  for (const e of events) {
    let r: CloudTrailRecord;
    try {
      r = JSON.parse(e.CloudTrailEvent ?? '{}') as CloudTrailRecord;
    } catch {
      continue;
    }
    if (r.errorCode || !r.responseElements) continue;
    const identity = callerIdentity(r);
    if (!identity) continue;
    const record: CreationRecord = {
      identity,
      at: r.eventTime ? new Date(r.eventTime).toISOString() : (e.EventTime?.toISOString() ?? null),
      eventName: r.eventName ?? e.EventName ?? '?',
      sourceSnapshotId: r.requestParameters?.sourceSnapshotId ?? null,
      automation: automationOf(r.userIdentity),
    };
    const re = r.responseElements;
    const ids = [re.snapshotId, ...(re.snapshotSet?.items ?? []).map((i) => i.snapshotId)].filter((x): x is string => !!x);
    for (const id of ids) if (!index.bySnapshot.has(id)) index.bySnapshot.set(id, record);
    if (re.imageId && !index.byImage.has(re.imageId)) index.byImage.set(re.imageId, record);
    const db = re.dBSnapshotIdentifier ? `db-snapshot/${re.dBSnapshotIdentifier}` : null;
    const cluster = re.dBClusterSnapshotIdentifier ? `db-cluster-snapshot/${re.dBClusterSnapshotIdentifier}` : null;
    for (const key of [db, cluster]) if (key && !index.byDb.has(key)) index.byDb.set(key, record);
  }
  return index;
}

const createImageDescription = /Created by CreateImage\((i-[0-9a-f]+)\) for (ami-[0-9a-f]+)/;
const copiedDescription = /\[Copied (snap-[0-9a-f]+) from ([a-z0-9-]+)\]/;

/** The creation record of a snapshot: by id, else through the AMI its description names. */
export function creationOf(index: CreationIndex, snapshotId: string, description: string | undefined): CreationRecord | null {
  const direct = index.bySnapshot.get(snapshotId);
  if (direct) return direct;
  const ami = description ? createImageDescription.exec(description)?.[2] : undefined;
  return ami ? (index.byImage.get(ami) ?? null) : null;
}

/** The creation record of an AMI (CreateImage, CopyImage, RegisterImage). */
export function imageCreationOf(index: CreationIndex, imageId: string): CreationRecord | null {
  return index.byImage.get(imageId) ?? null;
}

/** The creation record of an RDS DB or cluster snapshot. */
export function dbCreationOf(index: CreationIndex, kind: 'db-snapshot' | 'db-cluster-snapshot', id: string): CreationRecord | null {
  return index.byDb.get(`${kind}/${id}`) ?? null;
}

/** The snapshot a copy was made from, when its description says so ("[Copied snap-… from us-east-1]"). */
export function copiedFrom(description: string | undefined): string | null {
  return description ? (copiedDescription.exec(description)?.[1] ?? null) : null;
}

/** The AMI a CreateImage snapshot belongs to, from its description. */
export function imageOf(description: string | undefined): string | null {
  return description ? (createImageDescription.exec(description)?.[2] ?? null) : null;
}
