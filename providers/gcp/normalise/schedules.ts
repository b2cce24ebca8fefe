/**
 * Snapshot schedules into the model, as pure functions: a Compute Engine resource policy with a
 * `snapshotSchedulePolicy` (https://cloud.google.com/compute/docs/reference/rest/v1/resourcePolicies) is listed as an
 * item of its own (kind `snapshot-schedule`) with its cycle, retention and the properties of the snapshots it makes,
 * the disks it is attached to (the disks listing's `resourcePolicies`) and who attached it to each, from the Admin
 * Activity entries of `addResourcePolicies` or of a disk `insert` that named the policy
 * (https://cloud.google.com/compute/docs/disks/scheduled-snapshots). A schedule holds no data: the snapshots it makes
 * are items of their own, judged as such.
 */
import type { ScheduleDetails, Snapshot } from '../../../src/core/model/result.ts';
import type { RawDisk } from '../raw.ts';
import { type Creator, ownership, toIso } from './common.ts';
import { type AuditLogEntry, resourcePath } from './snapshots.ts';

interface RawCycle {
  startTime?: string | null;
  duration?: string | null;
}

export interface RawResourcePolicy {
  id?: string | null;
  name?: string | null;
  description?: string | null;
  /** The region's URL. */
  region?: string | null;
  selfLink?: string | null;
  creationTimestamp?: string | null;
  status?: string | null;
  snapshotSchedulePolicy?: {
    schedule?: {
      hourlySchedule?: (RawCycle & { hoursInCycle?: number | null }) | null;
      dailySchedule?: (RawCycle & { daysInCycle?: number | null }) | null;
      weeklySchedule?: { dayOfWeeks?: Array<RawCycle & { day?: string | null }> | null } | null;
    } | null;
    retentionPolicy?: { maxRetentionDays?: number | null; onSourceDiskDelete?: string | null } | null;
    snapshotProperties?: {
      labels?: Record<string, string> | null;
      storageLocations?: string[] | null;
      guestFlush?: boolean | null;
      chainName?: string | null;
    } | null;
  } | null;
}

/** Who attached a schedule to a disk, and with which call. */
export interface Attachment extends Creator {
  via: string;
}

/** The cycle as the policy states it, quoting its fields (`dailySchedule: daysInCycle 1, startTime 02:00`). */
export function scheduleCycle(raw: RawResourcePolicy): string | null {
  const s = raw.snapshotSchedulePolicy?.schedule;
  if (s?.hourlySchedule)
    return `hourlySchedule: hoursInCycle ${s.hourlySchedule.hoursInCycle ?? '?'}, startTime ${s.hourlySchedule.startTime ?? '?'}`;
  if (s?.dailySchedule)
    return `dailySchedule: daysInCycle ${s.dailySchedule.daysInCycle ?? '?'}, startTime ${s.dailySchedule.startTime ?? '?'}`;
  const days = s?.weeklySchedule?.dayOfWeeks ?? [];
  if (days.length > 0) return `weeklySchedule: ${days.map((d) => `${d.day ?? '?'} ${d.startTime ?? '?'}`).join(', ')}`;
  return null;
}

/**
 * A resource policy's path, `projects/P/regions/R/resourcePolicies/N`, from a URL, a full path or the short
 * `regions/R/resourcePolicies/N` a request may name (in the disk's project: a policy attaches only in its own project).
 */
export function policyPath(policy: string, diskPath: string): string {
  const path = resourcePath(policy);
  if (path.startsWith('projects/')) return path;
  const project = /^projects\/[^/]+\//.exec(diskPath)?.[0] ?? '';
  return `${project}${path}`;
}

const insertMethod = /\.compute\.(disks|regionDisks)\.insert$/;
const attachMethod = /\.compute\.(disks|regionDisks)\.addResourcePolicies$/;

/**
 * Who attached each schedule to each disk, by `disk path|policy path`: Admin Activity entries of
 * disks.addResourcePolicies / regionDisks.addResourcePolicies, and of disks.insert / regionDisks.insert whose request
 * named resource policies (a disk made with its schedule). Failed calls are ignored; the latest attachment wins.
 */
