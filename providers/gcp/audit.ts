/**
 * Synthetic Admin Activity audit entries for snapshot creation, and the verdicts built on them: does a sink filter
 * (with its exclusions) export them, does a log-based metric count them, and how narrowly.
 */
import type { Tri } from '../../src/core/model/result.ts';
import { evaluateFilter, type SyntheticEntry } from './filter.ts';

/** The two API calls that create a snapshot, each in its v1 and beta form. */
export const snapshotMethods = [
  { method: 'v1.compute.snapshots.insert', resourceType: 'gce_snapshot' },
  { method: 'v1.compute.disks.createSnapshot', resourceType: 'gce_disk' },
  { method: 'beta.compute.snapshots.insert', resourceType: 'gce_snapshot' },
  { method: 'beta.compute.disks.createSnapshot', resourceType: 'gce_disk' },
] as const;

export const primaryMethods = ['v1.compute.snapshots.insert', 'v1.compute.disks.createSnapshot'] as const;

/** Admin Activity log name of a project (the log id is URL-encoded in the name). */
export function activityLogName(projectId: string): string {
  return `projects/${projectId}/logs/cloudaudit.googleapis.com%2Factivity`;
}

/** Fields an Admin Activity entry never has: filters comparing them are false for it. */
const absent = ['textPayload', 'jsonPayload', 'httpRequest'];

export function auditEntry(projectId: string, method: string, resourceType: string): SyntheticEntry {
  return {
    label: method,
    known: {
      logName: activityLogName(projectId),
      severity: 'NOTICE',
      'resource.type': resourceType,
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
  for (const m of snapshotMethods) {
    const v = evaluateFilter(filter, auditEntry(projectId, m.method, m.resourceType));
    byMethod[m.method] = v.matches;
    for (const r of v.reasons) reasons.add(r);
  }
  return { byMethod, reasons: [...reasons] };
}

/** Each creation path counts when its v1 or its beta form gets through. */
function pathVerdict(byMethod: Record<string, Tri>, v1: string): Tri {
  const beta = v1.replace(/^v1\./, 'beta.');
  const a = byMethod[v1] ?? 'unknown';
  const b = byMethod[beta] ?? 'unknown';
  return a === 'yes' || b === 'yes' ? 'yes' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'no';
}

export interface ExportVerdict {
  records: Tri;
  reasons: string[];
}

/**
 * Does a sink export snapshot creation? Its filter must let both creation calls through and no enabled exclusion
 * may drop them. Beta-API calls that slip through are reported as a reason, not a failure.
 */
export function sinkExportVerdict(
  name: string,
  filter: string | null | undefined,
  exclusions: ReadonlyArray<{ name: string; filter: string; disabled: boolean }>,
  projectId: string,
): ExportVerdict {
  const f = filterVerdicts(filter, projectId);
  const reasons: string[] = [];
  const paths = primaryMethods.map((m) => [m, pathVerdict(f.byMethod, m)] as const);
  const missed = paths.filter(([, v]) => v === 'no').map(([m]) => m);
  const unsure = paths.filter(([, v]) => v === 'unknown').map(([m]) => m);
  let records: Tri = missed.length ? 'no' : unsure.length ? 'unknown' : 'yes';
  if (missed.length) reasons.push(`sink ${name}: filter does not let ${missed.join(' / ')} through`);
  if (unsure.length)
    reasons.push(`sink ${name}: cannot tell whether the filter lets ${unsure.join(' / ')} through: ${f.reasons.join('; ')}`);
  if (records === 'yes') {
    const betaMissed = snapshotMethods.filter((m) => m.method.startsWith('beta.') && f.byMethod[m.method] === 'no').map((m) => m.method);
    if (betaMissed.length) reasons.push(`sink ${name}: filter drops the beta-API form ${betaMissed.join(', ')}`);
  }
  for (const ex of exclusions) {
    if (ex.disabled || records === 'no') continue;
    const e = filterVerdicts(ex.filter, projectId);
    const dropped = primaryMethods.filter((m) => e.byMethod[m] === 'yes');
    const maybe = primaryMethods.filter((m) => e.byMethod[m] === 'unknown');
    if (dropped.length) {
      records = 'no';
      reasons.push(`sink ${name}: exclusion ${ex.name} drops ${dropped.join(' / ')}`);
    } else if (maybe.length) {
      records = records === 'yes' ? 'unknown' : records;
      reasons.push(`sink ${name}: cannot tell whether exclusion ${ex.name} drops ${maybe.join(' / ')}: ${e.reasons.join('; ')}`);
    }
  }
  return { records, reasons };
}

export interface MetricVerdict {
  match: 'exact' | 'broad' | 'none' | 'unknown';
  reasons: string[];
  /** Does the filter have anything to do with snapshot creation (matches or might match one path)? */
  relevant: boolean;
}

/** How a log-based metric (or log-match alert) filter matches snapshot creation. */
export function metricVerdict(name: string, filter: string | null | undefined, projectId: string): MetricVerdict {
  const f = filterVerdicts(filter, projectId);
  const paths = primaryMethods.map((m) => [m, pathVerdict(f.byMethod, m)] as const);
  const yes = paths.filter(([, v]) => v === 'yes').map(([m]) => m);
  const unsure = paths.filter(([, v]) => v === 'unknown').map(([m]) => m);
  const relevant = yes.length > 0 || unsure.length > 0;
  if (yes.length === primaryMethods.length) {
    const control = evaluateFilter(filter, controlEntry(projectId));
    if (control.matches === 'no') return { match: 'exact', reasons: [], relevant };
    return {
      match: 'broad',
      reasons: [`${name}: filter also matches other Compute Engine admin activity (e.g. v1.compute.instances.insert)`],
      relevant,
    };
  }
  if (unsure.length > 0) {
    return {
      match: 'unknown',
      reasons: [`${name}: cannot tell whether the filter matches ${unsure.join(' / ')}: ${f.reasons.join('; ')}`],
      relevant,
    };
  }
  if (yes.length > 0) {
    const missed = primaryMethods.filter((m) => !yes.includes(m));
    return { match: 'none', reasons: [`${name}: filter matches ${yes.join(', ')} but not ${missed.join(', ')}`], relevant };
  }
  return { match: 'none', reasons: [`${name}: filter does not match snapshot creation`], relevant };
}
