/**
 * Per-region logging coverage derived from a scope's logging sources and alert routes. Shared by every provider so
 * the matrix means the same thing for an AWS region, an Azure subscription and a GCP project.
 */
import type { AlertRoute, LoggingSource, RegionLogging, Tri } from './result.ts';

function covers(source: LoggingSource, region: string): boolean {
  return source.regions.includes('*') || source.regions.includes(region);
}

function anyTri(values: readonly Tri[]): Tri {
  if (values.includes('yes')) return 'yes';
  if (values.includes('unknown')) return 'unknown';
  return 'no';
}

/**
 * Does the source record snapshot creation? Configured to, enabled, and not reported as failing to deliver: a source
 * whose health says it is not flowing ("configured but not flowing") records nothing anyone can read.
 */
export function sourceRecords(s: LoggingSource): Tri {
  if (s.enabled === 'no' || s.recordsSnapshotCreation === 'no' || s.health?.flowing === 'no') return 'no';
  if (s.enabled === 'yes' && s.recordsSnapshotCreation === 'yes') return 'yes';
  return 'unknown';
}

/**
 * @param alerts   alert routes, or `null` when alerting was not collected (then `alerted` is `unknown`).
 */
export function regionLogging(
  regions: readonly string[],
  sources: readonly LoggingSource[],
  alerts: readonly AlertRoute[] | null,
): RegionLogging[] {
  return regions.map((region) => {
    const covering = sources.filter((s) => covers(s, region));
    const verdicts = covering.map(sourceRecords);
    const recorded = anyTri(verdicts);
    const recording = covering.filter((_, i) => verdicts[i] === 'yes');
    const central = recording.length ? anyTri(recording.map((s) => s.central)) : 'unknown';
    const prot = recording.length
      ? anyTri(
          recording.map((s): Tri => (s.integrity === 'yes' && s.encrypted !== 'no' ? 'yes' : s.integrity === 'unknown' ? 'unknown' : 'no')),
        )
      : 'unknown';
    const known = recording.map((s) => s.retentionDays).filter((d): d is number => d !== null);
    const inRegion = alerts?.filter((a) => a.enabled && (a.region === region || a.region === '*' || a.region === 'global')) ?? [];
    const alerted: RegionLogging['alerted'] =
      alerts === null
        ? 'unknown'
        : inRegion.some((a) => a.match === 'exact')
          ? 'exact'
          : inRegion.some((a) => a.match === 'broad')
            ? 'broad'
            : 'none';
    const reasons =
      recorded === 'yes'
        ? []
        : covering.length === 0
          ? ['no audit source covers this region', ...sources.flatMap((s) => s.reasons.filter((r) => r.includes('single-region')))]
          : covering.flatMap((s) => s.reasons);
    return {
      region,
      recorded,
      sourceIds: (recording.length ? recording : covering).map((s) => s.id),
      central,
      protected: prot,
      retentionDays: known.length ? Math.max(...known) : null,
      alerted,
      alertIds: inRegion.filter((a) => a.match !== 'none').map((a) => a.id),
      reasons: [...new Set(reasons)],
    };
  });
}
