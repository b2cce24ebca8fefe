/**
 * What the human-facing reports (HTML, Markdown, CSV, JUnit) say, computed once from the scan result: coverage,
 * blind spots, exposure, top risks, mitigation priorities and the limits of the scan. Pure and deterministic.
 */
import { allFindings, sortBy, severityRank } from '../src/core/model/order.ts';
import type {
  CheckMeta,
  Finding,
  Gap,
  Part,
  Provider,
  RegionLogging,
  RegionStatus,
  ScanResult,
  ScopeResult,
  Severity,
  Snapshot,
  Tri,
} from '../src/core/model/result.ts';
import { type ArtifactKind, artifactKindLabels, artifactKinds, severities } from '../src/core/model/result.ts';
import type { CatalogueCheck } from './types.ts';

export const CAPABLE_PRINCIPAL_CHECK = 'permissions.snapshot-capable-principal';
export const EXTERNAL_PATH_CHECK = 'permissions.external-path';

export type SeverityCounts = Record<Severity, number>;

export function emptyCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const c = emptyCounts();
  for (const f of findings) c[f.severity]++;
  return c;
}

export function scopeLabel(s: { name: string; id: string }): string {
  return s.name && s.name !== s.id ? `${s.name} (${s.id})` : s.id;
}

export interface CoverageCell {
  provider: Provider;
  scopeId: string;
  scopeName: string;
  region: string;
  /** How far the region was read. */
  status: RegionStatus | 'unknown';
  recorded: Tri;
  central: Tri;
  protected: Tri;
  alerted: RegionLogging['alerted'];
  retentionDays: number | null;
  sources: string[];
  alerts: string[];
  reasons: string[];
}

export interface BlindSpot {
  provider: Provider;
  /** A scope id, or `discovery` for a provider whose scope list is incomplete. */
  scopeId: string;
  scopeName: string;
  kind: 'discovery' | 'scope';
  status: string;
  regions: string[];
  gaps: Gap[];
  summary: string;
}

export interface SnapshotRow {
  provider: Provider;
  scopeId: string;
  scopeName: string;
  snapshot: Snapshot;
  externalShares: string[];
  /** What makes it exposed, worst first: `public`, `shared outside the organisation`, `public status unknown`, or `none`. */
  exposure: Exposure;
}

export type Exposure = 'public' | 'shared outside' | 'public unknown' | 'none';

/** The inventory of one artifact kind (disk snapshots, images, DB snapshots…) and how much of it is exposed. */
export interface KindCount {
  kind: ArtifactKind;
  label: string;
  count: number;
  public: number;
  shared: number;
}

export interface CheckSummary {
  checkId: string;
  title: string;
  defaultSeverity: Severity;
  open: SeverityCounts;
  openTotal: number;
  suppressed: number;
}

export interface Mitigation {
  checkId: string;
  title: string;
  remediation: string;
  rationale: string;
  /** Highest severity among the check's open findings. */
  severity: Severity;
  count: number;
  /** Sum of severity weights: severity × count. */
  score: number;
  scopes: number;
  counts: SeverityCounts;
  /** Why the entry sits where it does (severity first, then how many findings). */
  why: string;
}

export interface UnknownCount {
  what: string;
  count: number;
  meaning: string;
}

export interface Limits {
  incomplete: boolean;
  interrupted: boolean;
  gaps: Array<{ provider: Provider; scopeId: string; scopeName: string; gap: Gap }>;
  sharesUnknown: SnapshotRow[];
  unknowns: UnknownCount[];
  suppressed: Finding[];
  regionsNotEnabled: Array<{ provider: Provider; scopeId: string; scopeName: string; regions: string[] }>;
  regionsExcluded: Array<{ provider: Provider; scopeId: string; scopeName: string; regions: string[] }>;
  /** Regions an endpoint listed that belong to another partition than the caller's (never scanned). */
  regionsOtherPartition: Array<{ provider: Provider; scopeId: string; scopeName: string; regions: string[] }>;
  shard: { index: number; count: number } | null;
}

