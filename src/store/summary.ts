/**
 * Small, pure facts derived from a scan result that the state store keeps per scan: the counts a trend compares, and
 * what each scope could read (which decides whether a finding that disappeared was fixed or simply not looked at).
 */
import { createHash } from 'node:crypto';
import { allFindings } from '../core/model/order.ts';
import type { Finding, ScanResult, ScopeResult, Severity } from '../core/model/result.ts';
import { severities } from '../core/model/result.ts';

export interface ScanSummary {
  openBySeverity: Record<Severity, number>;
  open: number;
  suppressed: number;
  /** Suppressions that expired and let their finding resurface in this scan. */
  expiredSuppressions: number;
  /** Percentage of scanned scope-regions where snapshot creation is recorded (one decimal). */
  loggingCoveragePct: number;
  publicSnapshots: number;
  externallySharedSnapshots: number;
  snapshots: number;
  capablePrincipals: number;
  scopes: number;
}

export function summarize(result: ScanResult): ScanSummary {
  const findings = allFindings(result);
  const open = findings.filter((f) => f.status === 'open');
  const openBySeverity = Object.fromEntries(severities.map((s) => [s, open.filter((f) => f.severity === s).length])) as Record<
    Severity,
    number
  >;
  const regions = result.scopes.flatMap((s) => s.logging.regions);
  const recorded = regions.filter((r) => r.recorded === 'yes').length;
  const snapshots = result.scopes.flatMap((s) => s.snapshots);
  return {
    openBySeverity,
    open: open.length,
    suppressed: findings.filter((f) => f.status === 'suppressed').length,
    expiredSuppressions: findings.filter((f) => f.suppression?.expired === true).length,
    loggingCoveragePct: regions.length === 0 ? 0 : Math.round((recorded / regions.length) * 1000) / 10,
    publicSnapshots: snapshots.filter((s) => s.sharing.public === 'yes').length,
    externallySharedSnapshots: snapshots.filter((s) => s.sharing.sharedWith.some((x) => x.inOrganization === 'no')).length,
    snapshots: snapshots.length,
    capablePrincipals: result.scopes.reduce((n, s) => n + s.principals.filter((p) => p.capabilities.length > 0).length, 0),
    scopes: result.scopes.length,
  };
}

/** JSON with object keys sorted at every level: equal values always serialise to equal strings. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Evidence keys that do not say anything changed: keys that only count time (a snapshot's age changes every day
 * without anything happening), and keys that only name what the finding is about (the scope, region, snapshot or
 * principal its fingerprint already identifies), which checks put in the evidence so their message is written from
 * it. A renamed snapshot is not new evidence, and results from before those keys existed hash the same.
 */
const NOT_EVIDENCE_OF_CHANGE = new Set([
  'ageDays',
  'provider',
  'root',
  'scope',
  'scopeId',
  'region',
  'snapshot',
  'kind',
  'principal',
  'principalType',
]);

/**
 * What "the evidence changed" means for diffs and ticket comments: severity and evidence, minus keys that only count
 * time or name the subject. Status, suppression and the message's wording are not evidence.
 */
export function evidenceHash(f: Pick<Finding, 'severity' | 'evidence'>): string {
  const evidence = Object.fromEntries(Object.entries(f.evidence).filter(([k]) => !NOT_EVIDENCE_OF_CHANGE.has(k)));
  return createHash('sha256')
    .update(stableStringify({ severity: f.severity, evidence }))
    .digest('hex')
    .slice(0, 16);
}

export interface ScopeReadability {
  /** The scope's who-can set was read completely. */
  principalsRead: boolean;
  /** Regions whose snapshot list was read. */
  snapshotRegions: string[];
}

const blindsSnapshots = new Set(['snapshots', 'discovery', 'regions']);

export function readability(s: ScopeResult): ScopeReadability {
  const usable = s.coverage.status === 'complete' || s.coverage.status === 'partial';
  const gaps = s.coverage.gaps;
  const principalsRead = usable && !gaps.some((g) => g.part === 'principals' || (g.part === 'discovery' && g.region === null));
  const snapshotRegions = usable
    ? s.coverage.regions
        .filter((r) => r.status === 'scanned' || r.status === 'partial')
        .map((r) => r.region)
        .filter((region) => !gaps.some((g) => blindsSnapshots.has(g.part) && (g.region === null || g.region === region)))
        .sort()
    : [];
  return { principalsRead, snapshotRegions };
}