export function attachmentsFromEntries(entries: readonly AuditLogEntry[]): Map<string, Attachment> {
  const out = new Map<string, Attachment>();
  for (const e of entries) {
    const p = e.protoPayload;
    const method = p?.methodName ?? '';
    if (!p || !(attachMethod.test(method) || insertMethod.test(method))) continue;
    const who = p.authenticationInfo?.principalEmail;
    if (!who || !e.timestamp || (p.status?.code ?? 0) !== 0) continue;
    const disk = resourcePath(p.resourceName ?? '');
    const at = new Date(e.timestamp).toISOString();
    for (const policy of p.request?.resourcePolicies ?? []) {
      const key = `${disk}|${policyPath(policy, disk)}`;
      const prev = out.get(key);
      if (!prev || prev.at < at) out.set(key, { identity: who, at, via: method });
    }
  }
  return out;
}

/** The disks each policy is attached to, by policy path, from the disks listing's `resourcePolicies` (sorted). */
export function disksByPolicy(disks: readonly RawDisk[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of disks) {
    if (!d.selfLink) continue;
    const disk = resourcePath(d.selfLink);
    for (const policy of d.resourcePolicies ?? []) {
      const key = policyPath(policy, disk);
      out.set(key, [...(out.get(key) ?? []), disk].sort());
    }
  }
  return out;
}

export interface ScheduleInputs {
  projectId: string;
  raw: RawResourcePolicy;
  /** The disks listed with their resource policies; null when disks were not read. */
  attachedDisks: Map<string, string[]> | null;
  /** Who attached it, by `disk|policy`; null when the Admin Activity log was not read. */
  attachments: Map<string, Attachment> | null;
  ownerTagKeys: readonly string[];
}

/** One snapshot schedule as an item of the inventory. */
export function normaliseSchedule(i: ScheduleInputs): Snapshot {
  const r = i.raw;
  const name = r.name ?? String(r.id ?? 'unknown');
  const region = r.region ? (r.region.split('/').pop() ?? 'global') : 'global';
  const path = r.selfLink ? resourcePath(r.selfLink) : `projects/${i.projectId}/regions/${region}/resourcePolicies/${name}`;
  const ssp = r.snapshotSchedulePolicy ?? {};
  const props = ssp.snapshotProperties ?? {};
  const attachedTo: ScheduleDetails['attachedTo'] = i.attachedDisks
    ? (i.attachedDisks.get(path) ?? []).map((disk) => {
        const a = i.attachments?.get(`${disk}|${path}`);
        return { disk, attachedBy: a?.identity ?? null, at: a?.at ?? null, via: a?.via ?? null };
      })
    : null;
  const notes = ['a snapshot schedule holds no data: the snapshots it makes are listed as items of their own, with their own exposure'];
  if (attachedTo === null) notes.push('disks were not listed, so the disks it is attached to are not known');
  else if (attachedTo.length === 0) notes.push('attached to no disk: it makes no snapshots');
  else if (i.attachments === null) notes.push('the Admin Activity log was not read, so who attached it is not known');
  return {
    kind: 'snapshot-schedule',
    id: name,
    name,
    resourceId: r.selfLink ?? `https://www.googleapis.com/compute/v1/${path}`,
    region,
    createdAt: toIso(r.creationTimestamp),
    sizeGiB: null,
    state: r.status ?? null,
    description: r.description || null,
    tags: {},
    encryption: { status: 'unknown', keyId: null },
    sharing: { public: 'no', sharedWith: [], sharesKnown: false, notes },
    ...ownership({}, i.ownerTagKeys, null, null),
    source: { kind: 'unknown', id: null, tags: {} },
    automation: { by: null, basis: null },
    facts: [],
    conflicts: [],
    schedule: {
      frequency: scheduleCycle(r),
      retentionDays: ssp.retentionPolicy?.maxRetentionDays ?? null,
      onSourceDiskDelete: ssp.retentionPolicy?.onSourceDiskDelete ?? null,
      storageLocations: [...(props.storageLocations ?? [])],
      labels: { ...(props.labels ?? {}) },
      guestFlush: props.guestFlush ?? null,
      attachedTo,
    },
  };
}

/** Only the policies that are snapshot schedules (resource policies also schedule instances, placement…). */
export function isSnapshotSchedule(raw: RawResourcePolicy): boolean {
  return !!raw.snapshotSchedulePolicy;
}
