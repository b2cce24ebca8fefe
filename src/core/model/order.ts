/**
 * Canonical ordering so that the same estate always gives byte-identical output, whatever order concurrent calls
 * finished in.
 */
import { sortActivity } from './activity.ts';
import type { Finding, Principal, ScanResult, ScopeResult, Severity } from './result.ts';
import { severities } from './result.ts';

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortBy<T>(items: readonly T[], ...keys: Array<(item: T) => string | number>): T[] {
  return [...items].sort((x, y) => {
    for (const key of keys) {
      const a = key(x);
      const b = key(y);
      if (a === b) continue;
      return typeof a === 'number' && typeof b === 'number' ? a - b : compareStrings(String(a), String(b));
    }
    return 0;
  });
}

export function severityRank(s: Severity): number {
  return severities.indexOf(s);
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return sortBy(
    findings,
    (f) => severityRank(f.severity),
    (f) => f.checkId,
    (f) => f.region ?? '',
    (f) => f.resource?.id ?? '',
    (f) => f.fingerprint,
  );
}

function sortPrincipal(p: Principal): Principal {
  const grants = sortBy(
    p.grants,
    (g) => g.capability,
    (g) => g.action,
    (g) => g.resourceScope,
    (g) => JSON.stringify(g.path),
  );
  return { ...p, capabilities: [...new Set(p.capabilities)].sort(), grants };
}

export function sortScopeResult(r: ScopeResult): ScopeResult {
  return {
    scope: {
      ...r.scope,
      regions: [...r.scope.regions].sort(),
      regionsNotEnabled: [...r.scope.regionsNotEnabled].sort(),
      regionsExcluded: [...r.scope.regionsExcluded].sort(),
      regionsOtherPartition: [...r.scope.regionsOtherPartition].sort(),
    },
    coverage: {
      ...r.coverage,
      regions: sortBy(r.coverage.regions, (x) => x.region),
      gaps: sortBy(
        r.coverage.gaps,
        (g) => g.part,
        (g) => g.region ?? '',
        (g) => g.operation ?? '',
        (g) => g.message,
      ),
    },
    logging: {
      sources: sortBy(r.logging.sources, (s) => s.id),
      alerts: sortBy(
        r.logging.alerts,
        (a) => a.region,
        (a) => a.id,
      ),
      regions: sortBy(r.logging.regions, (x) => x.region).map((x) => ({
        ...x,
        sourceIds: [...x.sourceIds].sort(),
        alertIds: [...x.alertIds].sort(),
      })),
    },
    guards: sortBy(
      r.guards,
      (g) => g.region,
      (g) => g.kind,
    ),
    principals: sortBy(r.principals, (p) => p.id).map(sortPrincipal),
    snapshots: sortBy(
      r.snapshots,
      (s) => s.region,
      (s) => s.id,
    ).map((s) => ({
      ...s,
      sharing: { ...s.sharing, sharedWith: sortBy(s.sharing.sharedWith, (x) => x.id) },
    })),
    ...(r.activity ? { activity: sortActivity(r.activity) } : {}),
    findings: sortFindings(r.findings),
  };
}

export function scopeKey(r: { scope: { provider: string; id: string } }): string {
  return `${r.scope.provider}\u0000${r.scope.id}`;
}

/**
 * Every finding of a result, scope findings and top-level ones, in canonical order; each once, whether the result
 * is held in memory (top level: findings of no scope) or was read from a result.json (top level: every finding).
 */
export function allFindings(result: Pick<ScanResult, 'scopes' | 'findings'>): Finding[] {
  const scoped = result.scopes.flatMap((s) => s.findings);
  return sortFindings([...unscopedFindings(result), ...scoped]);
}

/** The top-level findings that belong to no scope of the result (discovery failures). */
export function unscopedFindings(result: Pick<ScanResult, 'scopes' | 'findings'>): Finding[] {
  if (result.findings.length === 0) return [];
  const scoped = new Set(result.scopes.flatMap((s) => s.findings.map((f) => f.fingerprint)));
  return result.findings.filter((f) => !scoped.has(f.fingerprint));
}

/**
 * result.json's top-level `findings`: every finding of the scan, so `jq '.findings'` answers without walking the
 * scopes — first those of no scope (canonical order), then each scope's in scope order (streamable from the spool).
 */
export function findingsOnDisk(result: Pick<ScanResult, 'scopes' | 'findings'>): Finding[] {
  return [...sortFindings(unscopedFindings(result)), ...result.scopes.flatMap((s) => s.findings)];
}

/** A result read from a result.json, with its top level back to the in-memory meaning: findings of no scope. */
export function resultFromDisk<T extends Pick<ScanResult, 'scopes' | 'findings'>>(result: T): T {
  return { ...result, findings: unscopedFindings(result) };
}