export interface ReportModel {
  result: ScanResult;
  findings: Finding[];
  open: Finding[];
  suppressed: Finding[];
  /** Open findings whose suppression expired: accepted once, open again. */
  expiredSuppressions: Finding[];
  openBySeverity: SeverityCounts;
  coverage: {
    cells: CoverageCell[];
    total: number;
    recorded: number;
    notRecorded: number;
    unknown: number;
    /** Recorded scope-regions as a percentage of all, one decimal; null when nothing was in scope. */
    pct: number | null;
    /** Scope-regions where snapshot creation is recorded and an exact alert fires on it. */
    recordedAndAlerted: number;
    /** Scope-regions with an alert that matches only broadly (a superset of snapshot creation). */
    alertedBroadly: number;
    alertUnknown: number;
    /** recordedAndAlerted as a percentage of all, one decimal; null when nothing was in scope. */
    alertedPct: number | null;
  };
  blindSpots: BlindSpot[];
  snapshots: SnapshotRow[];
  publicSnapshots: SnapshotRow[];
  publicUnknown: number;
  sharedSnapshots: SnapshotRow[];
  /** Public or shared outside the organisation, public first. */
  exposed: SnapshotRow[];
  /** The inventory per artifact kind, in the enum's order; kinds with no item are left out. */
  kinds: KindCount[];
  principalsTotal: number;
  /** Principals whose snapshot capability is reachable by an external identity (permissions.external-path). */
  externalPaths: Finding[];
  capablePrincipals: number;
  /** Capable principals with no direct grant: they reach a capability only by becoming another identity (issue #26). */
  indirectOnly: number;
  /** Capable principals whose capabilities are all eligible (Azure PIM): none until they activate a role. */
  eligibleOnly: number;
  outsideBaseline: Finding[];
  topRisks: Finding[];
  byCheck: CheckSummary[];
  mitigations: Mitigation[];
  limits: Limits;
  scopeName: (provider: Provider, scopeId: string) => string;
}

export const severityWeight: Record<Severity, number> = { critical: 16, high: 8, medium: 4, low: 2, info: 1 };

function key(provider: string, scopeId: string): string {
  return `${provider}\u0000${scopeId}`;
}

function summariseGaps(gaps: readonly Gap[]): string {
  const byCode = new Map<string, number>();
  for (const g of gaps) byCode.set(`${g.code} (${g.part})`, (byCode.get(`${g.code} (${g.part})`) ?? 0) + 1);
  return [...byCode.entries()].map(([what, n]) => (n > 1 ? `${n}× ${what}` : what)).join(', ');
}

function coverageCells(s: ScopeResult): CoverageCell[] {
  const statusByRegion = new Map(s.coverage.regions.map((r) => [r.region, r.status] as const));
  const cells: CoverageCell[] = s.logging.regions.map((r) => ({
    provider: s.scope.provider,
    scopeId: s.scope.id,
    scopeName: s.scope.name,
    region: r.region,
    status: statusByRegion.get(r.region) ?? (s.coverage.status === 'complete' ? 'scanned' : 'unknown'),
    recorded: r.recorded,
    central: r.central,
    protected: r.protected,
    alerted: r.alerted,
    retentionDays: r.retentionDays,
    sources: r.sourceIds,
    alerts: r.alertIds,
    reasons: r.reasons,
  }));
  const seen = new Set(cells.map((c) => c.region));
  // Regions that could not be read at all have no logging verdict: they count as unknown, never as covered.
  for (const r of s.coverage.regions) {
    if (seen.has(r.region) || !['failed', 'interrupted', 'partial'].includes(r.status)) continue;
    seen.add(r.region);
    const gaps = s.coverage.gaps.filter((g) => g.region === r.region || g.region === null);
    cells.push({
      provider: s.scope.provider,
      scopeId: s.scope.id,
      scopeName: s.scope.name,
      region: r.region,
      status: r.status,
      recorded: 'unknown',
      central: 'unknown',
      protected: 'unknown',
      alerted: 'unknown',
      retentionDays: null,
      sources: [],
      alerts: [],
      reasons: [`region ${r.status}: ${summariseGaps(gaps) || 'no detail'}`],
    });
  }
  if (cells.length === 0 && s.coverage.status !== 'complete') {
    cells.push({
      provider: s.scope.provider,
      scopeId: s.scope.id,
      scopeName: s.scope.name,
      region: s.scope.regions.length ? s.scope.regions.join(', ') : '(all)',
      status: s.coverage.status === 'interrupted' ? 'interrupted' : 'failed',
      recorded: 'unknown',
      central: 'unknown',
      protected: 'unknown',
      alerted: 'unknown',
      retentionDays: null,
      sources: [],
      alerts: [],
      reasons: [`scope ${s.coverage.status}: ${summariseGaps(s.coverage.gaps) || 'no detail'}`],
    });
  }
  return sortBy(cells, (c) => c.region);
}

