/**
 * The creation-activity review as renderers see it (issue #18): each event of a scope's `activity` with the scope it
 * belongs to, its outcome class and the `activity.*` findings that quote it, plus the aggregates a report of a large
 * organisation shows instead of every event (counts per outcome, effect and caller, events per day, the worst events).
 * Pure: the HTML section, activity.csv and the OCSF API Activity events all read it.
 */
import { type ActivityEvent, isDenied } from '../src/core/model/activity.ts';
import { severityRank } from '../src/core/model/order.ts';
import { scopeIdentityNames } from '../src/core/model/owner.ts';
import type { Finding, Provider, ScopeResult, Severity } from '../src/core/model/result.ts';

/** What happened: it succeeded, it was refused for lack of permission, or it failed otherwise. */
export const outcomeClasses = ['success', 'denied', 'failed'] as const;
export type OutcomeClass = (typeof outcomeClasses)[number];

export function outcomeClass(e: Pick<ActivityEvent, 'outcome' | 'errorCode'>): OutcomeClass {
  return e.outcome === 'success' ? 'success' : isDenied(e) ? 'denied' : 'failed';
}

/** An `activity.*` finding that quotes an event in its evidence. */
export interface Citation {
  checkId: string;
  severity: Severity;
  status: Finding['status'];
  fingerprint: string;
}

export interface ActivityRow {
  provider: Provider;
  scopeId: string;
  scopeName: string;
  event: ActivityEvent;
  outcome: OutcomeClass;
  /** The findings that quote the event, most severe first. */
  findings: Citation[];
  /** The directory's name for the identity, from its own scope's principals (set on the summary's worst events). */
  identityName?: string | null;
}

/** The ids of the events a finding's evidence quotes (the `activity.*` checks list them under `events`). */
function quotedEventIds(f: Finding): string[] {
  const events = (f.evidence as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) return [];
  return events.flatMap((e) =>
    e && typeof e === 'object' && typeof (e as { id?: unknown }).id === 'string' ? [(e as { id: string }).id] : [],
  );
}

const byCitation = (a: Citation, b: Citation) =>
  severityRank(a.severity) - severityRank(b.severity) || (a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : 0);

/** The scope's `activity.*` findings by the id of each event they quote. */
export function citationsOf(s: Pick<ScopeResult, 'findings'>): Map<string, Citation[]> {
  const cited = new Map<string, Citation[]>();
  for (const f of s.findings) {
    if (!f.checkId.startsWith('activity.')) continue;
    const c: Citation = { checkId: f.checkId, severity: f.severity, status: f.status, fingerprint: f.fingerprint };
    for (const id of quotedEventIds(f)) cited.set(id, [...(cited.get(id) ?? []), c]);
  }
  for (const list of cited.values()) list.sort(byCitation);
  return cited;
}

/** The scope's events as rows, in the result's order (time, then id). */
export function activityRowsOf(s: Pick<ScopeResult, 'scope' | 'activity' | 'findings'>): ActivityRow[] {
  if (!s.activity?.length) return [];
  const cited = citationsOf(s);
  return s.activity.map((event) => ({
    provider: s.scope.provider,
    scopeId: s.scope.id,
    scopeName: s.scope.name,
    event,
    outcome: outcomeClass(event),
    findings: cited.get(event.id) ?? [],
  }));
}

/** The most severe open finding that quotes the row's event, as a rank (lower is worse); 9 when none does. */
function worstRank(r: ActivityRow): number {
  const open = r.findings.filter((f) => f.status === 'open');
  return open.length ? Math.min(...open.map((f) => severityRank(f.severity))) : 9;
}

const outcomeRank: Record<OutcomeClass, number> = { denied: 0, failed: 1, success: 2 };
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Worst first: quoted by the most severe open finding, then denied before failed before succeeded, then newest, then
 * by provider, scope and event id (a total order: the same events always come out the same).
 */
export function compareWorst(a: ActivityRow, b: ActivityRow): number {
  return (
    worstRank(a) - worstRank(b) ||
    outcomeRank[a.outcome] - outcomeRank[b.outcome] ||
    cmp(b.event.at, a.event.at) ||
    cmp(a.provider, b.provider) ||
    cmp(a.scopeId, b.scopeId) ||
    cmp(a.event.id, b.event.id)
  );
}

