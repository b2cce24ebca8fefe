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

/** The canonical order of findings: severity (worst first), check, region, resource, fingerprint. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    compareStrings(a.checkId, b.checkId) ||
    compareStrings(a.region ?? '', b.region ?? '') ||
    compareStrings(a.resource?.id ?? '', b.resource?.id ?? '') ||
    compareStrings(a.fingerprint, b.fingerprint)
  );
}

/** Findings grouped by check, then by scope (provider, scope id), each group in canonical order (JUnit's layout). */
export function compareFindingsByCheck(a: Finding, b: Finding): number {
  return (
    compareStrings(a.checkId, b.checkId) ||
    compareStrings(a.provider, b.provider) ||
    compareStrings(a.scopeId, b.scopeId) ||
    compareFindings(a, b)
  );
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
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
      ...(r.logging.detectors
        ? {
            detectors: sortBy(
              r.logging.detectors,
              (d) => d.region,
              (d) => d.id,
            ),
          }
        : {}),
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
 * A result read from a result.json, with its top level the findings of no scope (as written since schema 4.0.0;
 * results of earlier versions repeated every scope's finding there).
 */
export function resultFromDisk<T extends Pick<ScanResult, 'scopes' | 'findings'>>(result: T): T {
  return { ...result, findings: unscopedFindings(result) };
}

/**
 * Merges iterables each already sorted by `compare` into one sorted sequence, pulling one item at a time from each
 * (a binary heap of their heads): memory grows with the number of inputs, not with their items. Ties go to the
 * earlier input, so the merge equals a stable sort of the inputs concatenated.
 */
export function* mergeSorted<T>(inputs: ReadonlyArray<Iterable<T>>, compare: (a: T, b: T) => number): Generator<T> {
  const heap: Array<{ head: T; at: number; rest: Iterator<T> }> = [];
  const before = (i: number, j: number) => {
    const a = heap[i]!;
    const b = heap[j]!;
    return (compare(a.head, b.head) || a.at - b.at) < 0;
  };
  const swap = (i: number, j: number) => {
    const t = heap[i]!;
    heap[i] = heap[j]!;
    heap[j] = t;
  };
  const down = (start: number) => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(l, m)) m = l;
      if (r < heap.length && before(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  inputs.forEach((input, at) => {
    const rest = input[Symbol.iterator]();
    const first = rest.next();
    if (!first.done) heap.push({ head: first.value, at, rest });
  });
  for (let i = Math.floor(heap.length / 2) - 1; i >= 0; i--) down(i);
  while (heap.length > 0) {
    const top = heap[0]!;
    yield top.head;
    const next = top.rest.next();
    if (next.done) {
      const last = heap.pop()!;
      if (heap.length === 0) break;
      heap[0] = last;
    } else top.head = next.value;
    down(0);
  }
}