/** Does a gap in this scope hide what the check reads? (Then "no finding" means "could not tell".) */
const partsForNeed: Record<string, Part[]> = {
  logging: ['logging'],
  alerting: ['alerting'],
  guards: ['guards'],
  principals: ['principals'],
  // Every adapter gates the refined needs separately (test/{aws,azure,gcp}/needs tests): the listing alone is
  // `snapshots`, so a gap in an exposure or creator read does not hide a check that reads neither.
  snapshots: ['snapshots'],
  sharing: ['snapshots', 'sharing'],
  creators: ['snapshots', 'creators'],
  sources: ['snapshots'],
  keys: ['snapshots'],
};

export function exposureOf(snapshot: Snapshot, externalShares: readonly string[]): Exposure {
  if (snapshot.sharing.public === 'yes') return 'public';
  if (externalShares.length > 0) return 'shared outside';
  return snapshot.sharing.public === 'unknown' ? 'public unknown' : 'none';
}

function snapshotRowOf(s: ScopeResult, snapshot: Snapshot): SnapshotRow {
  const externalShares = snapshot.sharing.sharedWith.filter((x) => x.inOrganization === 'no').map((x) => x.id);
  return {
    provider: s.scope.provider,
    scopeId: s.scope.id,
    scopeName: s.scope.name,
    snapshot,
    externalShares,
    exposure: exposureOf(snapshot, externalShares),
  };
}

/** The label people use for an artifact kind (an unknown kind from a newer result reads as itself). */
export function kindLabel(kind: string): string {
  return artifactKindLabels[kind as ArtifactKind] ?? kind;
}

/** A finding's resource as people name it: `Image web-base` for a member of the snapshot family, else its name. */
export function resourceLabel(f: Finding): string {
  if (!f.resource) return f.region ?? '';
  const name = f.resource.name ?? f.resource.id;
  return (artifactKinds as readonly string[]).includes(f.resource.kind) ? `${kindLabel(f.resource.kind)} ${name}` : name;
}

function kindCounts(rows: readonly SnapshotRow[]): KindCount[] {
  return artifactKinds
    .map((kind) => {
      const mine = rows.filter((r) => (r.snapshot.kind ?? 'disk-snapshot') === kind);
      return {
        kind,
        label: kindLabel(kind),
        count: mine.length,
        public: mine.filter((r) => r.exposure === 'public').length,
        shared: mine.filter((r) => r.externalShares.length > 0).length,
      };
    })
    .filter((k) => k.count > 0);
}

/**
 * Mitigation priorities: the most severe open finding of a check decides its place (a risk owner fixes critical
 * exposure before a crowd of medium findings), then how many findings it has, then the weighted score.
 */
export function rankMitigations(items: ReadonlyArray<Omit<Mitigation, 'why'>>): Mitigation[] {
  const sorted = sortBy(
    items,
    (m) => severityRank(m.severity),
    (m) => -m.count,
    (m) => -m.score,
    (m) => m.checkId,
  );
  return sorted.map((m, i) => ({ ...m, why: mitigationWhy(m, sorted[i - 1] ?? null) }));
}

