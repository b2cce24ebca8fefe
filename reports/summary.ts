/** A short plain-text summary for the terminal: what was scanned, what was found, what could not be read. */
import { allFindings } from '../src/model/order.ts';
import { severities, type ScanResult } from '../src/model/result.ts';

export function renderSummary(result: ScanResult): string {
  const findings = allFindings(result).filter((f) => f.status === 'open');
  const bySeverity = severities.map((s) => `${findings.filter((f) => f.severity === s).length} ${s}`).join(', ');
  const s = result.stats.scopes;
  const regions = result.scopes.flatMap((x) => x.logging.regions);
  const recorded = regions.filter((r) => r.recorded === 'yes').length;
  const snapshots = result.scopes.reduce((n, x) => n + x.snapshots.length, 0);
  const principals = result.scopes.reduce((n, x) => n + x.principals.filter((p) => p.capabilities.length > 0).length, 0);
  const lines = [
    `snapaudit ${result.tool.version} · scan ${result.scan.id} · ${result.scan.providers.join(', ') || 'no providers'}${result.scan.complete ? '' : ' · INCOMPLETE'}`,
    `scopes: ${s.total} (${s.complete} complete, ${s.partial} partial, ${s.failed} failed${s.interrupted ? `, ${s.interrupted} interrupted` : ''})`,
    `logging: snapshot creation recorded in ${recorded}/${regions.length} scope-regions`,
    `inventory: ${snapshots} snapshots, ${principals} principals with snapshot capabilities`,
    `findings: ${findings.length} open (${bySeverity})`,
    `api calls: ${result.stats.apiCalls} (${result.stats.throttles} throttled, ${result.stats.retries} retried, ${result.stats.errors} failed)`,
  ];
  const gaps = [
    ...result.discovery.flatMap((d) => d.gaps.map((g) => `${d.provider} discovery: ${g.code} ${g.message}`)),
    ...result.scopes
      .filter((x) => x.coverage.status !== 'complete')
      .map(
        (x) =>
          `${x.scope.provider} ${x.scope.id}: ${x.coverage.status} (${x.coverage.gaps
            .map((g) => g.code)
            .filter((c, i, a) => a.indexOf(c) === i)
            .join(', ')})`,
      ),
  ];
  if (gaps.length > 0)
    lines.push(
      'not fully read:',
      ...gaps.slice(0, 10).map((g) => `  - ${g}`),
      ...(gaps.length > 10 ? [`  … and ${gaps.length - 10} more`] : []),
    );
  return `${lines.join('\n')}\n`;
}