/** Newest first, then provider, scope and event id. */
export function compareNewest(a: ActivityRow, b: ActivityRow): number {
  return cmp(b.event.at, a.event.at) || cmp(a.provider, b.provider) || cmp(a.scopeId, b.scopeId) || cmp(a.event.id, b.event.id);
}

export type OutcomeCounts = Record<OutcomeClass, number>;

export interface ActivityDay extends OutcomeCounts {
  /** The UTC day, `YYYY-MM-DD`. */
  day: string;
}

export interface ActivitySummary {
  /** Scopes whose activity was read (the `activity.*` checks ran there). */
  scopesRead: number;
  total: number;
  byOutcome: OutcomeCounts;
  /** Counts per effect, per caller class and per provider, keys sorted. */
  byEffect: Array<[string, number]>;
  byAgent: Array<[string, number]>;
  byProvider: Array<[string, number]>;
  /** Distinct identities that acted (per provider and scope). */
  identities: number;
  /** Events quoted by an open finding. */
  flagged: number;
  /** Every UTC day from the first event's to the last event's, with its events by outcome. */
  days: ActivityDay[];
  /** The `keep` worst events (compareWorst), worst first. */
  worst: ActivityRow[];
}

const emptyOutcomes = (): OutcomeCounts => ({ success: 0, denied: 0, failed: 0 });
const DAY_MS = 86_400_000;

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

const sortedCounts = (m: Map<string, number>): Array<[string, number]> => [...m.entries()].sort(([a], [b]) => cmp(a, b));

/** Every day from `first` to `last` (both `YYYY-MM-DD`), with the counts recorded for it or zeros. */
function dayRange(counts: ReadonlyMap<string, OutcomeCounts>): ActivityDay[] {
  const keys = [...counts.keys()].sort();
  if (keys.length === 0) return [];
  const out: ActivityDay[] = [];
  const last = Date.parse(`${keys[keys.length - 1]}T00:00:00Z`);
  for (let t = Date.parse(`${keys[0]}T00:00:00Z`); t <= last; t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push({ day, ...(counts.get(day) ?? emptyOutcomes()) });
  }
  return out;
}

/**
 * One pass over the scopes: the counts, the events per day, and the `keep` worst events (held to at most twice
 * `keep` rows while reading, so a large organisation's activity never sits in memory whole).
 */
export function summariseActivity(scopes: Iterable<ScopeResult>, keep: number): ActivitySummary {
  const byOutcome = emptyOutcomes();
  const effects = new Map<string, number>();
  const agents = new Map<string, number>();
  const providers = new Map<string, number>();
  const identities = new Set<string>();
  const perDay = new Map<string, OutcomeCounts>();
  let worst: ActivityRow[] = [];
  let scopesRead = 0;
  let total = 0;
  let flagged = 0;
  for (const s of scopes) {
    if (s.activity === undefined) continue;
    scopesRead++;
    let names: ReturnType<typeof scopeIdentityNames> | null = null;
    for (const r of activityRowsOf(s)) {
      total++;
      byOutcome[r.outcome]++;
      bump(effects, r.event.effect);
      bump(agents, r.event.source.agent);
      bump(providers, r.provider);
      identities.add(`${r.provider}\u0000${r.scopeId}\u0000${r.event.identity.id}`);
      if (r.findings.some((f) => f.status === 'open')) flagged++;
      const day = r.event.at.slice(0, 10);
      const counts = perDay.get(day) ?? emptyOutcomes();
      counts[r.outcome]++;
      perDay.set(day, counts);
      if (keep > 0) {
        names ??= scopeIdentityNames(s.principals);
        worst.push({ ...r, identityName: names.get(r.event.identity.id.toLowerCase())?.name ?? null });
        if (worst.length >= 2 * keep) worst = worst.sort(compareWorst).slice(0, keep);
      }
    }
  }
  return {
    scopesRead,
    total,
    byOutcome,
    byEffect: sortedCounts(effects),
    byAgent: sortedCounts(agents),
    byProvider: sortedCounts(providers),
    identities: identities.size,
    flagged,
    days: dayRange(perDay),
    worst: worst.sort(compareWorst).slice(0, Math.max(0, keep)),
  };
}

/** A resource an event names, as `kind:id`. */
export function resourceText(r: ActivityEvent['resource']): string {
  return r ? `${r.kind}:${r.id}` : '';
}
