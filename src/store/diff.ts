/**
 * The difference between two recorded scans: findings that are new, resolved, regressed (seen before, gone, back
 * again) or unchanged; principals that gained a snapshot capability; snapshots created or deleted. A finding or
 * snapshot that is missing only because the later scan could not read its scope or region is neither resolved nor
 * deleted: it is listed as not assessed.
 */
import type { Trend } from '../core/model/trend.ts';
import { compareStrings, severityRank } from '../core/model/order.ts';
import type { Capability, Finding, Provider, Severity } from '../core/model/result.ts';
import { terminalField as f_ } from '../core/terminal-text.ts';
import { assessed, type ScanRecord, type StateStore, type StoredFinding, type StoredSnapshot, scopeKey } from './state-store.ts';

export interface DiffFinding {
  fingerprint: string;
  checkId: string;
  severity: Severity;
  status: 'open' | 'suppressed';
  provider: Provider;
  scopeId: string;
  region: string | null;
  resource: string | null;
  message: string;
  /** Present in both scans with different severity, message or evidence. */
  evidenceChanged?: boolean;
}

export interface NewlyCapable {
  provider: Provider;
  scopeId: string;
  principalId: string;
  principalName: string;
  principalType: string;
  gained: Capability[];
  before: Capability[];
  external: boolean;
}

export interface DiffSnapshot {
  provider: Provider;
  scopeId: string;
  region: string;
  snapshotId: string;
  resourceId: string;
  name: string | null;
  createdAt: string | null;
  public: string;
  owner: string | null;
}

export interface ScanRef {
  id: string;
  seq: number;
  startedAt: string;
  finishedAt: string;
  complete: boolean;
}

export interface ScanDiff {
  from: ScanRef;
  to: ScanRef;
  findings: {
    new: DiffFinding[];
    resolved: DiffFinding[];
    regressed: DiffFinding[];
    unchanged: DiffFinding[];
    /** In `from`, absent from `to`, but `to` could not read where it lives: not known to be fixed. */
    notAssessed: DiffFinding[];
  };
  newlyCapable: NewlyCapable[];
  snapshots: { created: DiffSnapshot[]; deleted: DiffSnapshot[] };
}

function ref(s: ScanRecord): ScanRef {
  return { id: s.id, seq: s.seq, startedAt: s.startedAt, finishedAt: s.finishedAt, complete: s.complete };
}

function toDiffFinding(f: StoredFinding, extra: Partial<DiffFinding> = {}): DiffFinding {
  const finding: Finding = f.finding;
  return {
    fingerprint: f.fingerprint,
    checkId: f.checkId,
    severity: f.severity,
    status: f.status,
    provider: f.provider,
    scopeId: f.scopeId,
    region: f.region,
    resource: finding.resource?.id ?? null,
    message: finding.message,
    ...extra,
  };
}

function sortFindingsOf(list: DiffFinding[]): DiffFinding[] {
  return list.sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      compareStrings(a.checkId, b.checkId) ||
      compareStrings(a.provider, b.provider) ||
      compareStrings(a.scopeId, b.scopeId) ||
      compareStrings(a.region ?? '', b.region ?? '') ||
      compareStrings(a.resource ?? '', b.resource ?? '') ||
      compareStrings(a.fingerprint, b.fingerprint),
  );
}

function toDiffSnapshot(s: StoredSnapshot): DiffSnapshot {
  return {
    provider: s.provider,
    scopeId: s.scopeId,
    region: s.region,
    snapshotId: s.snapshotId,
    resourceId: s.resourceId,
    name: s.name,
    createdAt: s.createdAt,
    public: s.public,
    owner: s.owner,
  };
}

const snapKey = (s: StoredSnapshot) => `${s.provider}\u0000${s.scopeId}\u0000${s.resourceId}`;

