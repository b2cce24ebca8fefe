/** The comparison with the previous scan (from the state store, via RenderContext.trend), as rows any format can print. */
import { severities } from '../src/core/model/result.ts';
import type { Trend } from '../src/core/model/trend.ts';
import type { ReportSummary } from './view-model.ts';

export interface TrendRow {
  label: string;
  previous: string;
  now: string;
  /** Signed change, e.g. `+2`, `-1.5 pts`, `±0`. */
  change: string;
  /** Is the change good news, bad news or neither? */
  direction: 'better' | 'worse' | 'same';
}

function signed(n: number, unit = ''): string {
  if (n === 0) return `±0${unit}`;
  const r = Math.round(n * 10) / 10;
  return `${r > 0 ? '+' : ''}${r}${unit}`;
}

function row(label: string, previous: number, now: number, higherIsBetter: boolean, fmt = (n: number) => String(n), unit = ''): TrendRow {
  const d = now - previous;
  return {
    label,
    previous: fmt(previous),
    now: fmt(now),
    change: signed(d, unit),
    direction: d === 0 ? 'same' : d > 0 === higherIsBetter ? 'better' : 'worse',
  };
}

export function trendRows(trend: Trend, m: ReportSummary): TrendRow[] {
  const pct = (n: number) => `${n.toFixed(1)}%`;
  return [
    row('Logging coverage', trend.previous.loggingCoveragePct, m.coverage.pct ?? 0, true, pct, ' pts'),
    row('Public snapshots', trend.previous.publicSnapshots, m.counts.public, false),
    row('Snapshots shared outside the organisation', trend.previous.externallySharedSnapshots, m.counts.shared, false),
    ...severities.map((s) => row(`Open ${s} findings`, trend.previous.openBySeverity[s], m.openBySeverity[s], false)),
  ];
}

/** One line on what changed between the scans. */
export function trendSummary(trend: Trend): string {
  return [
    `${trend.newFindings} new`,
    `${trend.resolvedFindings} resolved`,
    `${trend.regressedFindings} regressed`,
    `${trend.unchangedFindings} unchanged finding${trend.unchangedFindings === 1 ? '' : 's'}`,
    `${trend.newlyCapablePrincipals} principal${trend.newlyCapablePrincipals === 1 ? '' : 's'} newly able to snapshot`,
    `${trend.snapshotsCreated} snapshot${trend.snapshotsCreated === 1 ? '' : 's'} created, ${trend.snapshotsDeleted} deleted`,
  ].join(' · ');
}

export const NO_PREVIOUS_SCAN = 'No previous scan: the trend starts with the next scan that can be compared with this one.';
