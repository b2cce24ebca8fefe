/**
 * Per-region logging coverage derived from a scope's logging sources and alert routes. Shared by every provider so
 * the matrix means the same thing for an AWS region, an Azure subscription and a GCP project.
 */
import type { AlertRoute, LoggingSource, OperationCoverage, OperationEffect, RegionLogging, Tri } from './result.ts';

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

/** One operation of the snapshot family a provider judges: its name in the audit log and what it does. */
export interface FamilyOperation {
  operation: string;
  effect: OperationEffect;
}

export interface OperationJudgement {
  /** The read the routes came from, named when no route decides (e.g. `events:ListRules`). */
  read: string;
  /** The routes of this region could not all be read: an operation no read route fires on is `unknown`, not `none`. */
  unread?: boolean;
  /** Operations some route could not be judged on (a filter that cannot be evaluated offline): `unknown` unless one fires. */
  undecided?: (operation: string) => boolean;
  /** Recording per operation, when it differs from the region's (default: the region's `recorded`). */
  recorded?: (operation: FamilyOperation) => Tri;
}

const strength = { exact: 0, broad: 1 } as const;

/**
 * Recording and alerting per operation of the snapshot family in one region, the same for every provider: `alerted`
 * is the best enabled route in the region that fires on the operation (by `AlertRoute.operations`), `source` names
 * that route, or the read that was judged (`none`) or could not be made (`unknown`).
 *
 * @param alerts  alert routes, or `null` when alerting was not collected (every operation is then `unknown`).
 */
export function operationCoverage(
  row: RegionLogging,
  alerts: readonly AlertRoute[] | null,
  family: readonly FamilyOperation[],
  judgement: OperationJudgement,
): OperationCoverage[] {
  const inRegion = (alerts ?? []).filter((a) => a.enabled && (a.region === row.region || a.region === '*' || a.region === 'global'));
  return family.map((op) => {
    const hits = inRegion
      .flatMap((a) => {
        const hit = a.operations?.find((o) => o.operation === op.operation);
        return hit ? [{ id: a.id, match: hit.match }] : [];
      })
      .sort((x, y) => strength[x.match] - strength[y.match]);
    const best = hits[0];
    const alerted: OperationCoverage['alerted'] =
      alerts === null ? 'unknown' : best ? best.match : judgement.unread || judgement.undecided?.(op.operation) ? 'unknown' : 'none';
    return {
      operation: op.operation,
      effect: op.effect,
      recorded: judgement.recorded?.(op) ?? row.recorded,
      alerted,
      alertIds: hits.map((h) => h.id),
      source: alerts !== null && best ? best.id : judgement.read,
    };
  });
}