export function diffScans(store: StateStore, from: ScanRecord, to: ScanRecord): ScanDiff {
  const before = new Map(store.findingsOf(from.seq).map((f) => [f.fingerprint, f]));
  const after = new Map(store.findingsOf(to.seq).map((f) => [f.fingerprint, f]));
  const fromAssessment = store.assessment(from);
  const toAssessment = store.assessment(to);
  const findings: ScanDiff['findings'] = { new: [], resolved: [], regressed: [], unchanged: [], notAssessed: [] };

  for (const f of after.values()) {
    const old = before.get(f.fingerprint);
    if (old) {
      findings.unchanged.push(toDiffFinding(f, { evidenceChanged: old.evidenceHash !== f.evidenceHash }));
      continue;
    }
    const life = store.lifecycle(f.fingerprint);
    // Seen at or before `from` but absent from it: it had been resolved (regressed), unless `from` did not look.
    const seenEarlier = life !== null && life.firstSeenSeq <= from.seq;
    if (seenEarlier && assessed(fromAssessment, f)) findings.regressed.push(toDiffFinding(f));
    else if (seenEarlier) findings.unchanged.push(toDiffFinding(f, { evidenceChanged: false }));
    else findings.new.push(toDiffFinding(f));
  }
  for (const f of before.values()) {
    if (after.has(f.fingerprint)) continue;
    if (assessed(toAssessment, f)) findings.resolved.push(toDiffFinding(f));
    else findings.notAssessed.push(toDiffFinding(f));
  }
  for (const list of Object.values(findings)) sortFindingsOf(list);

  // Who-can: capabilities present in `to` and not in `from`, where both scans read the scope's principals.
  const fromScopes = new Map(store.scopesOf(from.seq).map((s) => [scopeKey(s.provider, s.scopeId), s]));
  const toScopes = new Map(store.scopesOf(to.seq).map((s) => [scopeKey(s.provider, s.scopeId), s]));
  const capKey = (provider: string, scopeId: string, principalId: string) => `${scopeKey(provider, scopeId)}\u0000${principalId}`;
  const beforeCaps = new Map<string, Set<Capability>>();
  for (const c of store.capabilitiesOf(from.seq)) {
    const k = capKey(c.provider, c.scopeId, c.principalId);
    beforeCaps.set(k, (beforeCaps.get(k) ?? new Set()).add(c.capability));
  }
  const gainedBy = new Map<string, NewlyCapable>();
  for (const c of store.capabilitiesOf(to.seq)) {
    const sk = scopeKey(c.provider, c.scopeId);
    if (!fromScopes.get(sk)?.principalsRead || !toScopes.get(sk)?.principalsRead) continue;
    const k = capKey(c.provider, c.scopeId, c.principalId);
    const had = beforeCaps.get(k) ?? new Set<Capability>();
    if (had.has(c.capability)) continue;
    const entry = gainedBy.get(k) ?? {
      provider: c.provider,
      scopeId: c.scopeId,
      principalId: c.principalId,
      principalName: c.principalName,
      principalType: c.principalType,
      gained: [],
      before: [...had].sort(),
      external: c.external,
    };
    entry.gained.push(c.capability);
    entry.external ||= c.external;
    gainedBy.set(k, entry);
  }
  const newlyCapable = [...gainedBy.values()]
    .map((e) => ({ ...e, gained: [...e.gained].sort() }))
    .sort(
      (a, b) =>
        compareStrings(a.provider, b.provider) || compareStrings(a.scopeId, b.scopeId) || compareStrings(a.principalId, b.principalId),
    );

  // Snapshots: created (in `to`, not in `from`, and `from` read that region) and deleted (the reverse).
  const regionRead = (scopes: Map<string, { snapshotRegions: string[] }>, s: StoredSnapshot) =>
    scopes.get(scopeKey(s.provider, s.scopeId))?.snapshotRegions.includes(s.region) ?? false;
  const fromSnaps = store.snapshotsOf(from.seq);
  const toSnaps = store.snapshotsOf(to.seq);
  const fromKeys = new Set(fromSnaps.map(snapKey));
  const toKeys = new Set(toSnaps.map(snapKey));
  const created = toSnaps.filter((s) => !fromKeys.has(snapKey(s)) && regionRead(fromScopes, s)).map(toDiffSnapshot);
  const deleted = fromSnaps.filter((s) => !toKeys.has(snapKey(s)) && regionRead(toScopes, s)).map(toDiffSnapshot);

  return { from: ref(from), to: ref(to), findings, newlyCapable, snapshots: { created, deleted } };
}

