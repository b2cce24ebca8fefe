/**
 * What the human-facing reports (HTML, Markdown, CSV, JUnit) say, computed once from the scan result: coverage,
 * blind spots, exposure, top risks, mitigation priorities and the limits of the scan. Pure and deterministic.
 */
import { compareStrings, sortBy, severityRank } from '../src/core/model/order.ts';
import { type NamedIdentity, scopeIdentityNames } from '../src/core/model/owner.ts';
import { type ResultSource, resultSource } from './source.ts';
import type {
  CheckMeta,
  DetectiveControl,
  Finding,
  Gap,
  Part,
  Provider,
  Principal,
  ProviderDiscovery,
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
import { grantReach, grantVia, groupGrants, groupLine } from './grant-chain.ts';

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
  /**
   * Detective controls for snapshot exposure that run here or could not be read (AWS Security Hub controls, GCP SCC
   * detectors), each named with its source; they find an exposed state and are never counted as alerting.
   */
  detectors: string[];
  /** How many of them run (enabled). */
  detectorsRunning: number;
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
  /** The name its scope's directory gave the owner (a principal or group member of the scope), when it did. */
  ownerName: string | null;
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

/** The whole-result model: the summary with nothing cut, plus every finding, snapshot and exposed item. */
export interface ReportModel extends ReportSummary {
  findings: Finding[];
  open: Finding[];
  suppressed: Finding[];
  /** Open findings whose suppression expired: accepted once, open again. */
  expiredSuppressions: Finding[];
  snapshots: SnapshotRow[];
  publicSnapshots: SnapshotRow[];
  publicUnknown: number;
  sharedSnapshots: SnapshotRow[];
  /** Public or shared outside the organisation, public first. */
  exposed: SnapshotRow[];
  /** Principals whose snapshot capability is reachable by an external identity (permissions.external-path). */
  externalPaths: Finding[];
  outsideBaseline: Finding[];
  limits: Limits;
  /** The name a directory gave an identity the scan saw as a principal or group member (null: none besides its id). */
  identityName: (provider: Provider, id: string) => string | null;
}

export const severityWeight: Record<Severity, number> = { critical: 16, high: 8, medium: 4, low: 2, info: 1 };

function summariseGaps(gaps: readonly Gap[]): string {
  const byCode = new Map<string, number>();
  for (const g of gaps) byCode.set(`${g.code} (${g.part})`, (byCode.get(`${g.code} (${g.part})`) ?? 0) + 1);
  return [...byCode.entries()].map(([what, n]) => (n > 1 ? `${n}× ${what}` : what)).join(', ');
}

const detectorKinds: Record<DetectiveControl['kind'], string> = {
  'security-hub-control': 'Security Hub control',
  'scc-health-analytics': 'Security Command Center detector',
};

/** A detective control as one line naming its source: `Security Hub control EC2.1 enabled (AWS Foundational …)`. */
export function detectorLabel(d: DetectiveControl): string {
  const state = d.enabled === 'yes' ? 'enabled' : d.enabled === 'no' ? 'off' : 'unknown';
  const via = d.via.length ? ` (${d.via.join(', ')})` : '';
  const findings = d.activeFindings ? `, ${d.activeFindings} active finding${d.activeFindings === 1 ? '' : 's'}` : '';
  return `${detectorKinds[d.kind]} ${d.control} ${state}${via}${findings}`;
}

/** The detective controls of a region worth naming: those that run, and those that could not be read. */
function detectorsIn(s: ScopeResult, region: string): string[] {
  return (s.logging.detectors ?? [])
    .filter((d) => (d.region === region || d.region === 'global') && d.enabled !== 'no')
    .map(detectorLabel)
    .sort();
}

export function coverageCells(s: ScopeResult): CoverageCell[] {
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
    detectors: detectorsIn(s, r.region),
    detectorsRunning: (s.logging.detectors ?? []).filter((d) => (d.region === r.region || d.region === 'global') && d.enabled === 'yes')
      .length,
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
      detectors: [],
      detectorsRunning: 0,
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
      detectors: [],
      detectorsRunning: 0,
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
  activity: ['activity'],
};

export function exposureOf(snapshot: Snapshot, externalShares: readonly string[]): Exposure {
  if (snapshot.sharing.public === 'yes') return 'public';
  if (externalShares.length > 0) return 'shared outside';
  return snapshot.sharing.public === 'unknown' ? 'public unknown' : 'none';
}

/** A snapshot as a row; `names` (the scope's identity names, scopeIdentityNames) name its owner. */
export function snapshotRowOf(s: Pick<ScopeResult, 'scope'>, snapshot: Snapshot, names?: ReadonlyMap<string, NamedIdentity>): SnapshotRow {
  const externalShares = snapshot.sharing.sharedWith.filter((x) => x.inOrganization === 'no').map((x) => x.id);
  const owner = snapshot.owner.value;
  return {
    provider: s.scope.provider,
    scopeId: s.scope.id,
    scopeName: s.scope.name,
    snapshot,
    externalShares,
    exposure: exposureOf(snapshot, externalShares),
    ownerName: (owner && names?.get(owner.toLowerCase())?.name) ?? null,
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
  s: Pick<ScopeResult, 'coverage'>,
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

/** A capable principal's reach: `indirect` when it reaches a capability only by becoming another identity (issue
 * #26), `eligible` when every grant it holds is eligible (Azure PIM), null otherwise. */
function reachOnly(p: Principal): 'indirect' | 'eligible' | null {
  if (p.grants.length === 0) return null;
  const reach = new Set(p.grants.map((g) => g.reach ?? 'direct'));
  if (reach.has('indirect') && !reach.has('direct')) return 'indirect';
  return reach.size === 1 && reach.has('eligible') ? 'eligible' : null;
}

/** Every gap of the scan, discovery's first (by provider), then each scope's (`scopes` in canonical order). */
export function limitGaps(
  discovery: readonly ProviderDiscovery[],
  scopes: ReadonlyArray<Pick<ScopeResult, 'scope' | 'coverage'>>,
): Limits['gaps'] {
  return [
    ...sortBy(discovery, (d) => d.provider).flatMap((d) =>
      d.gaps.map((gap) => ({ provider: d.provider, scopeId: 'discovery', scopeName: `${d.provider} discovery`, gap })),
    ),
    ...scopes.flatMap((s) =>
      s.coverage.gaps.map((gap) => ({ provider: s.scope.provider, scopeId: s.scope.id, scopeName: s.scope.name, gap })),
    ),
  ];
}

/** The blind spots: each provider's discovery that is not complete, then each scope not completely read. */
export function blindSpotsOf(
  discovery: readonly ProviderDiscovery[],
  scopes: ReadonlyArray<Pick<ScopeResult, 'scope' | 'coverage'>>,
): BlindSpot[] {
  return [
    ...sortBy(discovery, (d) => d.provider)
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
}

/** The model of a result held in memory: its summary with no list cut, and the full lists. */
export function buildReportModel(result: ScanResult): ReportModel {
  const source = resultSource(result);
  const summary = summariseSource(source, Number.POSITIVE_INFINITY);
  const findings = [...source.findings('canonical')];
  const open = findings.filter((f) => f.status === 'open');
  const snapshots: SnapshotRow[] = [];
  const identities = new Map<string, string>();
  for (const s of source.scopes()) {
    for (const snapshot of s.snapshots) snapshots.push(snapshotRowOf(s, snapshot));
    for (const p of s.principals)
      for (const x of [p, ...(p.members ?? [])])
        if (x.name !== x.id) identities.set(`${s.scope.provider}\u0000${x.id.toLowerCase()}`, x.name);
  }
  const identityName = (provider: Provider, id: string) => identities.get(`${provider}\u0000${id.toLowerCase()}`) ?? null;
  return {
    ...summary,
    result,
    findings,
    open,
    suppressed: summary.suppressedFirst,
    expiredSuppressions: summary.expiredFirst,
    snapshots,
    publicSnapshots: snapshots.filter((r) => r.snapshot.sharing.public === 'yes'),
    publicUnknown: summary.counts.publicUnknown,
    sharedSnapshots: snapshots.filter((r) => r.externalShares.length > 0),
    exposed: summary.exposedFirst,
    externalPaths: open.filter((f) => f.checkId === EXTERNAL_PATH_CHECK),
    outsideBaseline: summary.outsideBaselineFirst,
    limits: { ...summary.limits, sharesUnknown: summary.sharesUnknownFirst, suppressed: summary.suppressedFirst },
    identityName,
  };
}

export interface SummaryCounts {
  findings: number;
  open: number;
  /** Open findings above info. */
  openAboveInfo: number;
  suppressed: number;
  /** Open findings whose suppression expired. */
  expired: number;
  snapshots: number;
  public: number;
  publicUnknown: number;
  /** Shared with someone outside the organisation. */
  shared: number;
  /** Public or shared outside the organisation. */
  exposed: number;
  outsideBaseline: number;
  externalPaths: number;
  /** Snapshots whose specific shares were not read. */
  sharesUnknown: number;
}

export interface ReportSummary {
  /** The result's header (a summary made from a source: `scopes: []`). */
  result: ScanResult;
  scopeName: (provider: Provider, scopeId: string) => string;
  counts: SummaryCounts;
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
    /** Scope-regions where a detective control for exposed snapshots runs (Security Hub, SCC): not alerting. */
    detected: number;
  };
  blindSpots: BlindSpot[];
  /** The inventory per artifact kind, in the enum's order; kinds with no item are left out. */
  kinds: KindCount[];
  principalsTotal: number;
  capablePrincipals: number;
  /** Capable principals with no direct grant: they reach a capability only by becoming another identity (issue #26). */
  indirectOnly: number;
  /** Capable principals whose capabilities are all eligible (Azure PIM): none until they activate a role. */
  eligibleOnly: number;
  /** The first principals (scope order) holding a capability indirectly or as eligible, each with its shortest chain. */
  reachedFirst: ReachedRow[];
  /** How many principals hold a capability indirectly or as eligible (also alongside direct grants). */
  reachedCount: number;
  /** The ten most severe open findings above info. */
  topRisks: Finding[];
  byCheck: CheckSummary[];
  mitigations: Mitigation[];
  /** How many entries each list below keeps at most. */
  listMax: number;
  /** The first findings in canonical order (the worst first). */
  worst: Finding[];
  /** Public or shared outside the organisation, public first. */
  exposedFirst: SnapshotRow[];
  outsideBaselineFirst: Finding[];
  expiredFirst: Finding[];
  suppressedFirst: Finding[];
  sharesUnknownFirst: SnapshotRow[];
  limits: Omit<Limits, 'sharesUnknown' | 'suppressed'>;
}

/** A principal that reaches a capability by becoming another identity or by activating a role, with its shortest chain. */
export interface ReachedRow {
  provider: Provider;
  scopeId: string;
  scopeName: string;
  principalId: string;
  principalName: string;
  /** `indirect (2 hops)` or `eligible`. */
  reach: string;
  /** principal → each step (with its evidence) → the actions it reaches · scope [flags]. */
  chain: string;
  /** The principal's other chains not shown. */
  more: number;
}

/** The principal's chains through another identity or an eligibility (shortest first), or null when it has none. */
export function reachedRow(s: Pick<ScopeResult, 'scope'>, p: Principal): ReachedRow | null {
  const reached = p.grants.filter((g) => g.reach === 'indirect' || g.reach === 'eligible');
  if (reached.length === 0) return null;
  const groups = groupGrants([...reached].sort((a, b) => (a.hops ?? 1) - (b.hops ?? 1)));
  const first = groups[0]!;
  return {
    provider: s.scope.provider,
    scopeId: s.scope.id,
    scopeName: s.scope.name ?? s.scope.id,
    principalId: p.id,
    principalName: p.name,
    reach: grantReach(reached.find((g) => grantVia(g).join() === first.via.join())!) ?? '',
    chain: groupLine(first, 3),
    more: groups.length - 1,
  };
}

/** A list that keeps its first `max` items and counts every item pushed. */
class Capped<T> {
  readonly items: T[] = [];
  count = 0;
  private readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  push(item: T): void {
    if (this.count++ < this.max) this.items.push(item);
  }
}

/** The `max` smallest items by `compare` seen so far (a sorted list; items arrive in batches, one per scope). */
class Smallest<T> {
  items: T[] = [];
  private readonly max: number;
  private readonly compare: (a: T, b: T) => number;
  constructor(max: number, compare: (a: T, b: T) => number) {
    this.max = max;
    this.compare = compare;
  }
  add(batch: readonly T[]): void {
    if (batch.length === 0) return;
    this.items = [...this.items, ...batch].sort(this.compare).slice(0, this.max);
  }
}

/** The order of exposed items: public first, then by provider, scope and id. */
function exposedOrder(a: SnapshotRow, b: SnapshotRow): number {
  return (
    (a.exposure === 'public' ? 0 : 1) - (b.exposure === 'public' ? 0 : 1) ||
    compareStrings(a.provider, b.provider) ||
    compareStrings(a.scopeId, b.scopeId) ||
    compareStrings(a.snapshot.id, b.snapshot.id)
  );
}

interface ScopeTotals {
  cells: CoverageCell[];
  snapshots: number;
  public: number;
  publicUnknown: number;
  shared: number;
  exposed: Smallest<SnapshotRow>;
  exposedCount: number;
  kinds: Map<string, KindCount>;
  sharesUnknown: Capped<SnapshotRow>;
  sharesOfUnknownOrg: number;
  encryptionUnknown: number;
  ownerUnknown: number;
  guardsUnknown: number;
  sourcesUnknown: number;
  principals: number;
  capable: number;
  indirectOnly: number;
  eligibleOnly: number;
  reached: Capped<ReachedRow>;
  regionsNotEnabled: Limits['regionsNotEnabled'];
  regionsExcluded: Limits['regionsExcluded'];
  regionsOtherPartition: Limits['regionsOtherPartition'];
}

/** One pass over the scopes: coverage cells, inventory counts and the few rows the summary shows. */
function totalScopes(
  source: ResultSource,
  listMax: number,
): ScopeTotals & { heads: Array<Pick<ScanResult['scopes'][number], 'scope' | 'coverage'>> } {
  const t: ScopeTotals = {
    cells: [],
    snapshots: 0,
    public: 0,
    publicUnknown: 0,
    shared: 0,
    exposed: new Smallest<SnapshotRow>(listMax, exposedOrder),
    exposedCount: 0,
    kinds: new Map(),
    sharesUnknown: new Capped<SnapshotRow>(listMax),
    sharesOfUnknownOrg: 0,
    encryptionUnknown: 0,
    ownerUnknown: 0,
    guardsUnknown: 0,
    sourcesUnknown: 0,
    principals: 0,
    capable: 0,
    indirectOnly: 0,
    eligibleOnly: 0,
    reached: new Capped<ReachedRow>(listMax),
    regionsNotEnabled: [],
    regionsExcluded: [],
    regionsOtherPartition: [],
  };
  const heads: Array<Pick<ScanResult['scopes'][number], 'scope' | 'coverage'>> = [];
  for (const s of source.scopes()) {
    heads.push({ scope: s.scope, coverage: s.coverage });
    t.cells.push(...coverageCells(s));
    const exposed: SnapshotRow[] = [];
    // Owners named while the scope's principals are at hand: the summary keeps no principal afterwards.
    const names = scopeIdentityNames(s.principals);
    for (const snapshot of s.snapshots) {
      const row = snapshotRowOf(s, snapshot, names);
      t.snapshots++;
      if (snapshot.sharing.public === 'yes') t.public++;
      if (snapshot.sharing.public === 'unknown') t.publicUnknown++;
      if (row.externalShares.length > 0) t.shared++;
      if (row.exposure === 'public' || row.exposure === 'shared outside') exposed.push(row);
      const kind = snapshot.kind ?? 'disk-snapshot';
      const k = t.kinds.get(kind) ?? { kind, label: kindLabel(kind), count: 0, public: 0, shared: 0 };
      k.count++;
      if (row.exposure === 'public') k.public++;
      if (row.externalShares.length > 0) k.shared++;
      t.kinds.set(kind, k);
      if (!snapshot.sharing.sharesKnown) t.sharesUnknown.push(row);
      t.sharesOfUnknownOrg += snapshot.sharing.sharedWith.filter((x) => x.inOrganization === 'unknown').length;
      if (snapshot.encryption.status === 'unknown') t.encryptionUnknown++;
      if (snapshot.owner.source === 'unknown') t.ownerUnknown++;
    }
    t.exposedCount += exposed.length;
    t.exposed.add(exposed);
    t.guardsUnknown += s.guards.filter((g) => g.blocksPublicSharing === 'unknown').length;
    t.sourcesUnknown += s.logging.sources.filter((x) => x.enabled === 'unknown').length;
    t.principals += s.principals.length;
    t.capable += s.principals.filter((p) => p.capabilities.length > 0).length;
    for (const p of s.principals) {
      const reach = reachOnly(p);
      if (reach === 'indirect') t.indirectOnly++;
      if (reach === 'eligible') t.eligibleOnly++;
      const row = reachedRow(s, p);
      if (row) t.reached.push(row);
    }
    const named = { provider: s.scope.provider, scopeId: s.scope.id, scopeName: s.scope.name };
    if (s.scope.regionsNotEnabled.length > 0) t.regionsNotEnabled.push({ ...named, regions: s.scope.regionsNotEnabled });
    if (s.scope.regionsExcluded.length > 0) t.regionsExcluded.push({ ...named, regions: s.scope.regionsExcluded });
    if (s.scope.regionsOtherPartition.length > 0) t.regionsOtherPartition.push({ ...named, regions: s.scope.regionsOtherPartition });
  }
  return { ...t, heads };
}

interface CheckTally {
  title: string | null;
  open: SeverityCounts;
  suppressed: number;
  /** Open findings above info: their score and scopes. */
  score: number;
  scopes: Set<string>;
}

interface FindingTotals {
  counts: Pick<SummaryCounts, 'findings' | 'open' | 'openAboveInfo' | 'suppressed' | 'expired' | 'outsideBaseline' | 'externalPaths'>;
  openBySeverity: SeverityCounts;
  topRisks: Finding[];
  worst: Finding[];
  outsideBaseline: Finding[];
  expired: Finding[];
  suppressed: Finding[];
  checks: Map<string, CheckTally>;
}

/** One pass over the findings in canonical order. */
function totalFindings(source: ResultSource, listMax: number): FindingTotals {
  const worst = new Capped<Finding>(listMax);
  const top = new Capped<Finding>(10);
  const outside = new Capped<Finding>(listMax);
  const expired = new Capped<Finding>(listMax);
  const suppressed = new Capped<Finding>(listMax);
  const openBySeverity = emptyCounts();
  const checks = new Map<string, CheckTally>();
  let open = 0;
  let externalPaths = 0;
  for (const f of source.findings('canonical')) {
    worst.push(f);
    let c = checks.get(f.checkId);
    if (!c) {
      c = { title: f.title, open: emptyCounts(), suppressed: 0, score: 0, scopes: new Set() };
      checks.set(f.checkId, c);
    }
    if (f.status === 'suppressed') {
      suppressed.push(f);
      c.suppressed++;
    }
    if (f.status !== 'open') continue;
    open++;
    openBySeverity[f.severity]++;
    c.open[f.severity]++;
    if (f.suppression?.expired === true) expired.push(f);
    if (f.checkId === EXTERNAL_PATH_CHECK) externalPaths++;
    if (f.severity === 'info') continue;
    top.push(f);
    c.score += severityWeight[f.severity];
    c.scopes.add(`${f.provider}\u0000${f.scopeId}`);
    if (f.checkId === CAPABLE_PRINCIPAL_CHECK) outside.push(f);
  }
  return {
    counts: {
      findings: worst.count,
      open,
      openAboveInfo: top.count,
      suppressed: suppressed.count,
      expired: expired.count,
      outsideBaseline: outside.count,
      externalPaths,
    },
    openBySeverity,
    topRisks: top.items,
    worst: worst.items,
    outsideBaseline: outside.items,
    expired: expired.items,
    suppressed: suppressed.items,
    checks,
  };
}

function pct(n: number, of: number): number | null {
  return of ? Math.round((n / of) * 1000) / 10 : null;
}

function byCheckOf(header: ScanResult, checks: ReadonlyMap<string, CheckTally>): { byCheck: CheckSummary[]; mitigations: Mitigation[] } {
  const checkMeta = new Map<string, CheckMeta>(header.checks.map((c) => [c.id, c] as const));
  const checkIds = [...new Set([...header.checks.map((c) => c.id), ...checks.keys()])].sort();
  const none: CheckTally = { title: null, open: emptyCounts(), suppressed: 0, score: 0, scopes: new Set() };
  const byCheck = checkIds.map((checkId): CheckSummary => {
    const c = checks.get(checkId) ?? none;
    const meta = checkMeta.get(checkId);
    return {
      checkId,
      title: meta?.title ?? c.title ?? checkId,
      defaultSeverity: meta?.severity ?? 'medium',
      open: c.open,
      openTotal: Object.values(c.open).reduce((n, x) => n + x, 0),
      suppressed: c.suppressed,
    };
  });
  const mitigations = rankMitigations(
    checkIds
      .map((checkId) => {
        const c = checks.get(checkId) ?? none;
        const meta = checkMeta.get(checkId);
        const counts = { ...c.open, info: 0 };
        const worst = (['critical', 'high', 'medium', 'low'] as Severity[]).find((s) => counts[s] > 0) ?? 'info';
        return {
          checkId,
          title: meta?.title ?? checkId,
          remediation: meta?.remediation ?? '',
          rationale: meta?.rationale ?? '',
          severity: worst,
          count: counts.critical + counts.high + counts.medium + counts.low,
          score: c.score,
          scopes: c.scopes.size,
          counts,
        };
      })
      .filter((m) => m.count > 0),
  );
  return { byCheck, mitigations };
}

/** The summary of a source: every count, and each growing list cut to its first `listMax` entries. */
export function summariseSource(source: ResultSource, listMax: number): ReportSummary {
  const header = source.header;
  const s = totalScopes(source, listMax);
  const f = totalFindings(source, listMax);
  const names = new Map<string, string>(s.heads.map((h) => [`${h.scope.provider}\u0000${h.scope.id}`, h.scope.name]));
  const scopeName = (provider: Provider, scopeId: string) => names.get(`${provider}\u0000${scopeId}`) ?? scopeId;
  const cells = s.cells;
  const recorded = cells.filter((c) => c.recorded === 'yes').length;
  const notRecorded = cells.filter((c) => c.recorded === 'no').length;
  const recordedAndAlerted = cells.filter((c) => c.recorded === 'yes' && c.alerted === 'exact').length;
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
    { what: 'snapshots whose public status is unknown', count: s.publicUnknown, meaning: 'they may be restorable by anyone' },
    {
      what: 'snapshot shares with an account/tenant/project of unknown organisation membership',
      count: s.sharesOfUnknownOrg,
      meaning: 'they may be shared outside the organisation',
    },
    { what: 'snapshots whose encryption is unknown', count: s.encryptionUnknown, meaning: 'they may be unencrypted' },
    {
      what: 'snapshots whose owner is unknown',
      count: s.ownerUnknown,
      meaning: 'no owner tag, creator event, system data or source tag was found',
    },
    {
      what: 'regions whose snapshot block-public-access state is unknown',
      count: s.guardsUnknown,
      meaning: 'public sharing may not be blocked',
    },
    { what: 'logging sources whose enabled state is unknown', count: s.sourcesUnknown, meaning: 'they may be stopped' },
  ];
  return {
    result: header,
    scopeName,
    counts: {
      ...f.counts,
      snapshots: s.snapshots,
      public: s.public,
      publicUnknown: s.publicUnknown,
      shared: s.shared,
      exposed: s.exposedCount,
      sharesUnknown: s.sharesUnknown.count,
    },
    openBySeverity: f.openBySeverity,
    coverage: {
      cells,
      total: cells.length,
      recorded,
      notRecorded,
      unknown: cells.length - recorded - notRecorded,
      pct: pct(recorded, cells.length),
      recordedAndAlerted,
      alertedBroadly: cells.filter((c) => c.alerted === 'broad').length,
      alertUnknown: cells.filter((c) => c.alerted === 'unknown').length,
      alertedPct: pct(recordedAndAlerted, cells.length),
      detected: cells.filter((c) => c.detectorsRunning > 0).length,
    },
    blindSpots: blindSpotsOf(header.discovery, s.heads),
    kinds: artifactKinds.flatMap((kind) => {
      const k = s.kinds.get(kind);
      return k ? [k] : [];
    }),
    principalsTotal: s.principals,
    capablePrincipals: s.capable,
    indirectOnly: s.indirectOnly,
    eligibleOnly: s.eligibleOnly,
    reachedFirst: s.reached.items,
    reachedCount: s.reached.count,
    topRisks: f.topRisks,
    ...byCheckOf(header, f.checks),
    listMax,
    worst: f.worst,
    exposedFirst: s.exposed.items,
    outsideBaselineFirst: f.outsideBaseline,
    expiredFirst: f.expired,
    suppressedFirst: f.suppressed,
    sharesUnknownFirst: s.sharesUnknown.items,
    limits: {
      incomplete: !header.scan.complete,
      interrupted: header.scan.interrupted,
      gaps: limitGaps(header.discovery, s.heads),
      unknowns,
      regionsNotEnabled: s.regionsNotEnabled,
      regionsExcluded: s.regionsExcluded,
      regionsOtherPartition: s.regionsOtherPartition,
      shard: header.scan.shard,
    },
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