function mitigationWhy(m: Omit<Mitigation, 'why'>, before: Omit<Mitigation, 'why'> | null): string {
  const n = `${m.count} open finding${m.count === 1 ? '' : 's'}`;
  if (!before) return `first: its most severe open finding is ${m.severity}, the highest of any check (${n})`;
  if (before.severity !== m.severity)
    return `its most severe open finding is ${m.severity}, below the ${before.severity} entries above (${n})`;
  return before.count !== m.count
    ? `${m.severity} like the entry above, with fewer findings (${n})`
    : `${m.severity} with as many findings as the entry above (${n}); ordered by check id`;
}

export function checkAssessable(
  s: ScopeResult,
  checkId: string,
  catalogue: readonly CatalogueCheck[],
): { assessable: boolean; why: string | null } {
  if (s.coverage.status === 'failed' || s.coverage.status === 'interrupted') {
    return { assessable: false, why: `scope ${s.coverage.status}: ${summariseGaps(s.coverage.gaps) || 'not read'}` };
  }
  if (s.coverage.status === 'complete' || checkId === 'coverage.scope-unreadable') return { assessable: true, why: null };
  const needs = catalogue.find((c) => c.meta.id === checkId)?.needs ?? null;
  const parts = new Set<Part>(['discovery', 'regions', ...(needs ?? []).flatMap((n) => partsForNeed[n] ?? [])]);
  const hiding = s.coverage.gaps.filter((g) => needs === null || parts.has(g.part));
  return hiding.length > 0 ? { assessable: false, why: `partly read: ${summariseGaps(hiding)}` } : { assessable: true, why: null };
}

/** Capable principals whose set of reaches (direct / indirect / eligible) passes the test. */
function countReach(scopes: ScanResult['scopes'], test: (reach: ReadonlySet<string>) => boolean): number {
  let n = 0;
  for (const s of scopes)
    for (const p of s.principals) if (p.grants.length > 0 && test(new Set(p.grants.map((g) => g.reach ?? 'direct')))) n++;
  return n;
}

