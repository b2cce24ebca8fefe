/**
 * Canonical ordering so that the same estate always gives byte-identical output, whatever order concurrent calls
 * finished in.
 */
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
    findings: sortFindings(r.findings),
  };
}

export function scopeKey(r: { scope: { provider: string; id: string } }): string {
  return `${r.scope.provider}\u0000${r.scope.id}`;
}

/** Every finding of a result, scope findings and top-level ones, in canonical order. */
export function allFindings(result: Pick<ScanResult, 'scopes' | 'findings'>): Finding[] {
  return sortFindings([...result.findings, ...result.scopes.flatMap((s) => s.findings)]);
}
