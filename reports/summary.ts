/**
 * A short plain-text summary for the terminal: what was scanned, what was found, what could not be read. It is
 * computed from a tally that can also be filled scope by scope as a spooled scan streams past, so large scans get
 * the same summary without holding the result in memory.
 */
import { severities, type Finding, type ScanResult, type ScopeResult, type Severity } from '../src/core/model/result.ts';
import { terminalField } from '../src/core/terminal-text.ts';

export interface SummaryTally {
  open: Record<Severity, number>;
  regions: number;
  recorded: number;
  snapshots: number;
  principals: number;
  /** Scopes not fully read, described (the first few) and counted. */
  notRead: string[];
  notReadCount: number;
  /**
   * Findings that carry a suppression (muted, or open again because it expired), kept so a spooled scan can still
   * say which suppressions expired: they are as many as the config's suppressions, not as the estate.
   */
  suppressions: Finding[];
}

const NOT_READ_SHOWN = 10;

export function emptyTally(): SummaryTally {
  return {
    open: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    regions: 0,
    recorded: 0,
    snapshots: 0,
    principals: 0,
    notRead: [],
    notReadCount: 0,
    suppressions: [],
  };
}

export function tallyFindings(t: SummaryTally, findings: readonly Finding[]): void {
  for (const f of findings) {
    if (f.status === 'open') t.open[f.severity]++;
    if (f.suppression) t.suppressions.push(f);
  }
}

export function tallyScope(t: SummaryTally, x: ScopeResult): void {
  tallyFindings(t, x.findings);
  t.regions += x.logging.regions.length;
  t.recorded += x.logging.regions.filter((r) => r.recorded === 'yes').length;
  t.snapshots += x.snapshots.length;
  t.principals += x.principals.filter((p) => p.capabilities.length > 0).length;
  if (x.coverage.status !== 'complete') {
    t.notReadCount++;
    if (t.notRead.length < NOT_READ_SHOWN) {
      const codes = [...new Set(x.coverage.gaps.map((g) => g.code))].join(', ');
      t.notRead.push(`${x.scope.provider} ${terminalField(x.scope.id)}: ${x.coverage.status} (${codes})`);
    }
  }
}

export function tallyResult(result: ScanResult): SummaryTally {
  const t = emptyTally();
  tallyFindings(t, result.findings);
  for (const x of result.scopes) tallyScope(t, x);
  return t;
}

/** @param tally what the scopes held; by default counted from `result.scopes` (empty when they were spooled). */
export function renderSummary(result: ScanResult, tally: SummaryTally = tallyResult(result)): string {
  const open = severities.reduce((n, s) => n + tally.open[s], 0);
  const s = result.stats.scopes;
  const lines = [
    `snapaudit ${result.tool.version} · scan ${result.scan.id} · ${result.scan.providers.join(', ') || 'no providers'}${result.scan.complete ? '' : ' · INCOMPLETE'}`,
    `scopes: ${s.total} (${s.complete} complete, ${s.partial} partial, ${s.failed} failed${s.interrupted ? `, ${s.interrupted} interrupted` : ''})`,
    `logging: snapshot creation recorded in ${tally.recorded}/${tally.regions} scope-regions`,
    `inventory: ${tally.snapshots} snapshots, ${tally.principals} principals with snapshot capabilities`,
    `findings: ${open} open (${severities.map((x) => `${tally.open[x]} ${x}`).join(', ')})`,
    `api calls: ${result.stats.apiCalls} (${result.stats.throttles} throttled, ${result.stats.retries} retried, ${result.stats.errors} failed)`,
  ];
  const discoveryGaps = result.discovery.flatMap((d) =>
    d.gaps.map((g) => `${d.provider} discovery: ${g.code} ${terminalField(g.message)}`),
  );
  const shown = [...discoveryGaps, ...tally.notRead].slice(0, NOT_READ_SHOWN);
  const total = discoveryGaps.length + tally.notReadCount;
  if (total > 0)
    lines.push(
      'not fully read:',
      ...shown.map((g) => `  - ${g}`),
      ...(total > shown.length ? [`  … and ${total - shown.length} more`] : []),
    );
  return `${lines.join('\n')}\n`;
}