export function buildReportModel(result: ScanResult): ReportModel {
  const findings = allFindings(result);
  const open = findings.filter((f) => f.status === 'open');
  const suppressed = findings.filter((f) => f.status === 'suppressed');
  const scopes = sortBy(
    result.scopes,
    (s) => s.scope.provider,
    (s) => s.scope.id,
  );
  const names = new Map(scopes.map((s) => [key(s.scope.provider, s.scope.id), s.scope.name] as const));
  const scopeName = (provider: Provider, scopeId: string) => names.get(key(provider, scopeId)) ?? scopeId;

  const cells = scopes.flatMap(coverageCells);
  const recorded = cells.filter((c) => c.recorded === 'yes').length;
  const notRecorded = cells.filter((c) => c.recorded === 'no').length;
  const recordedAndAlerted = cells.filter((c) => c.recorded === 'yes' && c.alerted === 'exact').length;

  const blindSpots: BlindSpot[] = [
    ...sortBy(result.discovery, (d) => d.provider)
      .filter((d) => d.status !== 'complete')
      .map(
        (d): BlindSpot => ({
          provider: d.provider,
          scopeId: 'discovery',
          scopeName: d.root ? `${d.provider} discovery under ${d.root}` : `${d.provider} discovery`,
          kind: 'discovery',
          status: d.status,
          regions: [],
          gaps: d.gaps,
          summary: `scope list ${d.status === 'failed' ? 'not read' : 'incomplete'}: ${summariseGaps(d.gaps) || 'no detail'}`,
        }),
      ),
    ...scopes
      .filter((s) => s.coverage.status !== 'complete')
      .map(
        (s): BlindSpot => ({
          provider: s.scope.provider,
          scopeId: s.scope.id,
          scopeName: s.scope.name,
          kind: 'scope',
          status: s.coverage.status,
          regions: s.coverage.regions
            .filter(
              (r) => r.status !== 'scanned' && r.status !== 'excluded' && r.status !== 'not_enabled' && r.status !== 'other_partition',
            )
            .map((r) => r.region),
          gaps: s.coverage.gaps,
          summary: summariseGaps(s.coverage.gaps) || s.coverage.status,
        }),
      ),
  ];

  const snapshots: SnapshotRow[] = scopes.flatMap((s) => s.snapshots.map((snapshot) => snapshotRowOf(s, snapshot)));

  const outsideBaseline = open.filter((f) => f.checkId === CAPABLE_PRINCIPAL_CHECK && f.severity !== 'info');

  const checkMeta = new Map<string, CheckMeta>(result.checks.map((c) => [c.id, c] as const));
  const checkIds = [...new Set([...result.checks.map((c) => c.id), ...findings.map((f) => f.checkId)])].sort();
  const byCheck: CheckSummary[] = checkIds.map((checkId) => {
    const mine = open.filter((f) => f.checkId === checkId);
    const meta = checkMeta.get(checkId);
    return {
      checkId,
      title: meta?.title ?? findings.find((f) => f.checkId === checkId)?.title ?? checkId,
      defaultSeverity: meta?.severity ?? 'medium',
      open: countBySeverity(mine),
      openTotal: mine.length,
      suppressed: suppressed.filter((f) => f.checkId === checkId).length,
    };
  });

  const mitigations = rankMitigations(
    checkIds
      .map((checkId) => {
        const mine = open.filter((f) => f.checkId === checkId && f.severity !== 'info');
        const meta = checkMeta.get(checkId);
        const worst = mine.reduce<Severity>((w, f) => (severityRank(f.severity) < severityRank(w) ? f.severity : w), 'info');
        return {
          checkId,
          title: meta?.title ?? checkId,
          remediation: meta?.remediation ?? '',
          rationale: meta?.rationale ?? '',
          severity: worst,
          count: mine.length,
          score: mine.reduce((n, f) => n + severityWeight[f.severity], 0),
          scopes: new Set(mine.map((f) => key(f.provider, f.scopeId))).size,
          counts: countBySeverity(mine),
        };
      })
      .filter((m) => m.count > 0),
  );

  const unknowns: UnknownCount[] = [
    {
      what: 'scope-regions where recording of snapshot creation is unknown',
      count: cells.filter((c) => c.recorded === 'unknown').length,
      meaning: 'the audit configuration could not be read there; it may or may not record snapshot creation',
    },
    {
      what: 'recorded scope-regions where central delivery or tamper protection is unknown',
      count: cells.filter((c) => c.recorded === 'yes' && (c.central === 'unknown' || c.protected === 'unknown')).length,
      meaning: 'the log destination or its protection could not be read',
    },
    {
      what: 'scope-regions where alerting is unknown',
      count: cells.filter((c) => c.alerted === 'unknown').length,
      meaning: 'alert rules could not be read; snapshot creation may go unnoticed',
    },
    {
      what: 'snapshots whose public status is unknown',
      count: snapshots.filter((r) => r.snapshot.sharing.public === 'unknown').length,
      meaning: 'they may be restorable by anyone',
    },
    {
      what: 'snapshot shares with an account/tenant/project of unknown organisation membership',
      count: snapshots.reduce((n, r) => n + r.snapshot.sharing.sharedWith.filter((x) => x.inOrganization === 'unknown').length, 0),
      meaning: 'they may be shared outside the organisation',
    },
    {
      what: 'snapshots whose encryption is unknown',
      count: snapshots.filter((r) => r.snapshot.encryption.status === 'unknown').length,
      meaning: 'they may be unencrypted',
    },
    {
      what: 'snapshots whose owner is unknown',
      count: snapshots.filter((r) => r.snapshot.owner.source === 'unknown').length,
      meaning: 'no owner tag, creator event, system data or source tag was found',
    },
    {
      what: 'regions whose snapshot block-public-access state is unknown',
      count: scopes.reduce((n, s) => n + s.guards.filter((g) => g.blocksPublicSharing === 'unknown').length, 0),
      meaning: 'public sharing may not be blocked',
    },
    {
      what: 'logging sources whose enabled state is unknown',
      count: scopes.reduce((n, s) => n + s.logging.sources.filter((x) => x.enabled === 'unknown').length, 0),
      meaning: 'they may be stopped',
    },
  ];

  const limits: Limits = {
    incomplete: !result.scan.complete,
    interrupted: result.scan.interrupted,
    gaps: [
      ...sortBy(result.discovery, (d) => d.provider).flatMap((d) =>
        d.gaps.map((gap) => ({ provider: d.provider, scopeId: 'discovery', scopeName: `${d.provider} discovery`, gap })),
      ),
      ...scopes.flatMap((s) =>
        s.coverage.gaps.map((gap) => ({ provider: s.scope.provider, scopeId: s.scope.id, scopeName: s.scope.name, gap })),
      ),
    ],
    sharesUnknown: snapshots.filter((r) => !r.snapshot.sharing.sharesKnown),
    unknowns,
    suppressed,
    regionsNotEnabled: scopes
      .filter((s) => s.scope.regionsNotEnabled.length > 0)
      .map((s) => ({ provider: s.scope.provider, scopeId: s.scope.id, scopeName: s.scope.name, regions: s.scope.regionsNotEnabled })),
    regionsExcluded: scopes
      .filter((s) => s.scope.regionsExcluded.length > 0)
      .map((s) => ({ provider: s.scope.provider, scopeId: s.scope.id, scopeName: s.scope.name, regions: s.scope.regionsExcluded })),
    regionsOtherPartition: scopes
      .filter((s) => s.scope.regionsOtherPartition.length > 0)
      .map((s) => ({ provider: s.scope.provider, scopeId: s.scope.id, scopeName: s.scope.name, regions: s.scope.regionsOtherPartition })),
    shard: result.scan.shard,
  };

  return {
    result,
    findings,
    open,
    suppressed,
    expiredSuppressions: open.filter((f) => f.suppression?.expired === true),
    openBySeverity: countBySeverity(open),
    coverage: {
      cells,
      total: cells.length,
      recorded,
      notRecorded,
      unknown: cells.length - recorded - notRecorded,
      pct: cells.length ? Math.round((recorded / cells.length) * 1000) / 10 : null,
      recordedAndAlerted,
      alertedBroadly: cells.filter((c) => c.alerted === 'broad').length,
      alertUnknown: cells.filter((c) => c.alerted === 'unknown').length,
      alertedPct: cells.length ? Math.round((recordedAndAlerted / cells.length) * 1000) / 10 : null,
    },
    blindSpots,
    snapshots,
    publicSnapshots: snapshots.filter((r) => r.snapshot.sharing.public === 'yes'),
    publicUnknown: snapshots.filter((r) => r.snapshot.sharing.public === 'unknown').length,
    sharedSnapshots: snapshots.filter((r) => r.externalShares.length > 0),
    exposed: sortBy(
      snapshots.filter((r) => r.exposure === 'public' || r.exposure === 'shared outside'),
      (x) => (x.exposure === 'public' ? 0 : 1),
      (x) => x.provider,
      (x) => x.scopeId,
      (x) => x.snapshot.id,
    ),
    kinds: kindCounts(snapshots),
    externalPaths: open.filter((f) => f.checkId === EXTERNAL_PATH_CHECK),
    principalsTotal: scopes.reduce((n, s) => n + s.principals.length, 0),
    capablePrincipals: scopes.reduce((n, s) => n + s.principals.filter((p) => p.capabilities.length > 0).length, 0),
    indirectOnly: countReach(scopes, (r) => r.has('indirect') && !r.has('direct')),
    eligibleOnly: countReach(scopes, (r) => r.size === 1 && r.has('eligible')),
    outsideBaseline,
    topRisks: open.filter((f) => f.severity !== 'info').slice(0, 10),
    byCheck,
    mitigations,
    limits,
    scopeName,
  };
}

/** A kind's label inside a sentence: `snapshot`, `gallery image version`, but `DB snapshot` keeps its acronym. */
export function kindNoun(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}

/** The inventory per kind in words: `20 snapshots, 3 images, 1 DB snapshot`. */
export function inventoryText(m: Pick<ReportModel, 'kinds'>): string {
  return m.kinds.map((k) => `${k.count} ${kindNoun(k.label)}${k.count === 1 ? '' : 's'}`).join(', ') || 'nothing found';
}

export function formatPct(pct: number | null): string {
  return pct === null ? 'n/a' : `${pct.toFixed(1)}%`;
}

export { severities };
