/**
 * Compute Engine snapshots into the model, as pure functions: encryption (Google-managed, CMEK, CSEK), snapshot-level
 * IAM (public, shared out), schedules (approved automation), and the creator from Admin Activity entries.
 */
import type { Conflict, Fact, Snapshot, Tri } from '../../../src/core/model/result.ts';
import type { Membership } from '../members.ts';
import { type Creator, creatorFacts, ownership, toIso } from './common.ts';
import { iamFacts, iamSharing, type RawBinding } from './sharing.ts';

export interface RawSnapshot {
  id?: string | number | null;
  name?: string | null;
  description?: string | null;
  status?: string | null;
  creationTimestamp?: string | null;
  diskSizeGb?: string | number | null;
  storageLocations?: string[] | null;
  labels?: Record<string, string> | null;
  selfLink?: string | null;
  sourceDisk?: string | null;
  sourceInstantSnapshot?: string | null;
  snapshotEncryptionKey?: {
    kmsKeyName?: string | null;
    sha256?: string | null;
    rawKey?: string | null;
    rsaEncryptedKey?: string | null;
  } | null;
  autoCreated?: boolean | null;
  sourceSnapshotSchedulePolicy?: string | null;
  /** Regional snapshots only: the URL of the region that holds it. */
  region?: string | null;
}

export type { RawBinding } from './sharing.ts';

export type { Creator } from './common.ts';

export interface SnapshotInputs {
  projectId: string;
  raw: RawSnapshot;
  /** Snapshot IAM bindings; null when not looked up or the lookup failed. */
  iam: RawBinding[] | null;
  iamNote: string | null;
  creator: Creator | null;
  /** Who attached the snapshot's schedule policy to its source disk, from the Admin Activity log (null: not found). */
  scheduleAttachedBy: Creator | null;
  /** Labels of the source disk, when it still exists and disks were listed. */
  diskLabels: Record<string, string> | null;
  membership: Membership;
  ownerTagKeys: readonly string[];
}

