/**
 * Synthetic Admin Activity audit entries for the snapshot family, and the verdicts built on them: does a sink filter
 * (with its exclusions) export them, does a log-based metric count them, and how narrowly.
 *
 * Compute Engine names each audited call `{API version}.compute.{collection}.{method}`: the GA API (gcloud, the
 * console, Terraform's google provider, the client libraries) logs `v1.…`, `gcloud beta` and Terraform's
 * google-beta provider log `beta.…`, `gcloud alpha` logs `alpha.…`
 * (https://cloud.google.com/compute/docs/logging/audit-logging#audited_operations). Four calls create a snapshot:
 * snapshots.insert, disks.createSnapshot, regionDisks.createSnapshot and regionSnapshots.insert; the rest of the
 * family is created by images.insert, machineImages.insert, instantSnapshots.insert and regionInstantSnapshots.insert,
 * and each kind is shared by its setIamPolicy. Coverage must hold for every one of them in every spelling: a filter
 * that lets only some through leaves the others unrecorded or unalerted, and the reasons name them per call.
 */
import type { FamilyOperation } from '../../src/core/model/logging.ts';
import type { Tri } from '../../src/core/model/result.ts';
import { evaluateFilter, type SyntheticEntry } from './filter.ts';

/** API versions whose method names appear in Compute Engine audit logs. */
export const apiVersions = ['v1', 'beta', 'alpha'] as const;

/**
 * The calls of the family, with the monitored-resource type of their audit entries where it is documented
 * (https://cloud.google.com/monitoring/api/resources: gce_snapshot, gce_disk, gce_image); null where it is not, so
 * a filter on `resource.type` cannot be decided for them.
 */
export interface FamilyCall {
  call: string;
  resourceType: string | null;
  /** Does the call make an artifact, or share one? */
  does: 'create' | 'share';
}

/** The calls that create a disk snapshot. */
export const creationCalls = [
  { call: 'compute.snapshots.insert', resourceType: 'gce_snapshot', does: 'create' },
  { call: 'compute.disks.createSnapshot', resourceType: 'gce_disk', does: 'create' },
  { call: 'compute.regionDisks.createSnapshot', resourceType: 'gce_disk', does: 'create' },
  { call: 'compute.regionSnapshots.insert', resourceType: 'gce_snapshot', does: 'create' },
] as const satisfies readonly FamilyCall[];

/** The calls that create the other kinds of the family (images, machine images, instant snapshots). */
export const familyCreationCalls = [
  { call: 'compute.images.insert', resourceType: 'gce_image', does: 'create' },
  { call: 'compute.machineImages.insert', resourceType: null, does: 'create' },
  { call: 'compute.instantSnapshots.insert', resourceType: null, does: 'create' },
  { call: 'compute.regionInstantSnapshots.insert', resourceType: null, does: 'create' },
] as const satisfies readonly FamilyCall[];

/** The calls that share a member of the family (grant others, or allUsers, the use of it). */
export const sharingCalls = [
  { call: 'compute.snapshots.setIamPolicy', resourceType: 'gce_snapshot', does: 'share' },
  { call: 'compute.regionSnapshots.setIamPolicy', resourceType: 'gce_snapshot', does: 'share' },
  { call: 'compute.images.setIamPolicy', resourceType: 'gce_image', does: 'share' },
  { call: 'compute.machineImages.setIamPolicy', resourceType: null, does: 'share' },
  { call: 'compute.instantSnapshots.setIamPolicy', resourceType: null, does: 'share' },
  { call: 'compute.regionInstantSnapshots.setIamPolicy', resourceType: null, does: 'share' },
] as const satisfies readonly FamilyCall[];

const spelled = (calls: readonly FamilyCall[]) =>
  calls.flatMap((c) => apiVersions.map((v) => ({ method: `${v}.${c.call}`, call: c.call, resourceType: c.resourceType })));

/** Every method name a disk-snapshot creation is logged under (the creator lookup reads these). */
export const snapshotMethods = spelled(creationCalls);

/** Every method name the rest of the family is created under (the creator lookup reads these too). */
export const familyCreationMethods = spelled(familyCreationCalls);

/** Every creating and sharing call of the family, once (the per-operation coverage judges these). */
export const familyCalls: readonly FamilyCall[] = [...creationCalls, ...familyCreationCalls, ...sharingCalls];