/** The comparison renderers show as the trend; counts exclude suppressed findings, as every other count does. */
export function trendFromDiff(diff: ScanDiff, previous: ScanRecord): Trend {
  const open = (list: DiffFinding[]) => list.filter((f) => f.status === 'open').length;
  return {
    previous: {
      scanId: previous.id,
      finishedAt: previous.finishedAt,
      openBySeverity: { ...previous.summary.openBySeverity },
      loggingCoveragePct: previous.summary.loggingCoveragePct,
      publicSnapshots: previous.summary.publicSnapshots,
      externallySharedSnapshots: previous.summary.externallySharedSnapshots,
    },
    newFindings: open(diff.findings.new),
    resolvedFindings: open(diff.findings.resolved),
    regressedFindings: open(diff.findings.regressed),
    unchangedFindings: open(diff.findings.unchanged),
    newlyCapablePrincipals: diff.newlyCapable.length,
    snapshotsCreated: diff.snapshots.created.length,
    snapshotsDeleted: diff.snapshots.deleted.length,
  };
}

/** The trend of `scan` against the scan recorded before it, or null for the first scan. */
export function trendFor(store: StateStore, scan: ScanRecord): Trend | null {
  const previous = store.before(scan.seq);
  return previous ? trendFromDiff(diffScans(store, previous, scan), previous) : null;
}

export function renderDiffText(diff: ScanDiff): string {
  const lines: string[] = [];
  lines.push(`diff ${diff.from.id} (${diff.from.startedAt}) → ${diff.to.id} (${diff.to.startedAt})`);
  const f = diff.findings;
  lines.push(
    `findings: ${f.new.length} new, ${f.resolved.length} resolved, ${f.regressed.length} regressed, ${f.unchanged.length} unchanged${
      f.notAssessed.length ? `, ${f.notAssessed.length} not assessed` : ''
    }`,
  );
  // Names, ids and owners come from the clouds: each is one terminal field (no control, no line break of its own).
  const item = (x: DiffFinding) =>
    `  ${x.severity.padEnd(8)} ${x.checkId}  ${x.provider}:${f_(x.scopeId)}${x.region ? `/${f_(x.region)}` : ''}${x.resource ? `  ${f_(x.resource)}` : ''}${
      x.status === 'suppressed' ? '  (suppressed)' : ''
    }  [${x.fingerprint}]`;
  const section = (title: string, list: DiffFinding[]) => {
    if (list.length === 0) return;
    lines.push(`${title}:`, ...list.map(item));
  };
  section('new', f.new);
  section('regressed', f.regressed);
  section('resolved', f.resolved);
  section('not assessed (the later scan could not read where they live)', f.notAssessed);
  const changed = f.unchanged.filter((x) => x.evidenceChanged);
  section('unchanged, evidence changed', changed);
  if (diff.newlyCapable.length) {
    lines.push(`principals that gained a snapshot capability: ${diff.newlyCapable.length}`);
    for (const p of diff.newlyCapable) {
      lines.push(
        `  ${p.provider}:${f_(p.scopeId)}  ${p.principalType} ${f_(p.principalName)}  +${p.gained.join(', +')}${p.before.length ? ` (had ${p.before.join(', ')})` : ''}${
          p.external ? '  EXTERNAL' : ''
        }`,
      );
    }
  } else lines.push('principals that gained a snapshot capability: 0');
  lines.push(`snapshots: ${diff.snapshots.created.length} created, ${diff.snapshots.deleted.length} deleted`);
  const snap = (s: DiffSnapshot) =>
    `  ${s.provider}:${f_(s.scopeId)}/${f_(s.region)}  ${f_(s.snapshotId)}${s.name ? ` (${f_(s.name)})` : ''}${s.public === 'yes' ? '  PUBLIC' : ''}${
      s.owner ? `  owner ${f_(s.owner)}` : ''
    }`;
  if (diff.snapshots.created.length) lines.push('created:', ...diff.snapshots.created.map(snap));
  if (diff.snapshots.deleted.length) lines.push('deleted:', ...diff.snapshots.deleted.map(snap));
  return `${lines.join('\n')}\n`;
}
