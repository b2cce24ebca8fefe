/**
 * Small, pure facts derived from a scan result that the state store keeps per scan: the counts a trend compares, and
 * what each scope could read (which decides whether a finding that disappeared was fixed or simply not looked at).
 */
import { createHash } from 'node:crypto';
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

/**
 * The summary counts, added up scope by scope as scopes finish (the store stages each scope when it finishes and
 * never holds the whole result), then the scan's own findings.
 */
export class SummaryTotals {
  private readonly openBySeverity = Object.fromEntries(severities.map((s) => [s, 0])) as Record<Severity, number>;
  private open = 0;
  private suppressed = 0;
  private expiredSuppressions = 0;
  private regions = 0;
  private recorded = 0;
  private publicSnapshots = 0;
  private externallySharedSnapshots = 0;
  private snapshots = 0;
  private capablePrincipals = 0;
  private scopes = 0;

  addScope(s: ScopeResult): void {
    this.scopes++;
    this.regions += s.logging.regions.length;
    this.recorded += s.logging.regions.filter((r) => r.recorded === 'yes').length;
    this.snapshots += s.snapshots.length;
    this.publicSnapshots += s.snapshots.filter((x) => x.sharing.public === 'yes').length;
    this.externallySharedSnapshots += s.snapshots.filter((x) => x.sharing.sharedWith.some((w) => w.inOrganization === 'no')).length;
    this.capablePrincipals += s.principals.filter((p) => p.capabilities.length > 0).length;
    this.addFindings(s.findings);
  }

  addFindings(findings: readonly Finding[]): void {
    for (const f of findings) {
      if (f.status === 'open') {
        this.open++;
        this.openBySeverity[f.severity]++;
      }
      if (f.status === 'suppressed') this.suppressed++;
      if (f.suppression?.expired === true) this.expiredSuppressions++;
    }
  }

  summary(): ScanSummary {
    return {
      openBySeverity: { ...this.openBySeverity },
      open: this.open,
      suppressed: this.suppressed,
      expiredSuppressions: this.expiredSuppressions,
      loggingCoveragePct: this.regions === 0 ? 0 : Math.round((this.recorded / this.regions) * 1000) / 10,
      publicSnapshots: this.publicSnapshots,
      externallySharedSnapshots: this.externallySharedSnapshots,
      snapshots: this.snapshots,
      capablePrincipals: this.capablePrincipals,
      scopes: this.scopes,
    };
  }
}

export function summarize(result: ScanResult): ScanSummary {
  const totals = new SummaryTotals();
  for (const s of result.scopes) totals.addScope(s);
  totals.addFindings(result.findings);
  return totals.summary();
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
  /** The scope's creation activity was read completely. */
  activityRead: boolean;
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
  const activityRead =
    usable && s.activity !== undefined && !gaps.some((g) => g.part === 'activity' || (g.part === 'discovery' && g.region === null));
  return { principalsRead, snapshotRegions, activityRead };
}

/** The identities a scope's activity shows creating or copying (successful calls), with their first event and count. */
export function creatorsOf(s: ScopeResult): Array<{ identity: string; firstAt: string; events: number }> {
  const out = new Map<string, { identity: string; firstAt: string; events: number }>();
  for (const e of s.activity ?? []) {
    if (e.outcome !== 'success' || (e.effect !== 'create' && e.effect !== 'copy')) continue;
    const known = out.get(e.identity.id);
    if (!known) out.set(e.identity.id, { identity: e.identity.id, firstAt: e.at, events: 1 });
    else {
      known.events++;
      if (e.at < known.firstAt) known.firstAt = e.at;
    }
  }
  return [...out.values()];
}
