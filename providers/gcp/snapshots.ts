/**
 * Compute Engine snapshots into the model, as pure functions: encryption (Google-managed, CMEK, CSEK), snapshot-level
 * IAM (public, shared out), schedules (approved automation), and the creator from Admin Activity entries.
 */
import type { Snapshot, Tri } from '../../src/core/model/result.ts';
import { resolveOwner } from '../../src/core/model/owner.ts';
import { classifyMember, type Membership } from './members.ts';

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
}

export interface RawBinding {
  role?: string | null;
  members?: string[] | null;
  condition?: { expression?: string | null; title?: string | null } | null;
}

export interface Creator {
  identity: string;
  at: string;
}

export interface SnapshotInputs {
  projectId: string;
  raw: RawSnapshot;
  /** Snapshot IAM bindings; null when not looked up or the lookup failed. */
  iam: RawBinding[] | null;
  iamNote: string | null;
  creator: Creator | null;
  /** Labels of the source disk, when it still exists and disks were listed. */
  diskLabels: Record<string, string> | null;
  membership: Membership;
  ownerTagKeys: readonly string[];
}

/** `https://www.googleapis.com/compute/v1/projects/p/zones/z/disks/d` → `projects/p/zones/z/disks/d`. */
export function resourcePath(url: string): string {
  return url.replace(/^https?:\/\/[^/]+\/compute\/(v1|beta|alpha)\//, '');
}

function toIso(ts: string | null | undefined): string | null {
  if (!ts) return null;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function memberKind(member: string): string {
  if (member.startsWith('principal://') || member.startsWith('principalSet://')) return member.split('://')[0] as string;
  return member.split(':')[0] ?? member;
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

  let isPublic: Tri = 'unknown';
  const sharedWith: Snapshot['sharing']['sharedWith'] = [];
  const notes: string[] = [];
  if (i.iam !== null) {
    isPublic = 'no';
    for (const b of i.iam) {
      for (const member of b.members ?? []) {
        const info = classifyMember(member, i.membership);
        if (member === 'allUsers' || member === 'allAuthenticatedUsers') {
          isPublic = 'yes';
          notes.push(`${b.role} granted to ${member}${b.condition ? ' (conditionally)' : ''}`);
          continue;
        }
        if (!sharedWith.some((s) => s.id === member))
          sharedWith.push({ id: member, kind: memberKind(member), inOrganization: info.inOrganization });
      }
    }
  } else if (i.iamNote) notes.push(i.iamNote);

  const schedule = r.autoCreated === true || !!r.sourceSnapshotSchedulePolicy;
  const source: Snapshot['source'] = r.sourceDisk
    ? { kind: 'disk', id: resourcePath(r.sourceDisk), tags: i.diskLabels ?? {} }
    : r.sourceInstantSnapshot
      ? { kind: 'snapshot', id: resourcePath(r.sourceInstantSnapshot), tags: {} }
      : { kind: 'unknown', id: null, tags: {} };
  if (schedule && r.sourceSnapshotSchedulePolicy) notes.push(`made by snapshot schedule ${resourcePath(r.sourceSnapshotSchedulePolicy)}`);

  return {
    kind: 'disk-snapshot',
    id: name,
    name,
    resourceId: r.selfLink ?? `https://www.googleapis.com/compute/v1/projects/${i.projectId}/global/snapshots/${name}`,
    region: 'global',
    createdAt: toIso(r.creationTimestamp),
    sizeGiB: r.diskSizeGb === null || r.diskSizeGb === undefined ? null : Number(r.diskSizeGb),
    state: r.status ?? null,
    description: r.description || null,
    tags: labels,
    encryption,
    sharing: { public: isPublic, sharedWith, sharesKnown: i.iam !== null, notes },
    owner: resolveOwner({
      tags: labels,
      ownerTagKeys: i.ownerTagKeys,
      creatorFromAudit: i.creator?.identity ?? null,
      ...(i.diskLabels ? { sourceTags: i.diskLabels } : {}),
    }),
    creator: i.creator ? { identity: i.creator.identity, source: 'audit-event', at: i.creator.at } : null,
    source,
    automation: schedule
      ? {
          by: 'gcp-schedule',
          basis: r.sourceSnapshotSchedulePolicy
            ? `sourceSnapshotSchedulePolicy ${resourcePath(r.sourceSnapshotSchedulePolicy)}`
            : 'autoCreated true',
        }
      : { by: null, basis: null },
    facts: [],
    conflicts: [],
  };
}

export interface AuditLogEntry {
  timestamp?: string;
  resource?: { type?: string; labels?: Record<string, string> };
  operation?: { id?: string; first?: boolean; last?: boolean };
  protoPayload?: {
    methodName?: string;
    resourceName?: string;
    authenticationInfo?: { principalEmail?: string };
    request?: { name?: string };
    status?: { code?: number };
  };
}

/**
 * The identity that created each snapshot, by snapshot name, from Admin Activity entries of the creating calls
 * (snapshots.insert names the snapshot in its resource name; disks.createSnapshot in its request, on the first entry
 * of the operation). Failed calls are ignored; for a name made more than once, the latest call at or before the
 * snapshot's creation time wins.
 */
export function creatorsFromEntries(entries: readonly AuditLogEntry[]): Map<string, Creator[]> {
  const opNames = new Map<string, string>();
  for (const e of entries) {
    const n = e.protoPayload?.request?.name;
    if (n && e.operation?.id) opNames.set(e.operation.id, n);
  }
  const out = new Map<string, Creator[]>();
  for (const e of entries) {
    const p = e.protoPayload;
    const who = p?.authenticationInfo?.principalEmail;
    if (!p || !who || (p.status?.code ?? 0) !== 0) continue;
    const fromResource = /\/global\/snapshots\/([^/]+)$/.exec(p.resourceName ?? '')?.[1];
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