/** The family as the per-operation coverage judges it: each call once, named without its API version. */
export const familyOperations: readonly FamilyOperation[] = familyCalls.map((c) => ({ operation: c.call, effect: c.does }));

/** Every method name a member of the family is shared under (the activity review reads these). */
export const familySharingMethods = spelled(sharingCalls);

/** Every creating and sharing method of the family, in every spelling: what logging and alerting must cover. */
export const familyMethods = spelled(familyCalls);

/**
 * Calls that attach a schedule (resource policy) to a disk: who set up a snapshot schedule. A disk can also be made
 * with its schedule (`resourcePolicies` in the insert request), so the disks' inserts are read too (the entries
 * without resource policies in their request are read and left).
 */
export const scheduleAttachMethods = [
  'compute.disks.addResourcePolicies',
  'compute.regionDisks.addResourcePolicies',
  'compute.disks.insert',
  'compute.regionDisks.insert',
].flatMap((c) => apiVersions.map((v) => `${v}.${c}`));

/** Admin Activity log name of a project (the log id is URL-encoded in the name). */
export function activityLogName(projectId: string): string {
  return `projects/${projectId}/logs/cloudaudit.googleapis.com%2Factivity`;
}

/** Fields an Admin Activity entry never has: filters comparing them are false for it. */
const absent = ['textPayload', 'jsonPayload', 'httpRequest'];

export function auditEntry(projectId: string, method: string, resourceType: string | null): SyntheticEntry {
  return {
    label: method,
    known: {
      logName: activityLogName(projectId),
      severity: 'NOTICE',
      ...(resourceType ? { 'resource.type': resourceType } : {}),
      'resource.labels.project_id': projectId,
      'protoPayload.@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      'protoPayload.serviceName': 'compute.googleapis.com',
      'protoPayload.methodName': method,
    },
    absent,
  };
}

/** An unrelated Compute Engine admin write: a filter that lets it through too is broad, not aimed at snapshots. */
export function controlEntry(projectId: string): SyntheticEntry {
  return auditEntry(projectId, 'v1.compute.instances.insert', 'gce_instance');
}

export interface MethodVerdicts {
  /** Per method name. */
  byMethod: Record<string, Tri>;
  reasons: string[];
}

export function filterVerdicts(filter: string | null | undefined, projectId: string): MethodVerdicts {
  const byMethod: Record<string, Tri> = {};
  const reasons = new Set<string>();
  for (const m of familyMethods) {
    const v = evaluateFilter(filter, auditEntry(projectId, m.method, m.resourceType));
    byMethod[m.method] = v.matches;
    for (const r of v.reasons) reasons.add(r);
  }
  return { byMethod, reasons: [...reasons] };
}

/** The method names of one verdict, in the catalogue's order. */
function named(byMethod: Record<string, Tri>, value: Tri): string[] {
  return familyMethods.filter((m) => byMethod[m.method] === value).map((m) => m.method);
}

/**
 * Method names for reasons, grouped by call: `compute.disks.createSnapshot` when every API version of it is named,
 * `compute.disks.createSnapshot (beta, alpha)` when only some are; `every snapshot-creation call` for all of them.
 */
export function describeMethods(methods: readonly string[]): string {
  if (familyMethods.every((m) => methods.includes(m.method))) return 'every creating and sharing call of the snapshot family';
  const byCall = new Map<string, string[]>();
  for (const m of methods) {
    const dot = m.indexOf('.');
    const call = m.slice(dot + 1);
    byCall.set(call, [...(byCall.get(call) ?? []), m.slice(0, dot)]);
  }
  return [...byCall]
    .map(([call, versions]) => (versions.length === apiVersions.length ? call : `${call} (${versions.join(', ')})`))
    .join(', ');
}

/** All of them: yes only when every spelling of every creation call is yes. */
function allOf(byMethod: Record<string, Tri>): Tri {
  const values = familyMethods.map((m) => byMethod[m.method] ?? 'unknown');
  return values.includes('no') ? 'no' : values.includes('unknown') ? 'unknown' : 'yes';
}

export interface ExportVerdict {
  records: Tri;
  reasons: string[];
}

/**
 * Does a sink export snapshot creation? Its filter must let every creation call through in every spelling, and no
 * enabled exclusion may drop any of them.
 */