/** `https://www.googleapis.com/compute/v1/projects/p/zones/z/disks/d` → `projects/p/zones/z/disks/d`. */
export function resourcePath(url: string): string {
  return url.replace(/^https?:\/\/[^/]+\/compute\/(v1|beta|alpha)\//, '');
}

export function normaliseSnapshot(i: SnapshotInputs): Snapshot {
  const r = i.raw;
  const name = r.name ?? String(r.id ?? 'unknown');
  const labels = { ...(r.labels ?? {}) };
  const key = r.snapshotEncryptionKey;
  const encryption: Snapshot['encryption'] = key?.kmsKeyName
    ? { status: 'customer-key', keyId: key.kmsKeyName }
    : key && (key.sha256 || key.rawKey || key.rsaEncryptedKey)
      ? { status: 'customer-key', keyId: `customer-supplied key${key.sha256 ? ` (sha256 ${key.sha256})` : ''}` }
      : { status: 'provider-key', keyId: null };

  const sharing = iamSharing(i.iam, i.iamNote, i.membership);

  const schedule = scheduleFact(r, i.creator, i.scheduleAttachedBy);
  const source: Snapshot['source'] = r.sourceDisk
    ? { kind: 'disk', id: resourcePath(r.sourceDisk), tags: i.diskLabels ?? {} }
    : r.sourceInstantSnapshot
      ? { kind: 'snapshot', id: resourcePath(r.sourceInstantSnapshot), tags: {} }
      : { kind: 'unknown', id: null, tags: {} };
  sharing.notes.push(...schedule.notes);

  return {
    kind: 'disk-snapshot',
    id: name,
    name,
    resourceId: r.selfLink ?? `https://www.googleapis.com/compute/v1/projects/${i.projectId}/global/snapshots/${name}`,
    region: r.region ? (r.region.split('/').pop() ?? 'global') : 'global',
    createdAt: toIso(r.creationTimestamp),
    sizeGiB: r.diskSizeGb === null || r.diskSizeGb === undefined ? null : Number(r.diskSizeGb),
    state: r.status ?? null,
    description: r.description || null,
    tags: labels,
    encryption,
    sharing,
    ...ownership(labels, i.ownerTagKeys, i.creator, i.diskLabels),
    source,
    automation: schedule.recognised ? { by: 'gcp-schedule', basis: schedule.basis } : { by: null, basis: null },
    facts: snapshotFacts(i, sharing.public),
    conflicts: schedule.conflicts,
  };
}

/** The read behind each verdict-bearing fact, quoting what it returned. */
function snapshotFacts(i: SnapshotInputs, isPublic: Tri): Fact[] {
  const r = i.raw;
  const facts: Fact[] = [];
  const regional = !!r.region;
  const listing = regional ? 'compute:regionSnapshots.list' : 'compute:snapshots.list';
  facts.push(
    ...iamFacts(`${regional ? 'compute:regionSnapshots.getIamPolicy' : 'compute:snapshots.getIamPolicy'} bindings`, i.iam, isPublic),
  );
  const key = r.snapshotEncryptionKey;
  facts.push({
    fact: 'encryption',
    source: `${listing} snapshotEncryptionKey`,
    value: key?.kmsKeyName ? `kmsKeyName ${key.kmsKeyName}` : key?.sha256 ? `sha256 ${key.sha256}` : 'absent',
    authoritative: true,
  });
  facts.push(...creatorFacts(i.creator));
  facts.push({
    fact: 'automation',
    source: `${listing} sourceSnapshotSchedulePolicy`,
    value: r.sourceSnapshotSchedulePolicy ? resourcePath(r.sourceSnapshotSchedulePolicy) : 'absent',
    authoritative: true,
  });
  if (r.autoCreated !== undefined && r.autoCreated !== null)
    facts.push({ fact: 'automation', source: `${listing} autoCreated`, value: String(r.autoCreated), authoritative: false });
  return facts;
}

/** Compute Engine service agents: the identity snapshot schedules act as. */
export const computeAgent = /^service-\d+@compute-system\.iam\.gserviceaccount\.com$/;

/**
 * Is the snapshot the work of a snapshot schedule? Recognised by what the platform sets and who acted — the
 * `sourceSnapshotSchedulePolicy` field, and (when the creating call was read) the Compute Engine service agent as the
 * caller — never by `autoCreated` alone. Who attached the policy to the disk is recorded next to it.
 */
export function scheduleFact(
  r: RawSnapshot,
  creator: Creator | null,
  attachedBy: Creator | null,
): { recognised: boolean; basis: string | null; notes: string[]; conflicts: Conflict[] } {
  const listing = r.region ? 'compute:regionSnapshots.list' : 'compute:snapshots.list';
  if (!r.sourceSnapshotSchedulePolicy) {
    if (!r.autoCreated) return { recognised: false, basis: null, notes: [], conflicts: [] };
    return {
      recognised: false,
      basis: null,
      notes: ['autoCreated is set but no snapshot schedule policy is named: not recognised as a schedule'],
      conflicts: [
        {
          fact: 'automation',
          kept: { source: `${listing} sourceSnapshotSchedulePolicy`, value: 'absent' },
          overruled: { source: `${listing} autoCreated`, value: 'true' },
          note: 'autoCreated says true, but no sourceSnapshotSchedulePolicy names a schedule: not recognised as scheduled',
        },
      ],
    };
  }
  const policy = resourcePath(r.sourceSnapshotSchedulePolicy);
  if (creator && !computeAgent.test(creator.identity)) {
    return {
      recognised: false,
      basis: null,
      notes: [`names snapshot schedule ${policy}, but was created by ${creator.identity}, not by the Compute Engine service agent`],
      conflicts: [
        {
          fact: 'automation',
          kept: { source: 'logging:entries.list protoPayload.authenticationInfo.principalEmail', value: creator.identity },
          overruled: { source: `${listing} sourceSnapshotSchedulePolicy`, value: policy },
          note: `sourceSnapshotSchedulePolicy names ${policy}, but the creating call was made by ${creator.identity}: not recognised as scheduled`,
        },
      ],
    };
  }
  const attached = attachedBy
    ? `schedule attached to its disk by ${attachedBy.identity} at ${attachedBy.at}`
    : 'who attached the schedule to its disk is not in the Admin Activity entries read';
  return {
    recognised: true,
    basis: `sourceSnapshotSchedulePolicy ${policy}${creator ? `; created by ${creator.identity}` : ''}; ${attached}`,
    notes: [`made by snapshot schedule ${policy}`, attached],
    conflicts: [],
  };
}

/** The methods that create a disk snapshot, in every API spelling. */
const snapshotCreation = /\.compute\.((snapshots|regionSnapshots)\.insert|(disks|regionDisks)\.createSnapshot)$/;

export interface AuditLogEntry {
  timestamp?: string;
  resource?: { type?: string; labels?: Record<string, string> };
  operation?: { id?: string; first?: boolean; last?: boolean };
  protoPayload?: {
    methodName?: string;
    resourceName?: string;
    authenticationInfo?: { principalEmail?: string };
    request?: { name?: string; resourcePolicies?: string[] };
    status?: { code?: number };
  };
}

/**
 * The identity that created each snapshot, by snapshot name, from Admin Activity entries of the creating calls
 * (snapshots.insert and regionSnapshots.insert name the snapshot in their resource name; disks.createSnapshot and
 * regionDisks.createSnapshot in their request, on the first entry of the operation). Failed calls are ignored; for a name made more than once, the latest call at or before the
 * snapshot's creation time wins.
 */
export function creatorsFromEntries(entries: readonly AuditLogEntry[]): Map<string, Creator[]> {
  // Only the creating calls: a share (setIamPolicy) names the snapshot too but made nothing, and a disk's insert
  // (read for who attached schedules) names the disk in its request.
  const creating = entries.filter((e) => snapshotCreation.test(e.protoPayload?.methodName ?? ''));
  const opNames = new Map<string, string>();
  for (const e of creating) {
    const n = e.protoPayload?.request?.name;
    if (n && e.operation?.id) opNames.set(e.operation.id, n);
  }
  const out = new Map<string, Creator[]>();
  for (const e of creating) {
    const p = e.protoPayload;
    const who = p?.authenticationInfo?.principalEmail;
    if (!p || !who || (p.status?.code ?? 0) !== 0) continue;
    // snapshots.insert and regionSnapshots.insert name the snapshot in the resource; the disks' createSnapshot calls
    // name the disk there and the snapshot in the request.
    const fromResource = /\/(?:global|regions\/[^/]+)\/snapshots\/([^/]+)$/.exec(p.resourceName ?? '')?.[1];
    const name = fromResource ?? p.request?.name ?? (e.operation?.id ? opNames.get(e.operation.id) : undefined);
    if (!name || !e.timestamp) continue;
    const list = out.get(name) ?? [];
    if (!list.some((c) => c.identity === who && c.at === e.timestamp))
      list.push({ identity: who, at: new Date(e.timestamp).toISOString() });
    out.set(name, list);
  }
  for (const list of out.values()) list.sort((a, b) => (a.at < b.at ? -1 : 1));
  return out;
}

export function creatorFor(candidates: readonly Creator[] | undefined, createdAt: string | null): Creator | null {
  if (!candidates || candidates.length === 0) return null;
  if (createdAt === null) return candidates[0] ?? null;
  const t = Date.parse(createdAt);
  // The start of the operation that made it: the earliest entry from a day before to an hour after its creation time.
  const near = candidates.filter((c) => Date.parse(c.at) <= t + 3_600_000 && Date.parse(c.at) >= t - 86_400_000);
  if (near.length > 0) return near[0] ?? null;
  const before = candidates.filter((c) => Date.parse(c.at) <= t + 3_600_000);
  return before[before.length - 1] ?? candidates[0] ?? null;
}