export function sinkExportVerdict(
  name: string,
  filter: string | null | undefined,
  exclusions: ReadonlyArray<{ name: string; filter: string; disabled: boolean }>,
  projectId: string,
): ExportVerdict {
  const f = filterVerdicts(filter, projectId);
  const reasons: string[] = [];
  let records = allOf(f.byMethod);
  const missed = named(f.byMethod, 'no');
  const unsure = named(f.byMethod, 'unknown');
  if (missed.length) reasons.push(`sink ${name}: filter does not let ${describeMethods(missed)} through`);
  if (unsure.length)
    reasons.push(`sink ${name}: cannot tell whether the filter lets ${describeMethods(unsure)} through: ${f.reasons.join('; ')}`);
  for (const ex of exclusions) {
    if (ex.disabled || records === 'no') continue;
    const e = filterVerdicts(ex.filter, projectId);
    const dropped = named(e.byMethod, 'yes');
    const maybe = named(e.byMethod, 'unknown');
    if (dropped.length) {
      records = 'no';
      reasons.push(`sink ${name}: exclusion ${ex.name} drops ${describeMethods(dropped)}`);
    } else if (maybe.length) {
      records = records === 'yes' ? 'unknown' : records;
      reasons.push(`sink ${name}: cannot tell whether exclusion ${ex.name} drops ${describeMethods(maybe)}: ${e.reasons.join('; ')}`);
    }
  }
  return { records, reasons };
}

export interface MetricVerdict {
  match: 'exact' | 'broad' | 'none' | 'unknown';
  reasons: string[];
  /** Per call of the family (every spelling of it must match): exact, broad, or could not be told. Calls it misses are left out. */
  calls: Array<{ call: string; match: 'exact' | 'broad' | 'unknown' }>;
  /** Does the filter have anything to do with snapshot creation (matches or might match one spelling)? */
  relevant: boolean;
}

/**
 * How a log-based metric (or log-match alert) filter matches snapshot creation: exact when it counts every spelling
 * of every creation call and nothing else, broad when it counts them and other Compute Engine activity too, none when
 * some spelling slips past it.
 */
export function metricVerdict(name: string, filter: string | null | undefined, projectId: string): MetricVerdict {
  const f = filterVerdicts(filter, projectId);
  const calls = callVerdicts(f.byMethod, () => evaluateFilter(filter, controlEntry(projectId)).matches !== 'no');
  return { ...familyVerdict(name, filter, projectId, f), calls };
}

/** Per call of the family: every spelling must match; broad when the filter lets unrelated admin activity through too. */
function callVerdicts(byMethod: Record<string, Tri>, broad: () => boolean): MetricVerdict['calls'] {
  let wide: boolean | undefined;
  return familyCalls.flatMap((c): MetricVerdict['calls'] => {
    const values = apiVersions.map((v) => byMethod[`${v}.${c.call}`] ?? 'unknown');
    if (values.includes('no')) return [];
    if (values.includes('unknown')) return [{ call: c.call, match: 'unknown' }];
    wide ??= broad();
    return [{ call: c.call, match: wide ? 'broad' : 'exact' }];
  });
}

function familyVerdict(
  name: string,
  filter: string | null | undefined,
  projectId: string,
  f: MethodVerdicts,
): Omit<MetricVerdict, 'calls'> {
  const yes = named(f.byMethod, 'yes');
  const no = named(f.byMethod, 'no');
  const unsure = named(f.byMethod, 'unknown');
  const relevant = yes.length > 0 || unsure.length > 0;
  if (no.length === 0 && unsure.length === 0) {
    const control = evaluateFilter(filter, controlEntry(projectId));
    if (control.matches === 'no') return { match: 'exact', reasons: [], relevant };
    return {
      match: 'broad',
      reasons: [`${name}: filter also matches other Compute Engine admin activity (e.g. v1.compute.instances.insert)`],
      relevant,
    };
  }
  if (no.length > 0 && yes.length > 0)
    return { match: 'none', reasons: [`${name}: filter matches ${describeMethods(yes)} but not ${describeMethods(no)}`], relevant };
  if (unsure.length > 0) {
    return {
      match: no.length > 0 ? 'none' : 'unknown',
      reasons: [`${name}: cannot tell whether the filter matches ${describeMethods(unsure)}: ${f.reasons.join('; ')}`],
      relevant,
    };
  }
  return { match: 'none', reasons: [`${name}: filter does not match snapshot creation`], relevant };
}
